import { type Publication } from "../../src/publication/publication.entity";
import { type Speaker } from "../../src/speaker/speaker.entity";
import { makePublication, makeSpeaker, makeStory, relate } from "../helpers/factories";
import { readOperation } from "../helpers/operations";
import { startTestServer, type TestServer } from "../helpers/test-server";

/**
 * The point of the read gateway: SQL statements per request do not grow with the number
 * of items on the screen. Each case builds data with N parents and pins the count. These are
 * the resolvers' counts (RENDER_IN_SQL off): they answer every query the SQL renderer cannot,
 * and its one statement per query is pinned in rendered.test.ts.
 */
describe("SQL statements per request", () => {
  let api: TestServer;
  let publications: Publication[];
  let speakers: Speaker[];

  beforeEach(async () => {
    api = await startTestServer({ config: { renderInSql: false } });
    publications = [await makePublication(api.dataSource), await makePublication(api.dataSource)];
    speakers = [];
    for (let i = 0; i < 60; i++) speakers.push(await makeSpeaker(api.dataSource, {}, [`Alias${i}`]));
  });
  afterEach(() => api.close());

  it("story page: the same count for 1, 10 and 50 bullets, quotes, speakers and related stories", async () => {
    const counts: number[] = [];
    for (const n of [1, 10, 50]) {
      const related = [];
      for (let i = 0; i < n; i++) related.push(await makeStory(api.dataSource, { publication: publications[1] }));
      const story = await makeStory(api.dataSource, {
        publication: publications[0],
        bullets: n,
        speakers: speakers.slice(0, n),
      });
      await relate(api.dataSource, story, related);
      const response = await api.gql(readOperation("story-page"), { slug: story.slug });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.story.bullets).toHaveLength(n);
      expect(response.body.data.story.related.edges).toHaveLength(Math.min(n, 5));
      counts.push(api.reports.at(-1)!.sqlStatements);
    }
    // story (+ its publication), bullets, related (+ their stories and publications), quotes (+ speakers).
    expect(counts).toEqual([4, 4, 4]);
  });

  it("front page: the same count for 1, 10 and 50 stories", async () => {
    const counts: number[] = [];
    // Older stories from a third publication, so the related stories' publications are a
    // batch of their own, as on a real front page.
    const archive = await makePublication(api.dataSource);
    const older = [];
    for (let i = 0; i < 3; i++)
      older.push(await makeStory(api.dataSource, { publication: archive, publishedAt: new Date(Date.UTC(2020, 0, i + 1)) }));
    const all = [];
    for (const n of [1, 10, 50]) {
      while (all.length < n) {
        const story = await makeStory(api.dataSource, {
          publication: publications[all.length % 2],
          bullets: 3,
          speakers: speakers.slice(all.length % 50, (all.length % 50) + 3),
        });
        await relate(api.dataSource, story, older);
        all.push(story);
      }
      const response = await api.gql(readOperation("front-page"), { first: n });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.stories.edges).toHaveLength(n);
      counts.push(api.reports.at(-1)!.sqlStatements);
    }
    // stories (+ their publications), totalCount, bullets, related (+ stories and publications), quotes (+ speakers).
    expect(counts).toEqual([5, 5, 5]);
  });

  it("speakers(first: 50) { quotes(first: 3) } loads all speakers' quotes in one statement", async () => {
    for (let i = 0; i < 10; i++) {
      await makeStory(api.dataSource, { publication: publications[0], bullets: 50, speakers: speakers.slice(0, 50) });
    }
    const query = `query { speakers(first: 50) { edges { node { name quoteCount quotes(first: 3) { totalCount edges { node { text story { headline } } } } } } } }`;
    const response = await api.gql(query);
    expect(response.body.errors).toBeUndefined();
    const nodes = response.body.data.speakers.edges.map((edge: any) => edge.node);
    expect(nodes).toHaveLength(50);
    const quoted = nodes.filter((node: any) => node.quoteCount > 0);
    expect(quoted.length).toBeGreaterThan(40);
    for (const node of quoted) {
      expect(node.quotes.edges).toHaveLength(3);
      expect(node.quotes.totalCount).toBe(10);
    }
    // speakers, quote counts (shared by quoteCount and totalCount), quotes, their stories.
    expect(api.reports.at(-1)!.sqlStatements).toBe(4);
  });

  it("a speaker's quote timeline costs the same for 1 and 20 quotes", async () => {
    const counts: number[] = [];
    for (const n of [1, 20]) {
      const speaker = await makeSpeaker(api.dataSource);
      for (let i = 0; i < n; i++) await makeStory(api.dataSource, { publication: publications[i % 2], bullets: 1, speakers: [speaker] });
      counts.push(await api.sqlCount(readOperation("speaker-quotes"), { slug: speaker.slug }));
    }
    expect(counts[0]).toBe(counts[1]);
  });
});
