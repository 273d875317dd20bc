import { manyQuotesPage } from "../helpers/big-pages";
import { type HttpServer, startHttpServer } from "../helpers/http-server";
import { TEST_POSTGRES } from "../helpers/temp-database";

if (!TEST_POSTGRES) {
  // eslint-disable-next-line no-console
  console.log("hostile input runs on SQLite only: set NEWSGATE_TEST_POSTGRES to compare with PostgreSQL (.ci/run does)");
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const cursor = (key: unknown, id: unknown) => b64(JSON.stringify([key, id]));
/** Written out by hand: JSON.stringify itself overflows the stack on it. */
const NESTED = `${"[".repeat(5_000)}"STORY"${"]".repeat(5_000)}`;

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Variables as raw JSON text, for what JSON.stringify cannot write. */
  rawVariables?: string;
  editor?: boolean;
  /** The code expected; null when the input is fine and must simply not fail. */
  code: string | null;
}

/** Inputs anyone can send (most without a key) that once made PostgreSQL, or both, fail with an internal error. */
const CASES: Case[] = [
  {
    name: "a Story id beyond int4",
    query: `query($id: ID!) { node(id: $id) { id } }`,
    variables: { id: b64("Story:2147483648") },
    code: "BAD_USER_INPUT",
  },
  {
    name: "a Quote id of 15 digits",
    query: `query($id: ID!) { node(id: $id) { id } }`,
    variables: { id: b64("Quote:999999999999999") },
    code: "BAD_USER_INPUT",
  },
  {
    name: "story(id:) beyond int4",
    query: `query($id: ID!) { story(id: $id) { id } }`,
    variables: { id: b64("Story:9999999999") },
    code: "BAD_USER_INPUT",
  },
  {
    name: "the largest int4 id",
    query: `query($id: ID!) { node(id: $id) { id } }`,
    variables: { id: b64("Story:2147483647") },
    code: null,
  },
  {
    name: "a date cursor in year -271821",
    query: `query($a: String) { stories(after: $a) { totalCount } }`,
    variables: { a: cursor("-271821-04-20T00:00:00.000Z", 1) },
    code: "BAD_USER_INPUT",
  },
  {
    name: "a date cursor in year 275760",
    query: `query($a: String) { stories(after: $a) { totalCount } }`,
    variables: { a: cursor("+275760-09-13T00:00:00.000Z", 1) },
    code: "BAD_USER_INPUT",
  },
  {
    name: "a cursor id of 1e308",
    query: `query($a: String) { stories(after: $a) { totalCount } }`,
    variables: { a: cursor("2025-01-01T00:00:00.000Z", 1e308) },
    code: "BAD_USER_INPUT",
  },
  {
    name: "a rank cursor of 1e308",
    query: `query($a: String) { stories(first: 1) { edges { node { related(after: $a) { totalCount } } } } }`,
    variables: { a: cursor(1e308, 1) },
    code: "BAD_USER_INPUT",
  },
  {
    name: "a score cursor of 1e308 (a float column)",
    query: `query($a: String) { search(query: "hold", after: $a) { totalCount } }`,
    variables: { a: cursor(1e308, 1) },
    code: null,
  },
  {
    name: "a name cursor with a NUL",
    query: `query($a: String) { speakers(after: $a) { totalCount } }`,
    variables: { a: cursor("a\u0000b", 1) },
    code: "BAD_USER_INPUT",
  },
  {
    name: "a NUL in a slug variable",
    query: `query($s: String) { story(slug: $s) { id } }`,
    variables: { s: "a\u0000b" },
    code: "BAD_USER_INPUT",
  },
  { name: "a NUL in a slug literal", query: `{ speaker(slug: "a\\u0000b") { id } }`, code: "BAD_USER_INPUT" },
  {
    name: "a NUL in a search",
    query: `query($q: String!) { search(query: $q) { totalCount } }`,
    variables: { q: "hold\u0000" },
    code: "BAD_USER_INPUT",
  },
  {
    name: "a NUL in a speaker search",
    query: `query($q: String) { speakers(search: $q) { totalCount } }`,
    variables: { q: "ve\u0000sk" },
    code: "BAD_USER_INPUT",
  },
  {
    name: "a NUL in a new name",
    query: `mutation($s: ID!) { renameSpeaker(speaker: $s, name: "Ana\\u0000Vesk") { name } }`,
    variables: { s: b64("Speaker:1") },
    editor: true,
    code: "BAD_USER_INPUT",
  },
  {
    name: "a 301-character name",
    query: `mutation($s: ID!, $n: String!) { renameSpeaker(speaker: $s, name: $n) { name } }`,
    variables: { s: b64("Speaker:1"), n: "A".repeat(301) },
    editor: true,
    code: "BAD_USER_INPUT",
  },
  {
    name: "a 301-character role",
    query: `mutation($s: ID!, $r: String) { setSpeakerRole(speaker: $s, role: $r) { name } }`,
    variables: { s: b64("Speaker:1"), r: "r".repeat(301) },
    editor: true,
    code: "BAD_USER_INPUT",
  },
  {
    name: "a 1,001-character headline",
    query: `mutation($t: String!) { ingestArticle(input: { text: $t }) { created } }`,
    variables: { t: manyQuotesPage(2, 1, "H".repeat(1_001)) },
    editor: true,
    code: "BAD_USER_INPUT",
  },
  {
    name: "a 2,001-character canonical URL",
    query: `mutation($t: String!, $u: String) { ingestArticle(input: { text: $t, canonicalUrl: $u }) { created } }`,
    variables: { t: manyQuotesPage(2, 1, "Fine"), u: `https://example.com/${"a".repeat(2_000)}` },
    editor: true,
    code: "BAD_USER_INPUT",
  },
  {
    name: "a list variable nested 5,000 deep",
    query: `query($k: [SearchKind!]) { search(query: "hold", kinds: $k) { totalCount } }`,
    rawVariables: `{"k":${NESTED}}`,
    code: "BAD_USER_INPUT",
  },
];

