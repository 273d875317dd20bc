import { Speaker } from "../../src/speaker/speaker.entity";
import { Story } from "../../src/story/story.entity";
import { makePublication, makeSpeaker, makeStory, relate } from "../helpers/factories";
import { startHttpServer, type HttpServer } from "../helpers/http-server";
import { listOperations, readOperation } from "../helpers/operations";
import { onPostgres } from "../helpers/temp-database";

/**
 * Answers rendered in SQL (src/db/render.ts) must be the resolvers' answers, byte for byte.
 * Two servers share one database: one renders what it can, the other (RENDER_IN_SQL off)
 * resolves everything. Every document runs on both; the rendered one must take one statement
 * where it renders, and fall back to the resolvers (same answer, same errors) where it cannot.
 */
describe(`answers rendered in SQL (${onPostgres ? "PostgreSQL" : "SQLite"})`, () => {
  let resolved: HttpServer;
  let rendered: HttpServer;
  let storySlug: string;
  let storyId: string;
  let speakerSlug: string;
  let mergedSlug: string;
  let bareSlug: string;

  beforeAll(async () => {
    resolved = await startHttpServer({ demo: true, config: { renderInSql: false, responseCacheSize: 0, anonymousRateLimit: 0 } });
    rendered = await startHttpServer({
      database: resolved.database,
      config: { renderInSql: true, responseCacheSize: 0, anonymousRateLimit: 0 },
    });
    const ds = resolved.dataSource;
    // Data the demo lacks: a speaker merged (twice) into another, a quote with no speaker,
    // a story without a photo, related stories past one page.
    const publication = await makePublication(ds);
    const kept = await makeSpeaker(ds, { name: "Kept Person" }, ["Kept", "K. Person"]);
    const middle = await makeSpeaker(ds, { name: "Middle Person" });
    const merged = await makeSpeaker(ds, { name: "Merged Person" });
    const lead = await makeStory(ds, { publication, bullets: 4, speakers: [merged, kept, middle], topics: ["b-topic", "a-topic"] });
    await ds.getRepository(Speaker).update(middle.id, { mergedIntoId: kept.id });
    await ds.getRepository(Speaker).update(merged.id, { mergedIntoId: middle.id });
    const others = [];
    for (let i = 0; i < 7; i++) others.push(await makeStory(ds, { publication, bullets: 1 }));
    await relate(ds, lead, others);
    const bare = await makeStory(ds, { publication, bullets: 2 });
    await ds.getRepository(Story).update(bare.id, { imageCaption: null, imageCredit: null });
    storySlug = lead.slug;
    speakerSlug = kept.slug;
    mergedSlug = merged.slug;
    bareSlug = bare.slug;
    const found = await resolved.gql(`query($slug: String!) { story(slug: $slug) { id } }`, { variables: { slug: storySlug } });
    storyId = (found.body as { data: { story: { id: string } } }).data.story.id;
  });
  afterAll(async () => {
    await rendered?.close();
    await resolved?.close();
  });

  /** Runs `query` on both servers; returns the rendered server's statement count. */
  async function same(query: string, variables: Record<string, unknown> = {}): Promise<number> {
    const expected = await resolved.gql(query, { variables });
    const actual = await rendered.gql(query, { variables });
    expect({ status: actual.status, text: actual.text }).toEqual({ status: expected.status, text: expected.text });
    return rendered.reports.at(-1)!.sqlStatements;
  }

  const STORY = `id slug headline standfirst section byline kind publishedAt updatedAt canonicalUrl access topics
    publication { id slug name brand edition homepageUrl }
    image { url caption credit }
    bullets { id position text quotes { id text startOffset endOffset context attributionRule publishedAt reviewState reviewedAt reviewedBy
      speaker { id slug name kind role aliases } story { id slug } bullet { id position } } }`;

  it("the story page, the front page and the speaker timeline of the example operations, in one statement each", async () => {
    expect(await same(readOperation("story-page"), { slug: storySlug })).toBe(1);
    expect(await same(readOperation("story-page"))).toBe(1);
    expect(await same(readOperation("front-page"), { first: 5 })).toBe(1);
    const timeline = `query($slug: String!) { speaker(slug: $slug) { id name quotes(first: 2) { totalCount
      edges { cursor reportCount node { id text publishedAt story { id headline publication { id name } } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
    expect(await same(timeline, { slug: speakerSlug })).toBe(1);
  });

  it("every field it renders, on a story with merged speakers, a quote without one, topics and related stories", async () => {
    const query = `query($slug: String!) { story(slug: $slug) { ${STORY}
      related(first: 3) { totalCount edges { cursor reason rank node { id headline } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
    expect(await same(query, { slug: storySlug })).toBe(1);
    expect(await same(query, { slug: bareSlug })).toBe(1);
    expect(await same(query, { slug: "no-such-story" })).toBe(1);
  });

  it("a merged speaker answers as the one it was merged into, by slug and inside quotes", async () => {
    const query = `query($slug: String!) { speaker(slug: $slug) { id name aliases quotes { totalCount edges { node { id speaker { id name } } } } } }`;
    expect(await same(query, { slug: mergedSlug })).toBe(1);
    expect(await same(query, { slug: speakerSlug })).toBe(1);
  });

  it("pages after a cursor, by id, with aliases, fragments and __typename", async () => {
    const first = await rendered.gql(`{ stories(first: 3) { pageInfo { endCursor } } }`);
    const after = (first.body as { data: { stories: { pageInfo: { endCursor: string } } } }).data.stories.pageInfo.endCursor;
    const page = `query($after: String, $first: Int) { __typename top: stories(first: $first, after: $after) { __typename
      edges { cursor node { ...Card } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }
      fragment Card on Story { __typename id title: headline ... on Story { publication { name } } related { edges { node { id } } } }`;
    expect(await same(page, { after, first: 4 })).toBe(1);
    expect(await same(page, { after: null })).toBe(1);
    await same(page, { after: "", first: 2 });
    expect(await same(`query($id: ID!) { story(id: $id) { ...on Story { headline } } }`, { id: storyId })).toBe(1);
  });

  it("arguments the resolvers refuse get the resolvers' errors", async () => {
    await same(`{ stories(first: 500) { edges { node { id } } } }`);
    await same(`{ stories(first: 2, after: "not-a-cursor") { edges { node { id } } } }`);
    await same(`query($id: ID!) { story(id: $id) { id } }`, { id: "bm90LWFuLWlk" });
    await same(`{ story(slug: "a", id: "b") { id } }`);
    await same(`query($first: Int) { stories(first: $first) { edges { node { id } } } }`, { first: "ten" });
  });

  it("leaves to the resolvers what it does not render, with the same answers", async () => {
    // A filter, a field without a rendering (echoes), a directive, a mutation-free query on another root.
    expect(await same(`{ stories(first: 2, filter: { section: "World" }) { edges { node { id bullets { id } } } } }`)).toBeGreaterThan(1);
    expect(
      await same(`query($slug: String!) { story(slug: $slug) { bullets { quotes { id echoCount attributionConfidence } } } }`, {
        slug: storySlug,
      }),
    ).toBeGreaterThan(1);
    await same(`query($slug: String!, $full: Boolean!) { story(slug: $slug) { id bullets @include(if: $full) { id } } }`, {
      slug: storySlug,
      full: false,
    });
  });

  it("answers the root __typename alone without a statement", async () => {
    expect(await same(`{ __typename }`)).toBe(0);
    expect(await same(`query Alive { alive: __typename __typename }`)).toBe(0);
  });

  it("every example operation answers as the resolvers do", async () => {
    for (const name of listOperations()) await same(readOperation(name));
  });
});
