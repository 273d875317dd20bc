import { collect } from "../helpers/subscriptions";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { article } from "../helpers/fixtures";

const INGEST = `mutation($input: IngestArticleInput!) { ingestArticle(input: $input) { story { id headline } } }`;

describe("subscriptions over graphql-ws", () => {
  let api: TestServer;
  let editor: string;
  beforeEach(async () => {
    api = await startTestServer();
    editor = await api.key("desk", "editor");
  });
  afterEach(() => api.close());

  it("storyPublished tells a filtered subscriber about new stories only from its publication", async () => {
    const ledger = await collect(
      api.url,
      `subscription { storyPublished(filter: { publication: "the-northern-ledger-uk" }) { headline publication { name } } }`,
    );
    const everything = await collect(api.url, `subscription { storyPublished { headline } }`);
    await api.gql(INGEST, { input: { text: article("02") } }, { key: editor });
    await api.gql(INGEST, { input: { text: article("01") } }, { key: editor });
    const [story] = await ledger.next(1);
    expect(story).toEqual({
      storyPublished: { headline: expect.stringMatching(/^Veldoria war briefing/), publication: { name: "The Northern Ledger - UK" } },
    });
    expect(await everything.next(2)).toHaveLength(2);
    expect(ledger.values).toHaveLength(1);
    ledger.dispose();
    everything.dispose();
  });

  it("quoteAdded tells once per story, filters by speaker, and storyUpdated follows one story through a correction", async () => {
    const vesk = await collect(api.url, `subscription { quoteAdded(speaker: "ana-vesk") { count quotes { text speaker { name } } } }`);
    const all = await collect(api.url, `subscription { quoteAdded { count story { headline } } }`);
    const { body } = await api.gql(INGEST, { input: { text: article("01") } }, { key: editor });
    const [added] = await vesk.next(1);
    expect(added.quoteAdded.count).toBe(2);
    expect(added.quoteAdded.quotes.map((q: any) => q.speaker.name)).toEqual(["Ana Vesk", "Ana Vesk"]);
    const [everyQuote] = await all.next(1);
    expect(everyQuote.quoteAdded).toEqual({ count: expect.any(Number), story: { headline: body.data.ingestArticle.story.headline } });
    expect(everyQuote.quoteAdded.count).toBeGreaterThan(2);
    // One event for the whole story, not one per quote.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([vesk.values.length, all.values.length]).toEqual([1, 1]);
    all.dispose();

    const story = body.data.ingestArticle.story;
    const updates = await collect(api.url, `subscription($id: ID!) { storyUpdated(id: $id) { id headline } }`, { id: story.id });
    const other = await api.gql(INGEST, { input: { text: article("12") } }, { key: editor });
    await api.gql(
      `mutation($a: ID!, $b: ID!) { linkStories(story: $a, related: $b) { id } }`,
      { a: story.id, b: other.body.data.ingestArticle.story.id },
      { key: editor },
    );
    expect(await updates.next(1)).toEqual([{ storyUpdated: { id: story.id, headline: story.headline } }]);
    vesk.dispose();
    updates.dispose();
  });

  it("answers a malformed id with BAD_USER_INPUT and refuses a wrong key", async () => {
    const bad = await collect(api.url, `subscription { storyUpdated(id: "nope") { id } }`);
    await bad.next(1).catch(() => undefined);
    expect(bad.errors[0]).toMatchObject({ message: '"nope" is not a valid Newsgate id', extensions: { code: "BAD_USER_INPUT" } });
    bad.dispose();
    const refused = await collect(api.url, `subscription { storyPublished { id } }`, {}, { authorization: "Bearer ng_wrong" });
    await refused.next(1).catch(() => undefined);
    expect(String(refused.errors[0])).toMatch(/closed|Forbidden|4403/);
    refused.dispose();
  });
});
