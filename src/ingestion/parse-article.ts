import { attributeQuotes } from "./attribution";
import { slugify } from "./names";
import { type PageParts, splitPage } from "./page";
import { type ParsedStory } from "./types";

/**
 * Article page text → a ParsedStory: the page's parts, every direct quote with its
 * position, context and speaker, and the speakers with their roles. Pure: no I/O.
 */
export function parseArticle(text: string): ParsedStory {
  return parsePageParts(splitPage(text));
}

/** The same pipeline for a page already split into its parts (an HTML page's extraction). */
export function parsePageParts(page: PageParts): ParsedStory {
  const { quotes, speakers } = attributeQuotes(page.bullets, [page.headline, page.image?.caption ?? ""]);
  return { ...page, quotes, speakers, topics: topicsOf(page.headline) };
}

/** A briefing series names its topic: "Ukraine war briefing: …" → "ukraine-war". */
function topicsOf(headline: string): string[] {
  const series = /^(.{3,60}?)\s+(?:briefing|live|explainer|updates?)\s*:/i.exec(headline);
  return series ? [slugify(series[1])] : [];
}
