import fs from "node:fs";
import path from "node:path";

import { Client } from "pg";

import { createClientApp } from "../../src/client/client-apps";
import { openDatabase } from "../../src/db/database";
import { runCli, startCli } from "../helpers/cli";
import { collect } from "../helpers/subscriptions";
import { TEST_POSTGRES } from "../helpers/temp-database";

const TEST_REDIS = process.env.NEWSGATE_TEST_REDIS || null;
if (!TEST_POSTGRES || !TEST_REDIS) {
  // eslint-disable-next-line no-console
  console.log("skipping the two-replica test: set NEWSGATE_TEST_POSTGRES and NEWSGATE_TEST_REDIS (.ci/run does)");
}

const FIXTURES = path.join(__dirname, "..", "fixtures", "articles");
const article = (prefix: string) =>
  fs.readFileSync(
    path.join(
      FIXTURES,
      fs.readdirSync(FIXTURES).find((f) => f.startsWith(prefix) && f.endsWith(".txt"))!,
    ),
    "utf8",
  );

/** Two gateway processes on one PostgreSQL database and one Redis, as behind a load balancer. */
(TEST_POSTGRES && TEST_REDIS ? describe : describe.skip)("two replicas on PostgreSQL and Redis", () => {
  const name = `newsgate_replicas_${process.pid}_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: TEST_POSTGRES! });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  const databaseUrl = () => Object.assign(new URL(TEST_POSTGRES!), { pathname: `/${name}` }).toString();
  let replicas: Array<ReturnType<typeof startCli>> = [];
  let urls: string[] = [];
  let editor: string;

  beforeAll(async () => {
    await admin(`CREATE DATABASE "${name}"`);
    const env = { DATABASE_URL: databaseUrl(), REDIS_URL: TEST_REDIS!, LOAD_DEMO: "false" };
    const migrated = await runCli("src/cli/migrate.ts", [], env);
    expect(migrated.code).toBe(0);
    const dataSource = await openDatabase({ databasePath: "", databaseUrl: databaseUrl() });
    editor = (await createClientApp(dataSource, { name: "desk", role: "editor" })).key;
    await dataSource.destroy();
    replicas = [0, 1].map(() => startCli("src/main.ts", { ...env, PORT: "0", HOST: "127.0.0.1" }, /serving (http:\S+)/));
    urls = (await Promise.all(replicas.map((replica) => replica.matched))).map((match) => match[1]);
  }, 60_000);

  afterAll(async () => {
    for (const replica of replicas) replica.child.kill("SIGTERM");
    await Promise.all(replicas.map((replica) => replica.exited));
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  const gql = async (url: string, query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as any;
  };

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
});
