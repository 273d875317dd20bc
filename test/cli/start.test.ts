import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import http from "node:http";

import Redis from "ioredis";
import WebSocket from "ws";

import { createClientApp } from "../../src/access/client-apps";
import { openDatabase } from "../../src/db/database";
import { manyQuotesPage } from "../helpers/big-pages";
import { ROOT, runCli, runProgram, startCli } from "../helpers/cli";

describe("npm start (src/main.ts)", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-start-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("migrates a new database, loads the demo content, serves GraphQL and stops cleanly on SIGTERM", async () => {
    const server = startCli(
      "src/main.ts",
      { DATABASE_PATH: path.join(dir, "nested", "db.sqlite"), PORT: "0", HOST: "127.0.0.1" },
      /serving (http:\S+)/,
    );
    const [, url] = await server.matched;
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ stories(first: 1) { totalCount } speakers { totalCount } }" }),
    });
    const body: any = await response.json();
    expect(body.data.stories.totalCount).toBeGreaterThanOrEqual(30);
    expect(body.data.speakers.totalCount).toBeGreaterThanOrEqual(20);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toMatch(/loaded the demo content/);
    expect(server.output().stdout).toMatch(/stopped/);
  });

  it("logs every SQL statement when LOG_SQL is on", async () => {
    const server = startCli(
      "src/main.ts",
      { DATABASE_PATH: path.join(dir, "db.sqlite"), PORT: "0", HOST: "127.0.0.1", LOG_SQL: "true", LOAD_DEMO: "false" },
      /serving (http:\S+)/,
    );
    const [, url] = await server.matched;
    await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ speakers { totalCount } }" }),
    });
    server.child.kill("SIGTERM");
    await server.exited;
    expect(server.output().stderr).toMatch(
      /\[sql\] SELECT x\.parent_key AS parent_key, COUNT\(DISTINCT x\.id\) AS total FROM \(SELECT 0 AS parent_key, sp\.id AS id, sp\.name AS k FROM speakers sp WHERE sp\.merged_into_id IS NULL\) x GROUP BY x\.parent_key -- \{"parentIds":\[0\]\}\n/,
    );
  });

  it("names an unusable database path in one line and exits non-zero", async () => {
    const result = await runCli("src/main.ts", [], { DATABASE_PATH: dir, PORT: "0" });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`newsgate: Cannot open database ${dir}: it is a directory, not a file\n`);
  });

  it("rejects invalid configuration in one line", async () => {
    const result = await runCli("src/main.ts", [], { DATABASE_PATH: path.join(dir, "db.sqlite"), PORT: "eighty" });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('newsgate: PORT must be a port number between 0 and 65535, got "eighty"\n');
    const database = await runCli("src/main.ts", [], { DATABASE_URL: "mysql://root:secret@db/news" });
    expect([database.code, database.stderr]).toEqual([
      1,
      'newsgate: DATABASE_URL must be a postgres://user@host:port/database URL, got "mysql://root:***@db/news"\n',
    ]);
    const redis = await runCli("src/main.ts", [], { DATABASE_PATH: path.join(dir, "db.sqlite"), REDIS_URL: "localhost:6379" });
    expect([redis.code, redis.stderr]).toEqual([1, 'newsgate: REDIS_URL must be a redis://host:port URL, got "localhost:6379"\n']);
  });
});

const TEST_REDIS = process.env.NEWSGATE_TEST_REDIS || null;

/** A POST over `agent` (keep-alive or not), answered with its status, headers and body. */
function post(agent: http.Agent | false, url: string, body: object, key?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any; reused: boolean }>((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode!, headers: response.headers, body: JSON.parse(text), reused: request.reusedSocket }),
        );
      },
    );
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}

const get = async (url: string) => (await fetch(url, { headers: { connection: "close" } })).status;

