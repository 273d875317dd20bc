import { startTestServer, type TestServer } from "../helpers/test-server";
import { article } from "../helpers/fixtures";

const INGEST = `mutation($input: IngestArticleInput!) { ingestArticle(input: $input) { story { id slug quotes { id text speaker { id name } } speakers { id name } } } }`;
const LOG = `query($target: ID) { corrections(filter: { target: $target }) { totalCount edges { node { kind targetType target before after actor createdAt } } } }`;

describe("editorial corrections", () => {
  let api: TestServer;
  let editor: string;
  let story: any;
  let other: any;
  const as = (query: string, variables: Record<string, unknown>) => api.gql(query, variables, { key: editor });

  beforeEach(async () => {
    api = await startTestServer();
    editor = await api.key("newsdesk", "editor");
    story = (await as(INGEST, { input: { text: article("01"), canonicalUrl: "https://ledger.example/one" } })).body.data.ingestArticle
      .story;
    other = (await as(INGEST, { input: { text: article("12") } })).body.data.ingestArticle.story;
  });
  afterEach(() => api.close());

  it("sets and clears a quote's speaker, logs both, and keeps the choice through a re-ingest", async () => {
    const quote = story.quotes[0];
    const voss = story.speakers.find((s: any) => s.name === "Garrett Voss");
    const set = await as(
      `mutation($q: ID!, $s: ID) { setQuoteSpeaker(quote: $q, speaker: $s) { text attributionRule attributionConfidence speaker { name } } }`,
      { q: quote.id, s: voss.id },
    );
    expect(set.body.data.setQuoteSpeaker).toEqual({
      text: quote.text,
      attributionRule: "EDITOR",
      attributionConfidence: 1,
      speaker: { name: "Garrett Voss" },
    });

    const again = await as(INGEST, { input: { text: article("01"), canonicalUrl: "https://ledger.example/one" } });
    const kept = again.body.data.ingestArticle.story.quotes.find((q: any) => q.text === quote.text);
    expect(kept.speaker.name).toBe("Garrett Voss");

    const cleared = await as(`mutation($q: ID!) { setQuoteSpeaker(quote: $q, speaker: null) { speaker { name } } }`, { q: kept.id });
    expect(cleared.body.data.setQuoteSpeaker.speaker).toBeNull();
    const log = await api.gql(LOG, { target: kept.id });
    expect(log.body.data.corrections.edges.map((e: any) => [e.node.kind, e.node.after.speakerId === null, e.node.actor])).toEqual([
      ["CLEAR_QUOTE_SPEAKER", true, "newsdesk"],
    ]);
  });

  it("merges two speakers: quotes and aliases move, the old id resolves to the survivor", async () => {
    const [first, second] = story.speakers;
    const merged = await as(`mutation($a: ID!, $b: ID!) { mergeSpeakers(speaker: $a, into: $b) { id name aliases quoteCount } }`, {
      a: first.id,
      b: second.id,
    });
    expect(merged.body.errors).toBeUndefined();
    expect(merged.body.data.mergeSpeakers.aliases).toContain(first.name);
    const lookup = await api.gql(`query($id: ID!) { node(id: $id) { id ... on Speaker { name } } }`, { id: first.id });
    expect(lookup.body.data.node).toEqual({ id: second.id, name: second.name });
    const list = await api.gql(`{ speakers(first: 100) { edges { node { id } } } }`);
    expect(list.body.data.speakers.edges.map((e: any) => e.node.id)).not.toContain(first.id);
    const log = await api.gql(LOG, { target: first.id });
    expect(log.body.data.corrections.edges[0].node).toMatchObject({
      kind: "MERGE_SPEAKERS",
      targetType: "Speaker",
      before: { name: first.name },
    });
    const self = await as(`mutation($a: ID!) { mergeSpeakers(speaker: $a, into: $a) { id } }`, { a: second.id });
    expect(self.body.errors?.[0]).toMatchObject({
      message: "A speaker cannot be merged into itself",
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("renames a speaker (the old name becomes an alias) and sets a role with its history", async () => {
    const speaker = story.speakers[0];
    const renamed = await as(`mutation($s: ID!) { renameSpeaker(speaker: $s, name: "Anna Vesková") { name aliases } }`, { s: speaker.id });
    expect(renamed.body.data.renameSpeaker).toMatchObject({ name: "Anna Vesková" });
    expect(renamed.body.data.renameSpeaker.aliases).toContain(speaker.name);
    const role = await as(`mutation($s: ID!) { setSpeakerRole(speaker: $s, role: "prime minister") { role roles { role } } }`, {
      s: speaker.id,
    });
    expect(role.body.data.setSpeakerRole.role).toBe("prime minister");
    expect(role.body.data.setSpeakerRole.roles[0]).toEqual({ role: "prime minister" });
    const log = await api.gql(LOG, { target: speaker.id });
    expect(log.body.data.corrections.edges.map((e: any) => [e.node.kind, e.node.before, e.node.after])).toEqual([
      ["SET_SPEAKER_ROLE", { role: expect.stringContaining("foreign minister") }, { role: "prime minister" }],
      ["RENAME_SPEAKER", { name: speaker.name }, { name: "Anna Vesková" }],
    ]);
  });

  it("links and unlinks related stories; editorial links come first", async () => {
    const linked = await as(
      `mutation($a: ID!, $b: ID!) { linkStories(story: $a, related: $b) { related(first: 10) { edges { reason rank node { id } } } } }`,
      { a: story.id, b: other.id },
    );
    expect(linked.body.data.linkStories.related.edges[0]).toEqual({ reason: "EDITORIAL", rank: 1, node: { id: other.id } });
    const unlinked = await as(
      `mutation($a: ID!, $b: ID!) { unlinkStories(story: $a, related: $b) { related(first: 10) { edges { node { id } } } } }`,
      { a: story.id, b: other.id },
    );
    expect(unlinked.body.data.unlinkStories.related.edges.map((e: any) => e.node.id)).not.toContain(other.id);
    const twice = await as(`mutation($a: ID!, $b: ID!) { unlinkStories(story: $a, related: $b) { id } }`, { a: story.id, b: other.id });
    expect(twice.body.errors?.[0]).toMatchObject({ message: "Those stories are not linked", extensions: { code: "NOT_FOUND" } });
    const log = await api.gql(LOG, { target: story.id });
    expect(log.body.data.corrections.edges.map((e: any) => e.node.kind)).toEqual(["UNLINK_STORIES", "LINK_STORIES"]);
  });

  it("refuses corrections without an editor key, and ids of the wrong type, changing nothing", async () => {
    const anonymous = await api.gql(`mutation($q: ID!) { setQuoteSpeaker(quote: $q, speaker: null) { id } }`, { q: story.quotes[0].id });
    expect([anonymous.status, anonymous.body.errors?.[0].extensions?.code]).toEqual([401, "UNAUTHENTICATED"]);
    const wrongType = await as(`mutation($q: ID!) { setQuoteSpeaker(quote: $q, speaker: null) { id } }`, { q: story.id });
    expect(wrongType.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect((await api.gql(LOG, {})).body.data.corrections.totalCount).toBe(0);
  });
});
