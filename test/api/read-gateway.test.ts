import { readDemoContent } from "../../src/demo/load-demo";
import { toGlobalId } from "../../src/relay/global-id";
import { readOperation } from "../helpers/operations";
import { startTestServer, type TestServer } from "../helpers/test-server";

const demo = readDemoContent();

describe("read gateway over HTTP, on the demo content", () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer({ demo: true });
  });
  afterAll(() => api.close());

  it("serves the story page with every nested field", async () => {
    const source = demo.stories.find((story) => story.related.length > 0 && story.image)!;
    const { status, body } = await api.gql(readOperation("story-page"), { slug: source.slug });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const story = body.data.story;
    expect(story.headline).toBe(source.headline);
    expect(story.publishedAt).toBe(new Date(source.publishedAt).toISOString());
    expect(story.publication.name).toBe(demo.publications.find((p) => p.slug === source.publication)!.name);
    expect(story.image).toEqual({ url: source.image!.url, caption: source.image!.caption, credit: source.image!.credit });
    expect(story.bullets.map((b: any) => b.text)).toEqual(source.bullets.map((b) => b.text));
    for (const [i, bullet] of story.bullets.entries()) {
      expect(bullet.position).toBe(i);
      const expected = source.bullets[i].quotes;
      expect(bullet.quotes.map((q: any) => q.text)).toEqual(expected.map((q) => q.text));
      for (const quote of bullet.quotes) {
        expect(bullet.text.slice(quote.startOffset, quote.endOffset)).toBe(quote.text);
      }
      expect(bullet.quotes.map((q: any) => q.speaker?.name ?? null)).toEqual(
        expected.map((q) => (q.speaker ? demo.speakers.find((s) => s.slug === q.speaker)!.name : null)),
      );
    }
    expect(story.related.edges.map((e: any) => e.node.slug)).toEqual(source.related.map((r) => r.story).slice(0, 5));
    expect(story.related.edges.map((e: any) => [e.reason, e.rank])).toEqual(
      source.related.slice(0, 5).map((_r, i) => ["EDITORIAL", i + 1]),
    );
  });

  it("pages through every story newest first with keyset cursors, without gaps or repeats", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { body } = await api.gql(readOperation("front-page"), { first: 7, after });
      expect(body.errors).toBeUndefined();
      const connection: any = body.data.stories;
      expect(connection.totalCount).toBe(demo.stories.length);
      seen.push(...connection.edges.map((edge: any) => edge.node.publishedAt + " " + edge.node.slug));
      pages++;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(demo.stories.length / 7));
    const expected = [...demo.stories]
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
      .map((story) => new Date(story.publishedAt).toISOString() + " " + story.slug);
    expect(seen).toEqual(expected);
  });

  it("defaults first to 20", async () => {
    const { body } = await api.gql("{ stories { edges { cursor } pageInfo { hasNextPage hasPreviousPage } } }");
    expect(body.data.stories.edges).toHaveLength(20);
    expect(body.data.stories.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
  });

  it("lists every quote a speaker made, newest first, across stories and publications", async () => {
    const counts = new Map<string, number>();
    for (const story of demo.stories)
      for (const bullet of story.bullets)
        for (const quote of bullet.quotes) if (quote.speaker) counts.set(quote.speaker, (counts.get(quote.speaker) ?? 0) + 1);
    const [slug, total] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    const dates: string[] = [];
    const publications = new Set<string>();
    let after: string | null = null;
    do {
      const { body }: any = await api.gql(readOperation("speaker-quotes"), { slug, first: 10, after });
      expect(body.errors).toBeUndefined();
      expect(body.data.speaker.quoteCount).toBe(total);
      expect(body.data.speaker.quotes.totalCount).toBe(total);
      for (const edge of body.data.speaker.quotes.edges) {
        dates.push(edge.node.publishedAt);
        publications.add(edge.node.story.publication.name);
      }
      after = body.data.speaker.quotes.pageInfo.hasNextPage ? body.data.speaker.quotes.pageInfo.endCursor : null;
    } while (after);
    expect(dates).toHaveLength(total);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(publications.size).toBeGreaterThan(1);
  });

  it("filters stories by publication, section, topic, speaker and time", async () => {
    const story = demo.stories[5];
    const speakerSlug = story.bullets.flatMap((b) => b.quotes).find((q) => q.speaker)!.speaker!;
    const query = `query($filter: StoriesFilter) { stories(first: 100, filter: $filter) { totalCount edges { node { slug } } } }`;
    const expectSlugs = async (filter: object, predicate: (s: (typeof demo.stories)[number]) => boolean) => {
      const { body } = await api.gql(query, { filter });
      expect(body.errors).toBeUndefined();
      const expected = demo.stories.filter(predicate).map((s) => s.slug);
      expect(expected.length).toBeGreaterThan(0);
      expect(body.data.stories.edges.map((e: any) => e.node.slug).sort()).toEqual(expected.sort());
      expect(body.data.stories.totalCount).toBe(expected.length);
    };
    await expectSlugs({ publication: story.publication }, (s) => s.publication === story.publication);
    await expectSlugs({ section: story.section!.toUpperCase() }, (s) => s.section === story.section);
    await expectSlugs({ topic: story.topics[0] }, (s) => s.topics.includes(story.topics[0]));
    await expectSlugs({ speaker: speakerSlug }, (s) => s.bullets.some((b) => b.quotes.some((q) => q.speaker === speakerSlug)));
    await expectSlugs(
      { since: story.publishedAt, until: "2030-01-01T00:00:00Z", publication: story.publication },
      (s) => s.publishedAt >= story.publishedAt && s.publication === story.publication,
    );
  });

  it("filters quotes by speaker and story", async () => {
    const story = demo.stories.find((s) => s.bullets.some((b) => b.quotes.length > 1))!;
    const { body } = await api.gql(
      `query($story: String) { quotes(first: 100, filter: { story: $story }) { totalCount edges { node { text } } } }`,
      {
        story: story.slug,
      },
    );
    const expected = story.bullets.flatMap((b) => b.quotes.map((q) => q.text));
    expect(body.data.quotes.totalCount).toBe(expected.length);
    expect(body.data.quotes.edges.map((e: any) => e.node.text).sort()).toEqual([...expected].sort());
  });

  it("takes in filters the global ids responses give, as well as slugs", async () => {
    const source = demo.stories.find((s) => s.bullets.some((b) => b.quotes.some((q) => q.speaker)))!;
    const speakerSlug = source.bullets.flatMap((b) => b.quotes).find((q) => q.speaker)!.speaker!;
    const ids = await api.gql(
      `query($slug: String!, $speaker: String!) { story(slug: $slug) { id publication { id } } speaker(slug: $speaker) { id } }`,
      {
        slug: source.slug,
        speaker: speakerSlug,
      },
    );
    const { story, speaker } = ids.body.data;
    const stories = async (filter: object) =>
      (await api.gql(`query($filter: StoriesFilter) { stories(first: 100, filter: $filter) { edges { node { slug } } } }`, { filter }))
        .body;
    for (const [byId, bySlug] of [
      [{ speaker: speaker.id }, { speaker: speakerSlug }],
      [{ publication: story.publication.id }, { publication: source.publication }],
    ]) {
      const [a, b] = [await stories(byId), await stories(bySlug)];
      expect([a.errors, a.data.stories.edges.length > 0]).toEqual([undefined, true]);
      expect(a.data).toEqual(b.data);
    }
    const quotes = async (filter: object) =>
      (await api.gql(`query($filter: QuotesFilter) { quotes(first: 100, filter: $filter) { totalCount } }`, { filter })).body;
    expect((await quotes({ story: story.id, speaker: speaker.id })).data).toEqual(
      (await quotes({ story: source.slug, speaker: speakerSlug })).data,
    );
    // A global id of another type is still a slug that matches nothing.
    expect((await stories({ speaker: story.id })).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("searches speakers by name and alias, case-insensitively", async () => {
    const speaker = demo.speakers.find((s) => s.aliases.length > 0 && s.kind === "person")!;
    for (const search of [speaker.name.slice(0, 4).toUpperCase(), speaker.aliases[0].toLowerCase()]) {
      const { body } = await api.gql(readOperation("search-speakers"), { search });
      expect(body.errors).toBeUndefined();
      expect(body.data.speakers.edges.map((e: any) => e.node.slug)).toContain(speaker.slug);
    }
  });

  it("resolves any object through node(id), and answers null for ids that match nothing", async () => {
    const { body } = await api.gql(readOperation("story-page"), { slug: demo.stories[0].slug });
    const story = body.data.story;
    const quote = story.bullets.flatMap((b: any) => b.quotes).find((q: any) => q.speaker);
    const ids = [story.id, story.publication.id, story.bullets[0].id, quote.id, quote.speaker.id];
    const nodes = await api.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids });
    expect(nodes.body.data.nodes).toEqual([
      { __typename: "Story", id: story.id },
      { __typename: "Publication", id: story.publication.id },
      { __typename: "Bullet", id: story.bullets[0].id },
      { __typename: "Quote", id: quote.id },
      { __typename: "Speaker", id: quote.speaker.id },
    ]);
    const missing = await api.gql(readOperation("node-lookup"), { id: toGlobalId("Story", 999999) });
    expect(missing.body).toEqual({ data: { node: null } });
    const byId = await api.gql(`query($id: ID!) { story(id: $id) { slug } }`, { id: story.id });
    expect(byId.body.data.story.slug).toBe(demo.stories[0].slug);
  });

  it("links a quote back to its story, bullet and speaker", async () => {
    const { body } = await api.gql(
      `{ quotes(first: 1) { edges { node { text context publishedAt bullet { text story { headline } } story { headline publishedAt } speaker { name } } } } }`,
    );
    const quote = body.data.quotes.edges[0].node;
    expect(quote.bullet.text).toContain(quote.text);
    expect(quote.bullet.text).toContain(quote.context);
    expect(quote.context).toContain(quote.text);
    expect(quote.bullet.story.headline).toBe(quote.story.headline);
    expect(quote.publishedAt).toBe(quote.story.publishedAt);
  });
});