/** A raw graphql-ws subscriber; resolves its close code when the server closes the socket. */
async function subscriber(url: string, key: string) {
  const socket = new WebSocket(url.replace(/^http/, "ws"), "graphql-transport-ws");
  const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${key}` } })));
    socket.on("message", (data) => {
      if (JSON.parse(String(data)).type !== "connection_ack") return;
      socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { storyPublished { id } }" } }));
      resolve();
    });
  });
  return { closed };
}

describe("graceful shutdown of `npm start` (src/cli/start.js, a plain node process)", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-drain-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const variants: Array<[string, boolean]> = [["without Redis", false]];
  if (TEST_REDIS) variants.push(["with Redis", true]);
  else console.log("skipping the drain test with Redis: set NEWSGATE_TEST_REDIS (.ci/run does)");

  it.each(variants)(
    "on SIGTERM %s: /readyz turns 503 first, in-flight requests and an idle keep-alive connection are answered, subscribers get 1001, exit 0",
    async (_name, withRedis) => {
      const databasePath = path.join(dir, "db.sqlite");
      const redisKeyPrefix = `newsgate-test:drain-${process.pid}-${Date.now()}:`;
      const dataSource = await openDatabase({ databasePath });
      const editor = (await createClientApp(dataSource, { name: "desk", role: "editor" })).key;
      await dataSource.destroy();
      const server = startCli(
        "src/cli/start.js",
        {
          DATABASE_PATH: databasePath,
          PORT: "0",
          HOST: "127.0.0.1",
          LOAD_DEMO: "false",
          SHUTDOWN_GRACE_MS: "1500",
          ...(withRedis ? { REDIS_URL: TEST_REDIS!, REDIS_KEY_PREFIX: redisKeyPrefix } : {}),
        },
        /serving (http:\S+)/,
      );
      const [, url] = await server.matched;
      const origin = new URL(url).origin;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const listening = await subscriber(url, editor);
        expect((await post(agent, url, { query: "{ __typename }" })).status).toBe(200);

        const INGEST = `mutation($input: IngestArticleInput!) { ingestArticle(input: $input) { quotes } }`;
        const inFlight = [0, 1, 2].map((i) =>
          post(false, url, { query: INGEST, variables: { input: { text: manyQuotesPage(1_500, 10, `In flight ${i}`) } } }, editor),
        );
        await new Promise((resolve) => setTimeout(resolve, 150));
        server.child.kill("SIGTERM");

        // Load balancers see the server leave before it stops answering.
        let ready = 200;
        for (const deadline = Date.now() + 1_000; ready === 200 && Date.now() < deadline;) ready = await get(`${origin}/readyz`);
        expect(ready).toBe(503);
        expect(await get(`${origin}/healthz`)).toBe(200);
        // The connection left idle before SIGTERM is still answered, and told to close.
        const onIdle = await post(agent, url, { query: "{ __typename }" });
        expect([onIdle.status, onIdle.reused, onIdle.headers.connection]).toEqual([200, true, "close"]);

        const answers = await Promise.all(inFlight);
        expect(answers.map((answer) => [answer.status, answer.body])).toEqual(
          [0, 1, 2].map(() => [200, { data: { ingestArticle: { quotes: 1_500 } } }]),
        );
        expect(await listening.closed).toBe(1001);
        expect(await server.exited).toBe(0);
        expect(server.output().stdout).toMatch(/SIGTERM: \/readyz answers 503; draining for 1500 ms/);
        expect(server.output().stdout).toMatch(/stopped/);
      } finally {
        agent.destroy();
        server.child.kill("SIGKILL");
        if (withRedis) {
          const redis = new Redis(TEST_REDIS!);
          const keys = await redis.keys(`${redisKeyPrefix}*`);
          if (keys.length > 0) await redis.del(...keys);
          await redis.quit();
        }
      }
    },
    60_000,
  );
});

describe("the compiled server (npm run build's tsc output)", () => {
  // Its own output folder inside the project, so a concurrent `npm start` never sees half a dist/.
  const outDir = path.join(ROOT, `dist-test-${process.pid}`);
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgate-dist-"));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it("compiles from a clean checkout, serves, parses pages on its .js worker and stops with 0", async () => {
    const tsc = await runProgram(path.join(ROOT, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json", "--outDir", outDir]);
    expect([tsc.code, tsc.stdout + tsc.stderr]).toEqual([0, ""]);
    expect(fs.existsSync(path.join(outDir, "src", "ingestion", "parse-worker.js"))).toBe(true);
    const databasePath = path.join(dir, "db.sqlite");
    const dataSource = await openDatabase({ databasePath });
    const editor = (await createClientApp(dataSource, { name: "desk", role: "editor" })).key;
    await dataSource.destroy();
    const server = startCli(
      path.relative(ROOT, path.join(outDir, "src", "main.js")),
      { DATABASE_PATH: databasePath, PORT: "0", HOST: "127.0.0.1", LOAD_DEMO: "false" },
      /serving (http:\S+)/,
    );
    try {
      const [, url] = await server.matched;
      const answer = await post(
        false,
        url,
        {
          query: `mutation($input: IngestArticleInput!) { ingestArticle(input: $input) { quotes speakersNew } }`,
          variables: { input: { text: manyQuotesPage(40, 4, "Compiled") } },
        },
        editor,
      );
      expect(answer.body).toEqual({ data: { ingestArticle: { quotes: 40, speakersNew: 4 } } });
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill("SIGKILL");
    }
  }, 240_000);
});
