import { briefing, INGEST } from "../helpers/briefings";
import { startTestServer, type TestServer } from "../helpers/test-server";

/** One statement by Edda Kyrre, reported by three outlets in different words' dress. */
const FULL = "We will not sign anything that leaves the fishing fleet without a harbour";
const GAZETTE = briefing({
  publication: "The Harbour Gazette",
  headline: "Harbour talks resume in Mireland",
  bullets: [
    `Port minister Edda Kyrre said talks would resume on Monday. “${FULL},” Kyrre said.`,
    "Trade envoy Bastian Holm said: “The offer is still on the table until the end of the week.”",
  ],
});
const COURIER = briefing({
  publication: "The Coast Courier",
  headline: "Mireland harbour deal still far off",
  bullets: [
    // Straight marks, capitals, a hyphen and a full stop: the same words.
    `Edda Kyrre, the port minister, was blunt. "We will NOT sign anything that leaves the fishing-fleet without a harbour." she said.`,
    "Bastian Holm said: “The offer is still on the table until the end of the week.”",
  ],
});
const TIMES = briefing({
  publication: "The Isle Times",
  headline: "Fleet owners back port minister",
  bullets: [
    // A partial quote of the same statement.
    "Port minister Edda Kyrre said she would not sign “anything that leaves the fishing fleet without a harbour”.",
    // Too short to link as a partial quote, though it is inside the statement too.
    "“Without a harbour,” Kyrre said, there was no deal.",
    // The same words from somebody else are another statement.
    `Trade envoy Bastian Holm said: “${FULL}.”`,
  ],
});

const QUOTE = `query($id: ID!) { node(id: $id) { ... on Quote {
  text echoCount
  firstReported { id story { publication { slug } } }
  echoes(first: 10) { totalCount edges { cursor node { id text story { publication { slug } } } } }
} } }`;

