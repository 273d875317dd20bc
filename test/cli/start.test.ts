import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { runCli, startCli } from "../helpers/cli";

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
      /\[sql\] SELECT COUNT\(1\) AS "cnt" FROM "speakers" "sp" WHERE "sp"\."merged_into_id" IS NULL\n/,
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
