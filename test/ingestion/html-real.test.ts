import fs from "node:fs";
import path from "node:path";

import { DEFAULT_ARTICLES_DIR, evaluateHtml, type HtmlEvaluation } from "../../src/cli/eval-html";

const present = fs.existsSync(path.join(DEFAULT_ARTICLES_DIR, "html")) && fs.existsSync(path.join(DEFAULT_ARTICLES_DIR, "real"));
if (!present) console.log(`HTML evaluation skipped: no html/ and real/ under ${DEFAULT_ARTICLES_DIR}`);

/**
 * The publishers' own pages of the labelled articles (read from ../shared at run time).
 * Floors are the figures reached when this was written; the quote figures must also stay
 * within 0.02 of what the same articles score as text pages.
 */
(present ? describe : describe.skip)("HTML pages of the labelled articles (../shared/articles/html)", () => {
  let result: HtmlEvaluation;
  beforeAll(() => {
    result = evaluateHtml()!;
  }, 120_000);

  it("reads headline, byline and publication as the labelled pages print them", () => {
    expect(result.articles).toHaveLength(16);
    expect([result.headline, result.byline]).toEqual([16, 16]);
    // The Guardian's and BuzzFeed's pages never say they are UK editions; the Telegraph's names itself "Telegraph".
    expect(result.publication).toBeGreaterThanOrEqual(13);
  });

  it("finds every labelled unit, in order, among the body paragraphs", () => {
    expect(result.unitsFound / result.units).toBeGreaterThanOrEqual(0.95);
    expect([result.unitsFound, result.units]).toEqual([264, 264]);
    // Paragraphs the labelled pages leave out (sub-headings are dropped, prose is kept).
    expect(result.extraParagraphs).toBeLessThanOrEqual(172);
  });

  it("finds quotes and speakers as well as on the text pages", () => {
    expect(result.html.quoteF1).toBeGreaterThanOrEqual(0.96);
    expect(result.html.attributionAcc).toBeGreaterThanOrEqual(0.642);
    expect(Math.abs(result.html.quoteF1 - result.text.quoteF1)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(result.html.attributionAcc - result.text.attributionAcc)).toBeLessThanOrEqual(0.02);
  });
});
