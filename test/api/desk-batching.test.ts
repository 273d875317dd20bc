import { refreshStatements } from "../../src/quote/statements";
import { type Speaker } from "../../src/speaker/speaker.entity";
import { makePublication, makeSpeaker, makeStory } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/test-server";

/**
 * Timelines and echoes on list screens: SQL statements per request do not grow with the
 * number of speakers or quotes shown.
 */
describe("SQL statements per request for timelines and echoes", () => {
  let api: TestServer;
  let speakers: Speaker[];

  beforeEach(async () => {
    api = await startTestServer();
    const publications = [
      await makePublication(api.dataSource),
      await makePublication(api.dataSource),
      await makePublication(api.dataSource),
    ];
    speakers = [];
    for (let i = 0; i < 50; i++) speakers.push(await makeSpeaker(api.dataSource));
    // Each speaker says the same words (bullet i's quote) in three outlets on three days:
    // every quote has two echoes.
    for (const [day, publication] of publications.entries()) {
      await makeStory(api.dataSource, { publication, publishedAt: new Date(Date.UTC(2026, 0, 5 + day * 7)), bullets: 50, speakers });
    }
    await refreshStatements(
      api.dataSource.manager,
      speakers.map((speaker) => speaker.id),
    );
  });
  afterEach(() => api.close());

  it("quoteTimeline: the same count for 1, 10 and 50 speakers", async () => {
    const counts: number[] = [];
    for (const n of [1, 10, 50]) {
      const response = await api.gql(
        `query($n: Int!) { speakers(first: $n) { edges { node { name quoteTimeline(interval: WEEK) { start count stories } } } } }`,
        {
          n,
        },
      );
      expect(response.body.errors).toBeUndefined();
      const nodes = response.body.data.speakers.edges.map((edge: any) => edge.node);
      expect(nodes).toHaveLength(n);
      for (const node of nodes) expect(node.quoteTimeline.map((b: any) => b.count)).toEqual([1, 1, 1]);
      counts.push(api.reports.at(-1)!.sqlStatements);
    }
    // speakers, then every timeline in one GROUP BY.
    expect(counts).toEqual([2, 2, 2]);
  });

  it("echoes, echoCount and firstReported: the same count for 1, 10 and 50 quotes", async () => {
    const counts: number[] = [];
    for (const n of [1, 10, 50]) {
      const response = await api.gql(
        `query($n: Int!) { quotes(first: $n) { edges { node {
          echoCount
          firstReported { id story { headline publication { name } } }
          echoes(first: 5) { totalCount edges { node { id story { headline publication { name } } } } }
        } } } }`,
        { n },
      );
      expect(response.body.errors).toBeUndefined();
      const nodes = response.body.data.quotes.edges.map((edge: any) => edge.node);
      expect(nodes).toHaveLength(n);
      for (const node of nodes) {
        expect([node.echoCount, node.echoes.totalCount, node.echoes.edges.length]).toEqual([2, 2, 2]);
        expect(node.firstReported.id).toBe(node.echoes.edges[0].node.id);
      }
      counts.push(api.reports.at(-1)!.sqlStatements);
    }
    // quotes, report counts, first reports, echoes pages, then their stories (+ their publications).
    expect(counts).toEqual([5, 5, 5]);
  });

  it("Speaker.quotes(distinct: true) with reportCount: the same count for 1, 10 and 50 speakers", async () => {
    const counts: number[] = [];
    for (const n of [1, 10, 50]) {
      const response = await api.gql(
        `query($n: Int!) { speakers(first: $n) { edges { node { quotes(first: 3, distinct: true, since: "2026-01-01T00:00:00Z") { totalCount edges { reportCount node { text } } } } } } }`,
        { n },
      );
      expect(response.body.errors).toBeUndefined();
      const nodes = response.body.data.speakers.edges.map((edge: any) => edge.node);
      expect(nodes).toHaveLength(n);
      for (const node of nodes) expect([node.quotes.totalCount, node.quotes.edges.map((e: any) => e.reportCount)]).toEqual([1, [3]]);
      counts.push(api.reports.at(-1)!.sqlStatements);
    }
    // speakers, first reports, their counts, the speakers' totals.
    expect(counts).toEqual([4, 4, 4]);
  });
});
