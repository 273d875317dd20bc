import { startTestServer, type TestServer } from "../helpers/test-server";
import { article } from "../helpers/fixtures";

const SEARCH = `query($q: String!, $first: Int, $after: String, $kinds: [SearchKind!]) {
  search(query: $q, first: $first, after: $after, kinds: $kinds) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor kind score snippet node { __typename ... on Story { id headline } ... on Quote { id text } ... on Speaker { id name } } }
  }
}`;

describe("search over HTTP (SQLite FTS5 or PostgreSQL full-text, whichever the suite runs on)", () => {
  let api: TestServer;
  let editor: string;
  beforeAll(async () => {
    api = await startTestServer({ demo: true });
    editor = await api.key("desk", "editor");
    const ingest = `mutation($input: IngestArticleInput!) { ingestArticle(input: $input) { created } }`;
    for (const prefix of ["01", "05", "12"]) {
      const { body } = await api.gql(ingest, { input: { text: article(prefix) } }, { key: editor });
      expect(body.errors).toBeUndefined();
    }
  });
  afterAll(() => api.close());

  const search = async (q: string, extra: Record<string, unknown> = {}) => {
    const { body } = await api.gql(SEARCH, { q, ...extra });
    expect(body.errors).toBeUndefined();
    return body.data.search;
  };

  it("ranks hits across stories, quotes and speakers, with highlighted snippets", async () => {
    const result = await search("vesk");
    expect(result.edges[0]).toMatchObject({
      kind: "SPEAKER",
      node: { __typename: "Speaker", name: "Ana Vesk" },
      snippet: "Ana <mark>Vesk</mark>",
    });
    expect(new Set(result.edges.map((e: any) => e.kind))).toEqual(new Set(["SPEAKER", "STORY", "QUOTE"]));
    const scores = result.edges.map((e: any) => e.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const edge of result.edges) expect(edge.snippet).toMatch(/<mark>vesk<\/mark>/i);
  });

  it("ignores accents and matches word prefixes: Borovsky finds Borovskyy", async () => {
    const plain = await search("borovsky", { kinds: ["SPEAKER"] });
    expect(plain.edges.map((e: any) => e.node.name)).toContain("Arkadiy Borovskyy");
    const accented = await search("Bórovsky", { kinds: ["SPEAKER"] });
    expect(accented.edges.map((e: any) => e.node.name)).toEqual(plain.edges.map((e: any) => e.node.name));
  });

  it("matches quoted phrases only with their words in order", async () => {
    const phrase = await search('"security guarantees"');
    expect(phrase.totalCount).toBeGreaterThan(0);
    for (const edge of phrase.edges) expect(edge.snippet).toMatch(/<mark>security<\/mark> <mark>guarantees<\/mark>/i);
    const reversed = await search('"guarantees security"');
    expect(reversed.totalCount).toBeLessThan(phrase.totalCount);
  });

  it("pages through every hit with keyset cursors, without repeats", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const page: any = await search("ceasefire", { first: 5, after });
      total = page.totalCount;
      seen.push(...page.edges.map((e: any) => `${e.kind}:${e.node.id}`));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(total).toBeGreaterThan(10);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it("filters stories and quotes by search", async () => {
    const { body } =
      await api.gql(`{ stories(first: 100, filter: { search: "comet" }) { totalCount edges { node { headline bullets { text } } } }
      quotes(first: 100, filter: { search: "\\"not nothing\\"" }) { edges { node { text } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.stories.totalCount).toBeGreaterThan(0);
    for (const { node } of body.data.stories.edges) expect(JSON.stringify(node).toLowerCase()).toContain("comet");
    expect(body.data.quotes.edges.map((e: any) => e.node.text)).toEqual([expect.stringContaining("not nothing")]);
  });

  it("stays in step with corrections and re-ingests", async () => {
    const before = await search("vesk", { kinds: ["SPEAKER"] });
    const vesk = before.edges[0].node.id;
    await api.gql(`mutation($s: ID!) { renameSpeaker(speaker: $s, name: "Ana Veskova-Lind") { name } }`, { s: vesk }, { key: editor });
    expect((await search("veskova", { kinds: ["SPEAKER"] })).edges.map((e: any) => e.node.id)).toEqual([vesk]);
    const count = (await search("Harbour Compact", { kinds: ["STORY"] })).totalCount;
    await api.gql(
      `mutation($input: IngestArticleInput!) { ingestArticle(input: $input) { created } }`,
      { input: { text: article("01") } },
      { key: editor },
    );
    expect((await search("Harbour Compact", { kinds: ["STORY"] })).totalCount).toBe(count);
  });

  it("answers a bad query with BAD_USER_INPUT, and treats query syntax as plain words", async () => {
    for (const [q, message] of [
      ['"unclosed phrase', "search query has an unclosed quotation mark"],
      ["  ?! ", "search query has no words to search for"],
      ["x".repeat(201), "search query is longer than 200 characters"],
    ]) {
      const { body } = await api.gql(SEARCH, { q });
      expect(body.errors?.[0]).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT" } });
    }
    for (const q of ["vesk) OR 1=1 --", "NEAR(vesk ceasefire)", "vesk:* | !ceasefire", "'; DROP TABLE stories; --"]) {
      const { body } = await api.gql(SEARCH, { q });
      expect(body.errors).toBeUndefined();
    }
  });
});
