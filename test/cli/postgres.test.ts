import { Client } from "pg";

import { runCli, startCli } from "../helpers/cli";
import { TEST_POSTGRES } from "../helpers/temp-database";

if (!TEST_POSTGRES) {
  // eslint-disable-next-line no-console
  console.log("skipping PostgreSQL deploy tests: set NEWSGATE_TEST_POSTGRES=postgres://…/postgres (.ci/run does)");
}

(TEST_POSTGRES ? describe : describe.skip)("DATABASE_URL: running on PostgreSQL", () => {
  const name = `newsgate_deploy_${process.pid}_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: TEST_POSTGRES! });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  const url = () => {
    const u = new URL(TEST_POSTGRES!);
    u.pathname = `/${name}`;
    return u.toString();
  };
  beforeAll(() => admin(`CREATE DATABASE "${name}"`));
  afterAll(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  it("refuses to start on an unmigrated database, migrates once with npm run migrate, then serves", async () => {
    const env = { DATABASE_URL: url(), PORT: "0", HOST: "127.0.0.1", DATABASE_PATH: "/nonexistent/unused.sqlite" };
    const refused = await runCli("src/main.ts", [], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^newsgate: Database postgres:\/\/.*\/newsgate_deploy_\d+_\d+ has pending migrations; run `npm run migrate` once for this deploy, then start\n$/,
    );

    const migrated = await runCli("src/cli/migrate.ts", [], env);
    expect([migrated.code, migrated.stderr]).toEqual([0, ""]);
    expect(migrated.stdout).toMatch(/^migrate: database is current \(\d+ migrations applied\)\n$/);

    const server = startCli("src/main.ts", env, /serving (http:\S+)/);
    const [, endpoint] = await server.matched;
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: "{ speakers(first: 1) { totalCount edges { node { name quotes(first: 2) { edges { node { text } } } } } } }",
      }),
    });
    const body: any = await response.json();
    expect(body.data.speakers.totalCount).toBeGreaterThanOrEqual(20);
    expect(body.data.speakers.edges[0].node.quotes.edges).toHaveLength(2);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("names a database it cannot reach in one line, without the password", async () => {
    const result = await runCli("src/main.ts", [], { DATABASE_URL: "postgres://newsgate:s3cret@127.0.0.1:1/nowhere", PORT: "0" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^newsgate: Cannot open database postgres:\/\/newsgate:\*\*\*@127\.0\.0\.1:1\/nowhere: .+\n$/);
    expect(result.stderr).not.toContain("s3cret");
  });
});
