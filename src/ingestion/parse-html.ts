import { type ExtractedArticle, extractArticle } from "./html/extract-article";
import { parsePageParts } from "./parse-article";
import { type ParsedStory } from "./types";

/**
 * An HTML article page → a ParsedStory through the text pipeline. What the caller says wins
 * over what the page says (publication, canonical URL, publication time); that is applied when saving.
 */
export function parseHtmlArticle(html: string, url?: string | null): { parsed: ParsedStory; page: ExtractedArticle } {
  const page = extractArticle(html, url);
  const parsed = parsePageParts({
    publication: page.publication,
    section: page.section,
    byline: page.byline,
    headline: page.headline,
    image: page.image && (page.image.caption || page.image.credit) ? { caption: page.image.caption, credit: page.image.credit } : null,
    bullets: page.paragraphs,
  });
  return { parsed, page };
}
