import { briefing, INGEST } from "../helpers/briefings";
import { startTestServer, type TestServer } from "../helpers/test-server";

const GAZETTE = briefing({
  publication: "The Harbour Gazette",
  headline: "Harbour talks resume in Mireland",
  bullets: [
    "Port minister Edda Kyrre said talks would resume. “We will not sign anything that leaves the fleet without a harbour,” Kyrre said.",
    "Trade envoy Bastian Holm said: “The offer is still on the table until the end of the week.”",
    "Outside, the crowd was loud. “Build the harbour now,” one banner read.",
  ],
});
const COURIER = briefing({
  publication: "The Coast Courier",
  headline: "Ferry timetable cut for winter",
  bullets: ["Transport chief Ilse Marrow said: “Two crossings a day is all the island can pay for this winter.”"],
});

const QUEUE = `query($filter: ReviewQueueFilter, $first: Int, $after: String) {
  reviewQueue(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id text attributionRule attributionConfidence reviewState reviewedAt reviewedBy speaker { name } story { publication { slug } } } }
  }
}`;
const LOG = `query($filter: CorrectionsFilter) { corrections(filter: $filter) { totalCount edges { node { kind targetType target before after actor } } } }`;
const CONFIRM = `mutation($q: ID!) { confirmQuote(quote: $q) { id reviewState reviewedAt reviewedBy speaker { name } } }`;
const CREATE = `mutation($q: ID!, $name: String!, $kind: SpeakerKind) {
  createSpeakerForQuote(quote: $q, name: $name, kind: $kind) { id reviewState reviewedBy attributionRule speaker { id name kind slug } }
}`;

