import fs from "node:fs";
import path from "node:path";

import { writeTransaction } from "../../src/db/write-queue";
import { parseArticle } from "../../src/ingestion/parse-article";
import { saveParsedStory } from "../../src/ingestion/save-story";
import { Story } from "../../src/story/story.entity";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { FIXTURES, article } from "../helpers/fixtures";

const INGEST = `mutation Ingest($input: IngestArticleInput!) {
  ingestArticle(input: $input) {
    created bullets quotes speakersNew speakersMatched
    story { id slug headline section byline publishedAt publication { name brand edition } image { caption credit } topics
      bullets { position text }
      quotes { id text attributionRule attributionConfidence speaker { id name role } bullet { position } }
      related(first: 10) { edges { reason node { headline } } } }
  }
}`;

describe("ingestArticle over HTTP", () => {
  let api: TestServer;
  let editor: string;
  beforeEach(async () => {
    api = await startTestServer();
    editor = await api.key("newsdesk", "editor");
  });
  afterEach(() => api.close());

  const storyCount = () => api.dataSource.getRepository(Story).count();

  it("needs an editor key", async () => {
    const anonymous = await api.gql(INGEST, { input: { text: article("01") } });
    expect([anonymous.status, anonymous.body.errors?.[0].extensions?.code]).toEqual([401, "UNAUTHENTICATED"]);
    const reader = await api.key("web", "reader");
    const forbidden = await api.gql(INGEST, { input: { text: article("01") } }, { key: reader });
    expect(forbidden.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(await storyCount()).toBe(0);
  });

  it("stores the story with bullets, quotes and speakers, attributions carrying their rule and confidence", async () => {
    const { body } = await api.gql(
      INGEST,
      { input: { text: article("01"), canonicalUrl: "https://ledger.example/veldoria-1", publishedAt: "2026-03-03T09:00:00Z" } },
      { key: editor },
    );
    expect(body.errors).toBeUndefined();
    const result = body.data.ingestArticle;
    expect(result).toMatchObject({ created: true, bullets: 8, quotes: 8, speakersNew: 5, speakersMatched: 0 });
    expect(result.story.publication).toEqual({ name: "The Northern Ledger - UK", brand: "The Northern Ledger", edition: "UK" });
    expect(result.story.publishedAt).toBe("2026-03-03T09:00:00.000Z");
    expect(result.story.image.credit).toBe("Iris Kalden/Ledger Pictures");
    const vesk = result.story.quotes.find((q: any) => q.text === "finally understands what is at stake");
    expect(vesk).toMatchObject({
      attributionRule: "TAG_BEFORE",
      attributionConfidence: 0.9,
      speaker: { name: "Ana Vesk", role: "foreign minister" },
      bullet: { position: 1 },
    });
  });

  it("updates a re-ingested article in place instead of duplicating it", async () => {
    const input = { text: article("01"), canonicalUrl: "https://ledger.example/veldoria-1" };
    const first = await api.gql(INGEST, { input }, { key: editor });
    const again = await api.gql(INGEST, { input }, { key: editor });
    expect(again.body.data.ingestArticle).toMatchObject({ created: false, speakersNew: 0, speakersMatched: 5 });
    expect(again.body.data.ingestArticle.story.id).toBe(first.body.data.ingestArticle.story.id);
    // Same publication and headline, no URL: still the same story.
    const byHeadline = await api.gql(INGEST, { input: { text: article("01") } }, { key: editor });
    expect(byHeadline.body.data.ingestArticle.created).toBe(false);
    expect(await storyCount()).toBe(1);
    const { body } = await api.gql(`{ quotes(first: 100) { totalCount } speakers(first: 100) { totalCount } }`);
    expect(body.data).toEqual({ quotes: { totalCount: 8 }, speakers: { totalCount: 5 } });
  });

  it("links a person's quotes across stories and publications, and relates the stories", async () => {
    const texts = fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".txt"));
    for (const [i, file] of texts.entries()) {
      const { body } = await api.gql(
        INGEST,
        {
          input: {
            text: fs.readFileSync(path.join(FIXTURES, file), "utf8"),
            publishedAt: new Date(Date.UTC(2026, 2, 1 + i)).toISOString(),
          },
        },
        { key: editor },
      );
      expect(body.errors).toBeUndefined();
    }
    const { body } = await api.gql(
      `{ speakers(first: 60) { edges { node { slug name aliases quoteCount stories(first: 8) { totalCount edges { node { publication { name } related(first: 5) { edges { reason } } } } } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const people = body.data.speakers.edges.map((e: any) => e.node);
    const travelled = people.filter((p: any) => new Set(p.stories.edges.map((e: any) => e.node.publication.name)).size > 1);
    expect(travelled.length).toBeGreaterThanOrEqual(3);
    // Spelling variants met under one speaker: "Olesya" and "Olesia" Kravtsiv, Zoë and Zoe Lindqvar.
    const names = people.map((p: any) => p.name);
    expect(names.filter((n: string) => /Kravtsiv/.test(n))).toHaveLength(1);
    expect(names.filter((n: string) => /Lindqvar/.test(n))).toHaveLength(1);
    // Two Renshaws, never merged.
    expect(names.filter((n: string) => /Renshaw/.test(n)).sort()).toEqual(["Callum Renshaw", "Helena Renshaw"]);
    const reasons = new Set(
      travelled.flatMap((p: any) => p.stories.edges.flatMap((e: any) => e.node.related.edges.map((r: any) => r.reason))),
    );
    expect(reasons.has("SHARED_SPEAKER")).toBe(true);
  });

  it("answers bad input with BAD_USER_INPUT and stores nothing", async () => {
    const cases: Array<[object, string]> = [
      [{ text: "   " }, "input.text is empty"],
      [
        { text: "just a line of text" },
        "Cannot ingest the article: the page has no headline after the publication, section and byline lines",
      ],
      [{ text: article("01"), canonicalUrl: "not a url" }, 'input.canonicalUrl "not a url" is not an http(s) URL'],
      [{ text: article("01"), publication: "no-such-paper" }, 'Cannot ingest the article: No publication has the slug "no-such-paper"'],
    ];
    for (const [input, message] of cases) {
      const { status, body } = await api.gql(INGEST, { input }, { key: editor });
      expect([status, body.errors?.[0]]).toEqual([
        200,
        { message, locations: expect.any(Array), path: ["ingestArticle"], extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) },
      ]);
    }
    const invalidDate = await api.gql(INGEST, { input: { text: article("01"), publishedAt: "yesterday" } }, { key: editor });
    expect(invalidDate.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(await storyCount()).toBe(0);
  });

  it("writes an article in one transaction: a failure half-way leaves nothing", async () => {
    const parsed = parseArticle(article("01"));
    // A quote pointing at a bullet that does not exist fails after the story, bullets and speakers were written.
    const broken = { ...parsed, quotes: [...parsed.quotes, { ...parsed.quotes[0], bullet: 99 }] };
    await expect(writeTransaction(api.dataSource, (manager) => saveParsedStory(manager, broken, {}))).rejects.toThrow();
    const { body } = await api.gql(`{ stories { totalCount } speakers { totalCount } quotes { totalCount } publications { totalCount } }`);
    expect(body.data).toEqual({
      stories: { totalCount: 0 },
      speakers: { totalCount: 0 },
      quotes: { totalCount: 0 },
      publications: { totalCount: 0 },
    });
  });
});
