import fs from "node:fs";
import path from "node:path";

import { Publication } from "../../src/publication/publication.entity";
import { Story } from "../../src/story/story.entity";
import { article } from "../helpers/fixtures";
import { startHttpServer } from "../helpers/http-server";

const PAGE = fs.readFileSync(path.join(__dirname, "..", "fixtures", "html", "ledger-harbour-compact.html"), "utf8");
const REAL = path.join(__dirname, "..", "..", "..", "shared", "articles");

const INGEST = `mutation Ingest($input: IngestArticleInput!) {
  ingestArticle(input: $input) {
    created bullets quotes speakersNew
    story { headline section byline publishedAt canonicalUrl publication { name brand edition } image { url caption credit }
      bullets { position text } quotes { text speaker { name } bullet { position } } }
  }
}`;

describe("ingestArticle with an HTML page, over HTTP", () => {
  let http: Awaited<ReturnType<typeof startHttpServer>>;
  let editor: string;
  // Pages are bigger than GraphQL documents: the body limit is raised as an operator would.
  beforeEach(async () => {
    http = await startHttpServer({ config: { bodyLimitBytes: 12 * 1024 * 1024 } });
    editor = await http.key("newsdesk", "editor");
  });
  afterEach(() => http.close());

  const gql = async (input: Record<string, unknown>) => (await http.gql(INGEST, { variables: { input }, key: editor })).body as any;
  const count = async () => [await http.dataSource.getRepository(Story).count(), await http.dataSource.getRepository(Publication).count()];

  it("stores the story with the page's fields, its paragraphs, quotes and speakers", async () => {
    const url = "https://www.ledger.example/world/2026/mar/03/harbour-compact";
    const { data, errors } = await gql({ html: PAGE, url });
    expect(errors).toBeUndefined();
    expect(data.ingestArticle).toMatchObject({ created: true, bullets: 5, quotes: 3, speakersNew: 2 });
    expect(data.ingestArticle.story).toMatchObject({
      headline: "Harbour Compact leaders agree ceasefire monitoring plan",
      section: "World",
      byline: "Iris Kalden and Tomas Reyne",
      publishedAt: "2026-03-03T07:30:00.000Z",
      canonicalUrl: "https://www.ledger.example/world/2026/mar/03/harbour-compact-ceasefire-monitoring",
      publication: { name: "The Northern Ledger - UK", brand: "The Northern Ledger", edition: "UK" },
      image: {
        url: "https://img.ledger.example/2026/03/compact-leaders.jpg",
        caption: "Harbour Compact leaders pose for a photograph in Halvik.",
        credit: "Ana Morrow/Ledger Pictures",
      },
    });
    expect(data.ingestArticle.story.quotes).toEqual([
      {
        text: "This is the first time every member has signed up to the same plan,",
        speaker: { name: "Ana Vesk" },
        bullet: { position: 1 },
      },
      { text: "Nobody expected that a month ago.", speaker: { name: "Ana Vesk" }, bullet: { position: 1 } },
      { text: "They will hold, and they will be tested,", speaker: { name: "Garrett Voss" }, bullet: { position: 3 } },
    ]);
    // The same page again (its canonical URL) updates the story in place.
    const again = await gql({ html: PAGE, url, publishedAt: "2026-03-04T00:00:00Z" });
    expect(again.data.ingestArticle).toMatchObject({ created: false, story: { publishedAt: "2026-03-04T00:00:00.000Z" } });
    expect(await count()).toEqual([1, 1]);
  });

  it("takes exactly one of text or html, and says so", async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [
        { text: article("01"), html: PAGE },
        "Give exactly one of input.text (a captured page) or input.html (the publisher's HTML page)",
        "input.html",
      ],
      [{}, "Give exactly one of input.text (a captured page) or input.html (the publisher's HTML page)", "input.text"],
      [{ html: "  " }, "input.html is empty", "input.html"],
      [{ html: PAGE, url: "ftp://ledger.example/x" }, 'input.url "ftp://ledger.example/x" is not an http(s) URL', "input.url"],
      [{ text: article("01"), url: "https://ledger.example/x" }, "input.url goes with input.html", "input.url"],
    ];
    for (const [input, message, argument] of cases) {
      const { errors } = await gql(input);
      expect(errors).toEqual([
        {
          message,
          locations: expect.any(Array),
          path: ["ingestArticle"],
          extensions: expect.objectContaining({ code: "BAD_USER_INPUT", argument }),
        },
      ]);
    }
    expect(await count()).toEqual([0, 0]);
  });

  it("answers hostile pages with BAD_USER_INPUT and stores nothing", async () => {
    const paragraph =
      "<p>The council said on Monday that the new harbour bridge would open to traffic in the spring, after years of delays.</p>";
    const cases: Array<[string, string]> = [
      [
        `<html><body>${paragraph.repeat(Math.ceil((10 * 1024 * 1024) / paragraph.length))}</body></html>`,
        "input.html is over the limit of 5242880 bytes (5 MB)",
      ],
      [
        `<html><body>${"<div>".repeat(100_000)}${paragraph}${"</div>".repeat(100_000)}</body></html>`,
        "Cannot ingest the article: the HTML page nests elements more than 400 deep",
      ],
      [
        `<html><head><title>Home</title></head><body><nav><a href="/">Home</a></nav>${"<script>var p = '<p>not the article</p>';</script>".repeat(500)}</body></html>`,
        "Cannot ingest the article: the HTML page has no article text: no body paragraphs were found",
      ],
    ];
    for (const [html, message] of cases) {
      const { errors } = await gql({ html });
      expect(errors?.[0]).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT", argument: "input.html" } });
    }
    expect(await count()).toEqual([0, 0]);
  });

  const haveReal = fs.existsSync(path.join(REAL, "html", "real-02.html"));
  (haveReal ? it : it.skip)("ingests a publisher's real page (../shared/articles/html/real-02.html)", async () => {
    const html = fs.readFileSync(path.join(REAL, "html", "real-02.html"), "utf8");
    const gold = JSON.parse(fs.readFileSync(path.join(REAL, "real", "real-02.gold.json"), "utf8"));
    const { data, errors } = await gql({ html });
    expect(errors).toBeUndefined();
    const story = data.ingestArticle.story;
    expect([story.headline, story.byline, story.publication.name]).toEqual([gold.headline, gold.byline, gold.publication]);
    const texts = story.bullets.map((b: { text: string }) => b.text);
    expect(gold.bullets.every((unit: string) => texts.includes(unit))).toBe(true);
    expect(story.canonicalUrl).toMatch(/^http:\/\/www\.washingtonpost\.com\/world\//);
  });
});
