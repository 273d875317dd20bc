import fs from "node:fs";
import path from "node:path";

import { ArticleFormatError } from "../../src/ingestion/errors";
import { extractArticle } from "../../src/ingestion/html/extract-article";
import { looksLikeHtml } from "../../src/ingestion/html/sniff";
import { parseHtmlArticle } from "../../src/ingestion/parse-html";

const PAGE = fs.readFileSync(path.join(__dirname, "..", "fixtures", "html", "ledger-harbour-compact.html"), "utf8");
const URL_OF_PAGE = "https://www.ledger.example/world/2026/mar/03/harbour-compact";
const withoutJsonLd = PAGE.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/, "");

/** The four body paragraphs of the fixture page, in order. */
const BODY = [
  expect.stringMatching(/^Leaders of the Harbour Compact agreed on Tuesday/),
  expect.stringMatching(/^“This is the first time every member/),
  expect.stringMatching(/^The mission would rely on drones/),
  expect.stringMatching(/^Garrett Voss, the Nordhaven special envoy/),
  "Korvania did not comment on the plan, which still needs the approval of national parliaments & regional councils before the summer.",
];

describe("extractArticle", () => {
  it("reads the page fields from JSON-LD first, and the body as paragraphs without the page's furniture", () => {
    expect(extractArticle(PAGE, URL_OF_PAGE)).toEqual({
      publication: { name: "The Northern Ledger - UK", brand: "The Northern Ledger", edition: "UK" },
      section: "World",
      byline: "Iris Kalden and Tomas Reyne",
      headline: "Harbour Compact leaders agree ceasefire monitoring plan",
      datePublished: "2026-03-03T07:30:00.000Z",
      dateModified: "2026-03-03T09:15:00.000Z",
      canonicalUrl: "https://www.ledger.example/world/2026/mar/03/harbour-compact-ceasefire-monitoring",
      image: {
        url: "https://img.ledger.example/2026/03/compact-leaders.jpg",
        caption: "Harbour Compact leaders pose for a photograph in Halvik.",
        credit: "Ana Morrow/Ledger Pictures",
      },
      paragraphs: BODY,
    });
  });

  it("falls back to Open Graph and <meta> tags, then the markup, when the page has no JSON-LD", () => {
    const page = extractArticle(withoutJsonLd, URL_OF_PAGE);
    // og:site_name "Northern Ledger" and the title's "The Northern Ledger": the fuller form.
    expect(page.publication).toEqual({ name: "The Northern Ledger - UK", brand: "The Northern Ledger", edition: "UK" });
    expect(page.headline).toBe("Harbour Compact leaders agree ceasefire monitoring plan"); // og:title without " | The Northern Ledger"
    expect([page.section, page.datePublished, page.dateModified]).toEqual(["Politics", "2026-03-03T06:00:00.000Z", null]);
    expect(page.byline).toBe("Ledger Staff"); // <meta name="author">
    expect(page.image).toEqual({
      url: "https://img.ledger.example/og/compact.jpg",
      caption: "Harbour Compact leaders pose for a photograph in Halvik.",
      credit: "Ana Morrow/Ledger Pictures",
    });
    const markupOnly = withoutJsonLd.replace(/<meta name="author"[^>]*>/, "");
    expect(extractArticle(markupOnly).byline).toBe("Iris Kalden and Tomas Reyne"); // rel="author" links
    const noAuthors = markupOnly.replace(/<p class="byline">[\s\S]*?<\/p>/, "");
    expect(extractArticle(noAuthors).byline).toBe("The Northern Ledger"); // the site's own name when nobody is named
  });

  it("uses the page's address for relative links and as the canonical URL when the page names none", () => {
    const bare = PAGE.replace(/<link rel="canonical"[^>]*>/, "");
    expect(extractArticle(bare, URL_OF_PAGE).canonicalUrl).toBe(URL_OF_PAGE);
    expect(extractArticle(bare).canonicalUrl).toBeNull();
  });

  it("takes the edition from the page's locale, else its address, else the region its language stands for", () => {
    const edition = (html: string, url?: string) => extractArticle(html, url).publication?.edition;
    expect(edition(PAGE.replace('content="en_GB"', 'content="en_AU"'))).toBe("AU");
    const noLocale = PAGE.replace(/<meta property="og:locale"[^>]*>/, "");
    expect(edition(noLocale, "https://www.ledger.co.uk/x")).toBe("UK");
    expect(edition(noLocale.replace('<html lang="en">', '<html lang="en-IE">'))).toBe("IE");
    expect(edition(noLocale)).toBe("US"); // "en" alone: Unicode likely subtags say en-US
  });

  it("feeds the same pipeline as text pages: quotes and speakers found in the paragraphs", () => {
    const { parsed } = parseHtmlArticle(PAGE, URL_OF_PAGE);
    expect(parsed.bullets).toHaveLength(5);
    expect(parsed.quotes.map((q) => [q.bullet, q.text, q.speaker === null ? null : parsed.speakers[q.speaker].name])).toEqual([
      [1, "This is the first time every member has signed up to the same plan,", "Ana Vesk"],
      [1, "Nobody expected that a month ago.", "Ana Vesk"],
      [3, "They will hold, and they will be tested,", "Garrett Voss"],
    ]);
  });

  it("keeps the prose of broken markup: unclosed tags, paragraphs inside headings and inline tags", () => {
    const broken =
      "<html><head><title>Bridge to open in spring - Harbour Gazette</title><body><div class=main><h1>Bridge to open in spring" +
      "<p>The council said on Monday that the new harbour bridge would open to traffic in the spring, after <b>years of <i>delays." +
      "<p>“We are nearly there,” said the council leader, Mara Quist, at a meeting in the town hall. <table><tr><td>cell<div></span>" +
      "<p>Work on the approach roads is expected to finish in March, the council said.</div></html";
    const page = extractArticle(broken);
    expect([page.headline, page.publication?.brand]).toEqual(["Bridge to open in spring", "Harbour Gazette"]);
    expect(page.paragraphs).toEqual([
      "The council said on Monday that the new harbour bridge would open to traffic in the spring, after years of delays.",
      "“We are nearly there,” said the council leader, Mara Quist, at a meeting in the town hall.",
      "Work on the approach roads is expected to finish in March, the council said.",
    ]);
  });
});

