import fs from "node:fs";
import path from "node:path";

import { manyQuotesPage } from "../helpers/big-pages";
import { runCli } from "../helpers/cli";
import { FIXTURES } from "../helpers/fixtures";
import { type HttpServer, startHttpServer } from "../helpers/http-server";
import { onPostgres } from "../helpers/temp-database";

if (onPostgres) {
  // eslint-disable-next-line no-console
  console.log("skipping the shared SQLite file test: the suite runs on PostgreSQL");
}

/** `npm run ingest` on the SQLite file a running server writes to: both wait their turn. */
(onPostgres ? describe.skip : describe)("the server and the CLI on one SQLite file", () => {
  let api: HttpServer;
  beforeAll(async () => {
    api = await startHttpServer();
  });
  afterAll(() => api.close());

  it("a CLI batch and concurrent ingests over HTTP all succeed", async () => {
    const editor = await api.key("desk", "editor");
    const files = fs
      .readdirSync(FIXTURES)
      .filter((name) => name.endsWith(".txt"))
      .map((name) => path.join(FIXTURES, name));
    const cli = runCli("src/cli/ingest.ts", files, { DATABASE_PATH: api.databasePath });
    const INGEST = `mutation($input: IngestArticleInput!) { ingestArticle(input: $input) { created } }`;
    const answers: Array<Awaited<ReturnType<HttpServer["gql"]>>> = [];
    // Keep writing over HTTP for as long as the CLI runs, a few at a time.
    let done = false;
    void cli.finally(() => (done = true));
    for (let round = 0; !done || round < 4; round++) {
      const batch = await Promise.all(
        [0, 1, 2].map((i) =>
          api.gql(INGEST, { variables: { input: { text: manyQuotesPage(40, 4, `Concurrent ${round}-${i}`) } }, key: editor }),
        ),
      );
      answers.push(...batch);
    }
    const result = await cli;
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`${files.length} file\\(s\\): ${files.length} new, 0 updated, 0 failed\\n$`));
    expect(answers.filter((answer) => answer.body.errors)).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(12);
    const [{ n }] = await api.dataSource.query(`SELECT COUNT(*) AS n FROM stories`);
    expect(Number(n)).toBe(files.length + answers.length);
  }, 120_000);
});