async function outcomes(api: HttpServer): Promise<Array<[string, number, string | null]>> {
  const editor = await api.key("desk", "editor");
  // Something to find, and Speaker:1 for the corrections.
  const seeded = await api.gql(`mutation($t: String!) { ingestArticle(input: { text: $t }) { created } }`, {
    variables: { t: manyQuotesPage(8, 2, "We hold the line") },
    key: editor,
  });
  expect(seeded.body.errors).toBeUndefined();
  const results: Array<[string, number, string | null]> = [];
  for (const c of CASES) {
    const { status, body } = c.rawVariables
      ? await api.request({
          method: "POST",
          headers: { "content-type": "application/json" },
          body: `{"query":${JSON.stringify(c.query)},"variables":${c.rawVariables}}`,
        })
      : await api.gql(c.query, { variables: c.variables, key: c.editor ? editor : undefined });
    results.push([c.name, status < 500 ? status : 500, (body?.errors?.[0]?.extensions?.code as string | undefined) ?? null]);
  }
  return results;
}

describe("hostile input", () => {
  const servers: HttpServer[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  it("gets the same 4xx codes on SQLite and PostgreSQL, and never a 500", async () => {
    const engines: Array<"sqlite" | "postgres"> = TEST_POSTGRES ? ["sqlite", "postgres"] : ["sqlite"];
    const byEngine: Record<string, Array<[string, number, string | null]>> = {};
    for (const engine of engines) {
      const api = await startHttpServer({ engine });
      servers.push(api);
      byEngine[engine] = await outcomes(api);
    }
    const expected = CASES.map((c) => [c.name, expect.any(Number), c.code]);
    for (const engine of engines) {
      expect(byEngine[engine]).toEqual(expected);
      expect(byEngine[engine].filter(([, status]) => status >= 500)).toEqual([]);
    }
    if (TEST_POSTGRES) expect(byEngine.postgres).toEqual(byEngine.sqlite);
  }, 60_000);
});