describe("hostile HTML", () => {
  const paragraph =
    "<p>The council said on Monday that the new harbour bridge would open to traffic in the spring, after years of delays.</p>";
  const refused = (html: string) => {
    try {
      extractArticle(html);
    } catch (error) {
      expect(error).toBeInstanceOf(ArticleFormatError);
      return (error as Error).message;
    }
    throw new Error("the page was not refused");
  };

  it("refuses a page over the size limit before parsing it, and says the limit", () => {
    const huge = `<html><body>${paragraph.repeat(Math.ceil((10 * 1024 * 1024) / paragraph.length))}</body></html>`;
    expect(refused(huge)).toMatch(/^the HTML page is \d+ bytes, over the limit of 5242880 bytes \(5 MB\)$/);
  });

  it("refuses 100 000 nested elements without parsing them (the parser is quadratic in depth)", () => {
    const deep = `<html><body>${"<div>".repeat(100_000)}${paragraph}${"</div>".repeat(100_000)}</body></html>`;
    expect(refused(deep)).toBe("the HTML page nests elements more than 400 deep");
    // Unclosed <p>s and <li>s do not nest: an old page that never closes them is fine.
    expect(
      extractArticle(
        `<html><head><title>Old page</title></head><body>${"<p>Word after word, a long sentence that says something.".repeat(1000)}</body></html>`,
      ).paragraphs.length,
    ).toBe(1);
  });

  it("answers a page with no article, or only scripts, with an empty-article error", () => {
    const message = "the HTML page has no article text: no body paragraphs were found";
    expect(
      refused("<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>"),
    ).toBe(message);
    expect(
      refused(
        `<html><body>${"<script>document.write('<p>Not the article, but a script writing one.</p>')</script>".repeat(2000)}</body></html>`,
      ),
    ).toBe(message);
    expect(refused(" \n")).toBe("the HTML page is empty");
    expect(refused("just some text, not a page")).toBe(message);
  });

  it("does not expand entities declared in a doctype (no entity bombs), and decodes ordinary ones once", () => {
    const bomb =
      "<!DOCTYPE html [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>]>" +
      `<html><head><title>Entities</title></head><body><article><h1>Entities</h1><p>${"&c;".repeat(10_000)} is what the page says.</p>${paragraph}</article></body></html>`;
    const page = extractArticle(bomb);
    expect(page.paragraphs.join(" ")).not.toContain("aaaaaaaaaa");
    expect(page.paragraphs.join(" ").length).toBeLessThan(bomb.length);
    const amp = `<title>Amp</title><body><article>${paragraph}<p>Fish &amp;amp; chips &lt;b&gt; are served here on Fridays.</p></article></body>`;
    expect(extractArticle(amp).paragraphs[1]).toBe("Fish &amp; chips <b> are served here on Fridays.");
  });

  it("parses in time linear in the page's size (four times the page, about four times the time)", () => {
    const page = (n: number) =>
      `<html><head><title>Long read</title></head><body><article><h1>Long read</h1>${Array.from(
        { length: n },
        (_, i) =>
          `<div class="block"><p>Paragraph ${i} of the long read, with <a href="/x${i}">a link</a> and <b>some bold</b> words in it.</p></div>`,
      ).join("")}</article></body></html>`;
    const small = page(500);
    const large = page(2000);
    // The fastest of three runs of each: other processes on the machine only ever add time.
    const fastest = (html: string) =>
      Math.min(
        ...[0, 1, 2].map(() => {
          const start = process.hrtime.bigint();
          extractArticle(html);
          return Number(process.hrtime.bigint() - start);
        }),
      );
    extractArticle(small); // warm up the JIT
    const ratio = fastest(large) / fastest(small);
    // Linear is 4; quadratic would be 16.
    expect(ratio).toBeLessThan(9);
  });
});

describe("looksLikeHtml", () => {
  it("tells an HTML page from a captured text page by content, not by name", () => {
    expect(looksLikeHtml(PAGE)).toBe(true);
    expect(looksLikeHtml("\uFEFF<!doctype html><title>x</title>")).toBe(true);
    expect(looksLikeHtml("  <div><p>A fragment</p><p>saved without its html element</p></div>")).toBe(true);
    expect(looksLikeHtml("The Northern Ledger - UK\nWorld\n\nHeadline\n\n  • A bullet that mentions <b> once.\n")).toBe(false);
    expect(looksLikeHtml("<not really a tag> said the headline")).toBe(false);
  });
});