describe("the review queue and review corrections", () => {
  let api: TestServer;
  let editor: string;
  let reader: string;
  let gazette: any;
  let courier: any;
  const as = (query: string, variables: Record<string, unknown> = {}) => api.gql(query, variables, { key: editor });
  const queue = async (variables: Record<string, unknown> = {}) => {
    const response = await api.gql(QUEUE, variables);
    expect(response.body.errors).toBeUndefined();
    return response.body.data.reviewQueue;
  };

  beforeEach(async () => {
    api = await startTestServer();
    editor = await api.key("newsdesk", "editor");
    reader = await api.key("researcher", "reader");
    gazette = (
      await as(INGEST, { input: { text: GAZETTE, publishedAt: "2026-03-02T08:00:00Z", canonicalUrl: "https://gazette.example/a" } })
    ).body.data.ingestArticle.story;
    courier = (await as(INGEST, { input: { text: COURIER, publishedAt: "2026-03-04T08:00:00Z" } })).body.data.ingestArticle.story;
  });
  afterEach(() => api.close());

  it("lists unreviewed quotes, least certain first, and filters them", async () => {
    const all = await queue();
    const confidences = all.edges.map((e: any) => e.node.attributionConfidence);
    expect(all.totalCount).toBe(4);
    expect(confidences).toEqual([...confidences].sort((a, b) => a - b));
    expect(all.edges[0].node).toMatchObject({
      text: "Build the harbour now,",
      attributionRule: "NONE",
      speaker: null,
      reviewState: "UNREVIEWED",
      reviewedAt: null,
    });

    const page1 = await queue({ first: 2 });
    const page2 = await queue({ first: 2, after: page1.pageInfo.endCursor });
    expect([...page1.edges, ...page2.edges].map((e: any) => e.node.id)).toEqual(all.edges.map((e: any) => e.node.id));
    expect(page2.pageInfo.hasNextPage).toBe(false);

    const bySlug = await queue({ filter: { publication: courier.publication.slug } });
    const publicationId = (await api.gql(`{ publications(first: 10) { edges { node { id slug } } } }`)).body.data.publications.edges.find(
      (e: any) => e.node.slug === courier.publication.slug,
    ).node.id;
    const byId = await queue({ filter: { publication: publicationId } });
    expect(bySlug.edges.map((e: any) => e.node.text)).toEqual(["Two crossings a day is all the island can pay for this winter."]);
    expect(byId).toEqual(bySlug);
    const holm = gazette.quotes[1].speaker;
    expect((await queue({ filter: { speaker: holm.id } })).edges.map((e: any) => e.node.id)).toEqual([gazette.quotes[1].id]);
    expect((await queue({ filter: { rule: "TAG_AFTER" } })).edges.map((e: any) => e.node.id)).toEqual([gazette.quotes[0].id]);
    expect((await queue({ filter: { since: "2026-03-03T00:00:00Z" } })).totalCount).toBe(1);
    expect((await queue({ filter: { until: "2026-03-03T00:00:00Z" } })).totalCount).toBe(3);

    for (const filter of [
      { publication: "no-such-paper" },
      { speaker: "nobody-at-all" },
      { since: "2026-03-05T00:00:00Z", until: "2026-03-01T00:00:00Z" },
    ]) {
      const bad = await api.gql(QUEUE, { filter });
      expect(bad.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    }
    const badCursor = await api.gql(QUEUE, { after: page1.edges[0].node.id });
    expect(badCursor.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("confirms a quote: CONFIRMED, out of the queue, logged with who, before and after", async () => {
    const target = gazette.quotes[1];
    const confirmed = await as(CONFIRM, { q: target.id });
    expect(confirmed.body.errors).toBeUndefined();
    expect(confirmed.body.data.confirmQuote).toMatchObject({
      reviewState: "CONFIRMED",
      reviewedBy: "newsdesk",
      speaker: { name: "Bastian Holm" },
    });
    expect(Date.parse(confirmed.body.data.confirmQuote.reviewedAt)).not.toBeNaN();
    expect((await queue()).edges.map((e: any) => e.node.id)).not.toContain(target.id);
    const reviewed = await queue({ filter: { includeReviewed: true } });
    expect(reviewed.totalCount).toBe(4);

    const log = await api.gql(LOG, { filter: { target: target.id } });
    expect(log.body.data.corrections.edges).toEqual([
      {
        node: {
          kind: "CONFIRM_QUOTE",
          targetType: "Quote",
          target: target.id,
          before: { reviewState: "unreviewed", reviewedAt: null, reviewedBy: null },
          after: {
            reviewState: "confirmed",
            reviewedAt: confirmed.body.data.confirmQuote.reviewedAt,
            reviewedBy: "newsdesk",
            speakerId: expect.any(Number),
          },
          actor: "newsdesk",
        },
      },
    ]);
  });

  it("creates a speaker from a quote: CORRECTED, both changes logged; bad names and unknown quotes change nothing", async () => {
    const orphan = gazette.quotes[2];
    const created = await as(CREATE, { q: orphan.id, name: "  Harbour   Action Group ", kind: "ORGANISATION" });
    expect(created.body.errors).toBeUndefined();
    const quote = created.body.data.createSpeakerForQuote;
    expect(quote).toMatchObject({
      reviewState: "CORRECTED",
      reviewedBy: "newsdesk",
      attributionRule: "EDITOR",
      speaker: { name: "Harbour Action Group", kind: "ORGANISATION", slug: "harbour-action-group" },
    });
    const found = await api.gql(`{ speakers(search: "action group") { edges { node { name quoteCount } } } }`);
    expect(found.body.data.speakers.edges).toEqual([{ node: { name: "Harbour Action Group", quoteCount: 1 } }]);
    const log = await api.gql(LOG, { filter: { actor: "newsdesk" } });
    expect(log.body.data.corrections.edges.map((e: any) => [e.node.kind, e.node.targetType])).toEqual([
      ["SET_QUOTE_SPEAKER", "Quote"],
      ["CREATE_SPEAKER", "Speaker"],
    ]);
    expect(log.body.data.corrections.edges[0].node.before).toMatchObject({
      speakerId: null,
      reviewState: "unreviewed",
      attributionRule: "none",
    });
    expect(log.body.data.corrections.edges[1].node).toMatchObject({ target: quote.speaker.id, after: { name: "Harbour Action Group" } });

    const speakers = async () => (await api.gql(`{ speakers(first: 100) { totalCount } }`)).body.data.speakers.totalCount;
    const count = await speakers();
    for (const [variables, code] of [
      [{ q: gazette.quotes[0].id, name: "   " }, "BAD_USER_INPUT"],
      [{ q: gazette.quotes[0].id, name: "x".repeat(301) }, "BAD_USER_INPUT"],
      [{ q: gazette.id, name: "Somebody" }, "BAD_USER_INPUT"],
      [{ q: "UXVvdGU6OTk5OTk", name: "Somebody" }, "NOT_FOUND"],
    ] as const) {
      const bad = await as(CREATE, variables);
      expect(bad.body.errors?.[0].extensions?.code).toBe(code);
    }
    expect(await speakers()).toBe(count);
    expect((await api.gql(LOG, {})).body.data.corrections.totalCount).toBe(2);
  });

  it("marks setQuoteSpeaker CORRECTED, and a re-ingest keeps every review choice", async () => {
    const set = await as(
      `mutation($q: ID!, $s: ID) { setQuoteSpeaker(quote: $q, speaker: $s) { reviewState reviewedBy speaker { name } } }`,
      {
        q: gazette.quotes[0].id,
        s: gazette.quotes[1].speaker.id,
      },
    );
    expect(set.body.data.setQuoteSpeaker).toEqual({ reviewState: "CORRECTED", reviewedBy: "newsdesk", speaker: { name: "Bastian Holm" } });
    const confirmed = (await as(CONFIRM, { q: gazette.quotes[1].id })).body.data.confirmQuote;
    await as(`mutation($q: ID!) { setQuoteSpeaker(quote: $q, speaker: null) { id } }`, { q: gazette.quotes[2].id });

    const again = await as(INGEST, { input: { text: GAZETTE, canonicalUrl: "https://gazette.example/a" } });
    const quotes = (
      await api.gql(
        `query($slug: String!) { story(slug: $slug) { quotes { text reviewState reviewedAt reviewedBy attributionRule speaker { name } } } }`,
        {
          slug: again.body.data.ingestArticle.story.slug,
        },
      )
    ).body.data.story.quotes;
    expect(quotes.map((q: any) => [q.reviewState, q.reviewedBy, q.attributionRule, q.speaker?.name ?? null])).toEqual([
      ["CORRECTED", "newsdesk", "EDITOR", "Bastian Holm"],
      ["CONFIRMED", "newsdesk", "TAG_BEFORE", "Bastian Holm"],
      ["CORRECTED", "newsdesk", "EDITOR", null],
    ]);
    expect(quotes[1].reviewedAt).toBe(confirmed.reviewedAt);
    expect((await queue({ filter: { publication: gazette.publication.slug } })).totalCount).toBe(0);
  });

  it("refuses review writes with a reader key or none, writing nothing", async () => {
    const target = gazette.quotes[0].id;
    for (const [query, variables] of [
      [CONFIRM, { q: target }],
      [CREATE, { q: target, name: "Somebody Else" }],
      [`mutation($q: ID!) { setQuoteSpeaker(quote: $q, speaker: null) { id } }`, { q: target }],
    ] as const) {
      const asReader = await api.gql(query, variables, { key: reader });
      expect([asReader.status, asReader.body.errors?.[0].extensions?.code]).toEqual([403, "FORBIDDEN"]);
      const anonymous = await api.gql(query, variables);
      expect(anonymous.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    }
    // A reader may browse the queue.
    const browse = await api.gql(QUEUE, {}, { key: reader });
    expect(browse.body.data.reviewQueue.totalCount).toBe(4);
    expect((await api.gql(LOG, {})).body.data.corrections.totalCount).toBe(0);
  });

  it("filters the corrections log by actor, target type and time", async () => {
    const other = await api.key("nightdesk", "editor");
    await as(CONFIRM, { q: gazette.quotes[0].id });
    const start = new Date().toISOString();
    await api.gql(CONFIRM, { q: gazette.quotes[1].id }, { key: other });
    await as(`mutation($s: ID!) { renameSpeaker(speaker: $s, name: "Bastian K. Holm") { id } }`, { s: gazette.quotes[1].speaker.id });
    const kinds = async (filter: Record<string, unknown>) =>
      (await api.gql(LOG, { filter })).body.data.corrections.edges.map((e: any) => [e.node.kind, e.node.actor]);
    expect(await kinds({ actor: "nightdesk" })).toEqual([["CONFIRM_QUOTE", "nightdesk"]]);
    expect(await kinds({ targetType: "Speaker" })).toEqual([["RENAME_SPEAKER", "newsdesk"]]);
    expect(await kinds({ targetType: "Quote", actor: "newsdesk" })).toEqual([["CONFIRM_QUOTE", "newsdesk"]]);
    expect(await kinds({ since: start, kind: "CONFIRM_QUOTE" })).toEqual([["CONFIRM_QUOTE", "nightdesk"]]);
    expect(await kinds({ until: start })).toEqual([["CONFIRM_QUOTE", "newsdesk"]]);
    for (const filter of [{ targetType: "Planet" }, { since: start, until: start }]) {
      expect((await api.gql(LOG, { filter })).body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    }
  });

  it("keeps cached answers right after each review write", async () => {
    const READ = `query($slug: String!) { story(slug: $slug) { quotes { reviewState speaker { name } } } }`;
    const read = async () => (await api.gql(READ, { slug: gazette.slug })).body.data.story.quotes;
    const cachedQueue = async () => (await queue()).totalCount;
    expect(await cachedQueue()).toBe(4);
    expect((await read())[0].reviewState).toBe("UNREVIEWED");
    await read();
    expect(api.reports.at(-1)!.sqlStatements).toBe(0);

    await as(CONFIRM, { q: gazette.quotes[0].id });
    expect((await read())[0].reviewState).toBe("CONFIRMED");
    expect(await cachedQueue()).toBe(3);
    await as(CREATE, { q: gazette.quotes[2].id, name: "Harbour Action Group" });
    expect((await read())[2]).toEqual({ reviewState: "CORRECTED", speaker: { name: "Harbour Action Group" } });
    expect(await cachedQueue()).toBe(2);
    const speakers = await api.gql(`{ speakers(first: 100) { edges { node { name } } } }`);
    expect(speakers.body.data.speakers.edges.map((e: any) => e.node.name)).toContain("Harbour Action Group");
  });
});