describe("bad input", () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer({ demo: true });
  });
  afterAll(() => api.close());

  const expectBadInput = async (query: string, variables: Record<string, unknown>, message: string) => {
    const { status, body } = await api.gql(query, variables);
    expect(status).toBe(200);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toEqual(expect.objectContaining({ message, extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }));
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|at .*\.ts:/);
  };

  it("rejects a malformed global id", async () => {
    await expectBadInput(`query($id: ID!) { node(id: $id) { id } }`, { id: "not-an-id!" }, '"not-an-id!" is not a valid Newsgate id');
    await expectBadInput(
      `query($id: ID!) { node(id: $id) { id } }`,
      { id: Buffer.from("Nope:1").toString("base64url") },
      `"${Buffer.from("Nope:1").toString("base64url")}" is not a valid Newsgate id`,
    );
  });

  it("rejects an id of the wrong type", async () => {
    const id = toGlobalId("Speaker", 1);
    await expectBadInput(`query($id: ID!) { story(id: $id) { slug } }`, { id }, `"${id}" is a Speaker id, expected a Story id`);
  });

  it("rejects a cursor that does not decode", async () => {
    await expectBadInput(
      `query($after: String) { stories(after: $after) { totalCount } }`,
      { after: "garbage" },
      '"garbage" is not a valid cursor for this list',
    );
    const speakerCursor = Buffer.from(JSON.stringify([5, 1])).toString("base64url");
    await expectBadInput(
      `query($after: String) { stories(after: $after) { totalCount } }`,
      { after: speakerCursor },
      `"${speakerCursor}" is not a valid cursor for this list`,
    );
  });

  it("rejects first outside 1..100, at the top level and nested", async () => {
    await expectBadInput(
      `query($first: Int) { stories(first: $first) { totalCount } }`,
      { first: 0 },
      "first must be between 1 and 100, got 0",
    );
    await expectBadInput(
      `query($first: Int) { speakers(first: $first) { totalCount } }`,
      { first: 101 },
      "first must be between 1 and 100, got 101",
    );
    const { body } = await api.gql(`{ speakers(first: 1) { edges { node { quotes(first: 500) { totalCount } } } } }`);
    expect(body.errors![0]).toEqual(
      expect.objectContaining({
        message: "first must be between 1 and 100, got 500",
        extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }),
      }),
    );
  });

  it("rejects an unknown filter value", async () => {
    await expectBadInput(
      `{ stories(filter: { publication: "no-such-paper" }) { totalCount } }`,
      {},
      'No publication has the slug "no-such-paper"',
    );
    await expectBadInput(`{ quotes(filter: { speaker: "nobody" }) { totalCount } }`, {}, 'No speaker has the slug "nobody"');
    await expectBadInput(
      `{ stories(filter: { since: "2026-02-01T00:00:00Z", until: "2026-01-01T00:00:00Z" }) { totalCount } }`,
      {},
      "filter.since (2026-02-01T00:00:00.000Z) must be earlier than filter.until (2026-01-01T00:00:00.000Z)",
    );
  });

  it("needs exactly one of id or slug", async () => {
    await expectBadInput(`{ story { slug } }`, {}, "story needs exactly one of id or slug");
  });

  it("answers null for a well-formed slug that matches nothing", async () => {
    const { body } = await api.gql(
      `{ story(slug: "nothing-here") { slug } speaker(slug: "nobody") { name } publication(slug: "none") { name } }`,
    );
    expect(body).toEqual({ data: { story: null, speaker: null, publication: null } });
  });
});
