import fs from "node:fs";
import path from "node:path";

import { createHash } from "node:crypto";

import Redis from "ioredis";
import { Client } from "pg";

import { createClientApp } from "../../src/access/client-apps";
import { openDatabase } from "../../src/db/database";
import { runCli, startCli } from "../helpers/cli";
import { collect, openSocket } from "../helpers/subscriptions";
import { TEST_POSTGRES } from "../helpers/temp-database";
import { FIXTURES, article } from "../helpers/fixtures";

const TEST_REDIS = process.env.NEWSGATE_TEST_REDIS || null;
if (!TEST_POSTGRES || !TEST_REDIS) {
  // eslint-disable-next-line no-console
  console.log("skipping the two-replica test: set NEWSGATE_TEST_POSTGRES and NEWSGATE_TEST_REDIS (.ci/run does)");
}

/** Two gateway processes on one PostgreSQL database and one Redis, as behind a load balancer. */
(TEST_POSTGRES && TEST_REDIS ? describe : describe.skip)("two replicas on PostgreSQL and Redis", () => {
  const name = `newsgate_replicas_${process.pid}_${Date.now()}`;
  // This run's own Redis keys: parallel test files (and other runs) sharing the Redis never meet them.
  const redisKeyPrefix = `newsgate-test:${name}:`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: TEST_POSTGRES! });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  const databaseUrl = () => Object.assign(new URL(TEST_POSTGRES!), { pathname: `/${name}` }).toString();
  let replicas: Array<ReturnType<typeof startCli>> = [];
  let urls: string[] = [];
  let editor: string;
  let limited: string;
  let adminKey: string;
  let kiosk: string;
  let tablet: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    await admin(`CREATE DATABASE "${name}"`);
    env = { DATABASE_URL: databaseUrl(), REDIS_URL: TEST_REDIS!, REDIS_KEY_PREFIX: redisKeyPrefix, LOAD_DEMO: "false" };
    const migrated = await runCli("src/cli/migrate.ts", [], env);
    expect(migrated.code).toBe(0);
    const dataSource = await openDatabase({ databasePath: "", databaseUrl: databaseUrl() });
    editor = (await createClientApp(dataSource, { name: "desk", role: "editor" })).key;
    limited = (await createClientApp(dataSource, { name: "widget", role: "reader", rateLimitPerMinute: 5 })).key;
    adminKey = (await createClientApp(dataSource, { name: "ops", role: "admin" })).key;
    kiosk = (await createClientApp(dataSource, { name: "kiosk", role: "reader" })).key;
    tablet = (await createClientApp(dataSource, { name: "tablet", role: "editor" })).key;
    await dataSource.destroy();
    // Sockets re-check their keys once a minute on their own: what closes them sooner is the bus.
    replicas = [0, 1].map(() =>
      startCli("src/main.ts", { ...env, PORT: "0", HOST: "127.0.0.1", SOCKET_KEY_CHECK_SECONDS: "60" }, /serving (http:\S+)/),
    );
    urls = (await Promise.all(replicas.map((replica) => replica.matched))).map((match) => match[1]);
  }, 60_000);

  afterAll(async () => {
    for (const replica of replicas) replica.child.kill("SIGTERM");
    await Promise.all(replicas.map((replica) => replica.exited));
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const redis = new Redis(TEST_REDIS!);
    const keys = await redis.keys(`${redisKeyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const post = (url: string, body: object, key = editor) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
  const gql = async (url: string, query: string, variables: Record<string, unknown> = {}) =>
    (await (await post(url, { query, variables })).json()) as any;

  it("a subscriber on one replica hears about an ingest through the other", async () => {
    const onB = await collect(urls[1], `subscription { storyPublished { headline } }`, {}, { authorization: `Bearer ${editor}` });
    const ingest = await gql(urls[0], `mutation($input: IngestArticleInput!) { ingestArticle(input: $input) { story { headline } } }`, {
      input: { text: article("01") },
    });
    expect(ingest.errors).toBeUndefined();
    expect(await onB.next(1, 10_000)).toEqual([{ storyPublished: { headline: ingest.data.ingestArticle.story.headline } }]);
    onB.dispose();
  });

  it("a correction made through one replica is visible through the other at once", async () => {
    const { data } = await gql(urls[1], `{ speakers(search: "vesk") { edges { node { id role } } } }`);
    const vesk = data.speakers.edges[0].node;
    const set = await gql(urls[0], `mutation($s: ID!) { setSpeakerRole(speaker: $s, role: "acting prime minister") { role } }`, {
      s: vesk.id,
    });
    expect(set.errors).toBeUndefined();
    const seen = await gql(urls[1], `query($id: ID!) { node(id: $id) { ... on Speaker { role } } }`, { id: vesk.id });
    expect(seen.data.node.role).toBe("acting prime minister");
  });

  it("a rate limit spans both replicas", async () => {
    const statuses: number[] = [];
    for (const url of [urls[0], urls[1], urls[0], urls[1], urls[0]])
      statuses.push((await post(url, { query: "{ __typename }" }, limited)).status);
    const refused = await Promise.all(urls.map((url) => post(url, { query: "{ __typename }" }, limited)));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(refused.map((response) => [response.status, Number(response.headers.get("retry-after")) > 0])).toEqual([
      [429, true],
      [429, true],
    ]);
  });

  it("a persisted query registered on one replica is known on the other", async () => {
    const query = "query Count { stories(first: 1) { totalCount } }";
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(query).digest("hex") } };
    expect((await post(urls[0], { query, extensions })).status).toBe(200);
    const byHash = (await (await post(urls[1], { extensions })).json()) as any;
    expect(byHash).toEqual({ data: { stories: { totalCount: expect.any(Number) } } });
  });

  it("neither replica serves a stale cached story after a correction through one of them", async () => {
    const { data } = await gql(urls[0], `{ stories(first: 1) { edges { node { id } } } }`);
    const story = `query($id: ID!) { story(id: $id) { headline bullets { quotes { speaker { id role } } } } }`;
    const variables = { id: data.stories.edges[0].node.id };
    const read = (url: string) => post(url, { query: story, variables });
    // Warm the cache through both; the later reads are hits (they carry an Age header).
    const warmed = [await read(urls[0]), await read(urls[1]), await read(urls[0])];
    expect(warmed.map((response) => response.headers.has("age"))).toEqual([false, true, true]);
    const speaker = ((await warmed[0].json()) as any).data.story.bullets.flatMap((b: any) => b.quotes).find((q: any) => q.speaker).speaker;
    const role = `envoy ${Date.now()}`;
    const set = await gql(urls[0], `mutation($s: ID!, $r: String) { setSpeakerRole(speaker: $s, role: $r) { role } }`, {
      s: speaker.id,
      r: role,
    });
    expect(set.errors).toBeUndefined();
    const roles = async (url: string) =>
      ((await (await read(url)).json()) as any).data.story.bullets
        .flatMap((b: any) => b.quotes)
        .map((q: any) => q.speaker?.id === speaker.id && q.speaker.role)
        .filter(Boolean);
    const [onA, onB] = [await roles(urls[0]), await roles(urls[1])];
    expect(onA.length).toBeGreaterThan(0);
    expect([new Set(onA), new Set(onB)]).toEqual([new Set([role]), new Set([role])]);
  });

  it("an article ingested with the CLI drops the cached front page on both replicas", async () => {
    const front = `{ stories(first: 50) { edges { node { headline } } } }`;
    const headlines = async (url: string) => ((await gql(url, front)) as any).data.stories.edges.map((e: any) => e.node.headline);
    const before = [await headlines(urls[0]), await headlines(urls[1])];
    const file = path.join(
      FIXTURES,
      fs.readdirSync(FIXTURES).find((f) => f.startsWith("02") && f.endsWith(".txt"))!,
    );
    const ingested = await runCli("src/cli/ingest.ts", [file], env);
    expect(ingested.code).toBe(0);
    // The CLI's events reach the replicas through Redis pub/sub, a moment after it exits.
    const deadline = Date.now() + 5_000;
    let after = before;
    while (Date.now() < deadline && after.some((list, i) => list.length === before[i].length)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = [await headlines(urls[0]), await headlines(urls[1])];
    }
    expect(after.map((list, i) => list.length - before[i].length)).toEqual([1, 1]);
  });

  it("an app disabled with the CLI, or rotated through one replica, loses its sockets on both replicas at once", async () => {
    const within = <T>(promise: Promise<T>, ms: number): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms)));
      return Promise.race([promise, late]).finally(() => clearTimeout(timer));
    };
    const kioskOnA = await openSocket(urls[0], { authorization: `Bearer ${kiosk}` });
    const kioskOnB = await openSocket(urls[1], { authorization: `Bearer ${kiosk}` });
    const tabletOnA = await openSocket(urls[0], { authorization: `Bearer ${tablet}` });
    expect(await tabletOnA.run({ query: "{ viewer { name } }" })).toEqual({ data: { viewer: { name: "tablet" } } });

    const disabled = await runCli("src/cli/client.ts", ["disable", "kiosk"], env);
    expect(disabled.code).toBe(0);
    const closedKiosk = { code: 4403, reason: 'UNAUTHENTICATED: The client app "kiosk" is disabled' };
    expect(await within(Promise.all([kioskOnA.closed, kioskOnB.closed]), 5_000)).toEqual([closedKiosk, closedKiosk]);

    const rotation = (await (
      await post(urls[1], { query: `mutation { rotateClientAppKey(name: "tablet") { key } }` }, adminKey)
    ).json()) as any;
    expect(rotation.errors).toBeUndefined();
    expect((await within(tabletOnA.closed, 5_000)).code).toBe(4401);
    for (const socket of [kioskOnA, kioskOnB, tabletOnA]) await socket.dispose();
  });
});