describe("the same quote across outlets", () => {
  let api: TestServer;
  let editor: string;
  const as = (query: string, variables: Record<string, unknown>) => api.gql(query, variables, { key: editor });
  const ingest = async (text: string, at: string, url: string) => {
    const response = await as(INGEST, { input: { text, publishedAt: at, canonicalUrl: url } });
    expect(response.body.errors).toBeUndefined();
    return response.body.data.ingestArticle.story;
  };
  const quote = async (id: string) => {
    const response = await api.gql(QUOTE, { id });
    expect(response.body.errors).toBeUndefined();
    return response.body.data.node;
  };
  let gazette: any;
  let courier: any;
  let times: any;
  const kyrre = (story: any, pick = 0) => story.quotes.filter((q: any) => q.speaker?.name === "Edda Kyrre")[pick];

  beforeEach(async () => {
    api = await startTestServer();
    editor = await api.key("newsdesk", "editor");
    // Ingested out of order: the earliest publication time decides the first report.
    courier = await ingest(COURIER, "2026-03-02T12:00:00Z", "https://courier.example/harbour");
    times = await ingest(TIMES, "2026-03-03T09:00:00Z", "https://times.example/fleet");
    gazette = await ingest(GAZETTE, "2026-03-02T08:00:00Z", "https://gazette.example/talks");
  });
  afterEach(() => api.close());

  it("links reports with the same words, or a long enough part of them, by the same speaker; earliest first", async () => {
    expect(times.quotes.map((q: any) => [q.text, q.speaker?.name])).toEqual([
      ["anything that leaves the fishing fleet without a harbour", "Edda Kyrre"],
      ["Without a harbour,", "Edda Kyrre"],
      [`${FULL}.`, "Bastian Holm"],
    ]);
    const first = await quote(kyrre(gazette).id);
    expect(first.echoCount).toBe(2);
    expect(first.firstReported).toEqual({ id: kyrre(gazette).id, story: { publication: { slug: gazette.publication.slug } } });
    expect(first.echoes.totalCount).toBe(2);
    expect(first.echoes.edges.map((e: any) => [e.node.id, e.node.story.publication.slug])).toEqual([
      [kyrre(courier).id, courier.publication.slug],
      [kyrre(times).id, times.publication.slug],
    ]);

    const partial = await quote(kyrre(times).id);
    expect(partial.firstReported.id).toBe(kyrre(gazette).id);
    expect(partial.echoes.edges.map((e: any) => e.node.id)).toEqual([kyrre(gazette).id, kyrre(courier).id]);

    const fragment = await quote(kyrre(times, 1).id);
    expect([fragment.echoCount, fragment.firstReported.id, fragment.echoes.edges]).toEqual([0, kyrre(times, 1).id, []]);

    const holmFull = await quote(times.quotes[2].id);
    expect(holmFull.echoCount).toBe(0);
    // Holm's own repeated words are one statement of his.
    const holmOffer = await quote(gazette.quotes[1].id);
    expect(holmOffer.echoes.edges.map((e: any) => e.node.id)).toEqual([courier.quotes[1].id]);
  });

  it("pages echoes with after, and rejects a bad cursor or page size", async () => {
    const page1 = await api.gql(
      `query($id: ID!) { node(id: $id) { ... on Quote { echoes(first: 1) { pageInfo { hasNextPage endCursor } edges { node { id } } } } } }`,
      {
        id: kyrre(gazette).id,
      },
    );
    const { pageInfo, edges } = page1.body.data.node.echoes;
    expect([pageInfo.hasNextPage, edges[0].node.id]).toEqual([true, kyrre(courier).id]);
    const page2 = await api.gql(
      `query($id: ID!, $after: String) { node(id: $id) { ... on Quote { echoes(first: 1, after: $after) { pageInfo { hasNextPage } edges { node { id } } } } } }`,
      {
        id: kyrre(gazette).id,
        after: pageInfo.endCursor,
      },
    );
    expect(page2.body.data.node.echoes).toEqual({ pageInfo: { hasNextPage: false }, edges: [{ node: { id: kyrre(times).id } }] });
    for (const args of ["first: 0", 'after: "nonsense!"']) {
      const bad = await api.gql(`query($id: ID!) { node(id: $id) { ... on Quote { echoes(${args}) { totalCount } } } }`, {
        id: kyrre(gazette).id,
      });
      expect(bad.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    }
  });

  it("lists a speaker's statements once with their report counts, within since/until", async () => {
    const slug = await api.gql(`query($id: ID!) { node(id: $id) { ... on Speaker { slug } } }`, { id: kyrre(gazette).speaker.id });
    const SPEAKER = `query($slug: String!, $since: DateTimeISO, $until: DateTimeISO, $distinct: Boolean) {
      speaker(slug: $slug) { quotes(first: 10, since: $since, until: $until, distinct: $distinct) { totalCount edges { reportCount node { id } } } } }`;
    const vars = { slug: slug.body.data.node.slug };
    const all = await api.gql(SPEAKER, vars);
    expect(all.body.data.speaker.quotes.totalCount).toBe(4);
    expect(all.body.data.speaker.quotes.edges.every((e: any) => e.reportCount === 1)).toBe(true);
    const distinct = await api.gql(SPEAKER, { ...vars, distinct: true });
    expect(distinct.body.data.speaker.quotes).toEqual({
      totalCount: 2,
      edges: [
        { reportCount: 1, node: { id: kyrre(times, 1).id } },
        { reportCount: 3, node: { id: kyrre(gazette).id } },
      ],
    });
    const window = await api.gql(SPEAKER, { ...vars, since: "2026-03-02T10:00:00Z", until: "2026-03-03T00:00:00Z" });
    expect(window.body.data.speaker.quotes).toEqual({ totalCount: 1, edges: [{ reportCount: 1, node: { id: kyrre(courier).id } }] });
    const reversed = await api.gql(SPEAKER, { ...vars, since: "2026-03-03T00:00:00Z", until: "2026-03-02T00:00:00Z" });
    expect(reversed.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("keeps echoes right when a story is ingested again (its quotes get new ids)", async () => {
    const again = await ingest(GAZETTE, "2026-03-02T08:00:00Z", "https://gazette.example/talks");
    expect(kyrre(again).id).not.toBe(kyrre(gazette).id);
    const echo = await quote(kyrre(courier).id);
    expect(echo.firstReported.id).toBe(kyrre(again).id);
    expect(echo.echoes.edges.map((e: any) => e.node.id)).toEqual([kyrre(again).id, kyrre(times).id]);
    // Published later on a re-ingest: the courier's report becomes the first.
    const later = await ingest(GAZETTE, "2026-03-05T08:00:00Z", "https://gazette.example/talks");
    expect((await quote(kyrre(later).id)).firstReported.id).toBe(kyrre(courier).id);
  });

  it("moves a reassigned quote out of its statement and into the new speaker's matching one", async () => {
    const holm = times.quotes[2].speaker.id;
    const moved = await as(`mutation($q: ID!, $s: ID) { setQuoteSpeaker(quote: $q, speaker: $s) { echoCount firstReported { id } } }`, {
      q: kyrre(courier).id,
      s: holm,
    });
    expect(moved.body.data.setQuoteSpeaker).toEqual({ echoCount: 1, firstReported: { id: kyrre(courier).id } });
    expect((await quote(times.quotes[2].id)).firstReported.id).toBe(kyrre(courier).id);
    const left = await quote(kyrre(gazette).id);
    expect(left.echoes.edges.map((e: any) => e.node.id)).toEqual([kyrre(times).id]);

    const cleared = await as(`mutation($q: ID!) { setQuoteSpeaker(quote: $q, speaker: null) { echoCount firstReported { id } } }`, {
      q: kyrre(gazette).id,
    });
    expect(cleared.body.data.setQuoteSpeaker).toEqual({ echoCount: 0, firstReported: { id: kyrre(gazette).id } });
    expect((await quote(kyrre(times).id)).echoCount).toBe(0);

    const created = await as(`mutation($q: ID!) { createSpeakerForQuote(quote: $q, name: "Ragna Sol") { echoCount speaker { name } } }`, {
      q: kyrre(times).id,
    });
    expect(created.body.data.createSpeakerForQuote).toEqual({ echoCount: 0, speaker: { name: "Ragna Sol" } });
  });

  it("links the statements of two speakers merged into one", async () => {
    const holm = times.quotes[2].speaker.id;
    const before = await quote(times.quotes[2].id);
    expect(before.echoCount).toBe(0);
    const merged = await as(`mutation($a: ID!, $b: ID!) { mergeSpeakers(speaker: $a, into: $b) { id } }`, {
      a: holm,
      b: kyrre(gazette).speaker.id,
    });
    expect(merged.body.errors).toBeUndefined();
    const after = await quote(kyrre(gazette).id);
    expect(after.echoCount).toBe(3);
    expect(after.echoes.edges.map((e: any) => e.node.id)).toEqual([kyrre(courier).id, kyrre(times).id, times.quotes[2].id]);
  });

  it("keeps cached echoes right after a reassignment and a new report", async () => {
    const COUNT = `query($id: ID!) { node(id: $id) { ... on Quote { echoCount } } }`;
    const count = async () => (await api.gql(COUNT, { id: kyrre(gazette).id })).body.data.node.echoCount;
    expect(await count()).toBe(2);
    expect(await count()).toBe(2);
    expect(api.reports.at(-1)!.sqlStatements).toBe(0);
    await as(`mutation($q: ID!) { setQuoteSpeaker(quote: $q, speaker: null) { id } }`, { q: kyrre(courier).id });
    expect(await count()).toBe(1);
    await ingest(
      briefing({
        publication: "The Fjord Post",
        headline: "Minister repeats harbour pledge",
        bullets: [`“${FULL}!” Edda Kyrre said again.`],
      }),
      "2026-03-06T08:00:00Z",
      "https://fjord.example/pledge",
    );
    expect(await count()).toBe(2);
  });
});
