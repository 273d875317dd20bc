import { type DataSource } from "typeorm";

import { writeTransaction } from "../db/write-queue";
import { type ExtractedArticle, extractArticle } from "./html/extract-article";
import { parseArticle, parsePageParts } from "./parse-article";
import { type SaveSummary, saveParsedStory, type StoryMeta } from "./save-story";
import { type ParsedStory } from "./types";

export interface IngestResult {
  parsed: ParsedStory;
  summary: SaveSummary;
}

export interface HtmlIngestOptions extends StoryMeta {
  /** Where the page was fetched from: resolves relative links, and is the canonical URL when the page names none. */
  url?: string | null;
}

/** Parse, then save in one queued transaction: a failure anywhere stores nothing. */
export async function ingestArticle(dataSource: DataSource, text: string, meta: StoryMeta = {}): Promise<IngestResult> {
  const parsed = parseArticle(text);
  const summary = await writeTransaction(dataSource, (manager) => saveParsedStory(manager, parsed, meta));
  return { parsed, summary };
}

/**
 * An HTML article page → a ParsedStory through the text pipeline. What the caller says wins
 * over what the page says (publication, canonical URL, publication time).
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

/** Extract, parse, then save in one queued transaction, like `ingestArticle`. */
export async function ingestHtmlArticle(
  dataSource: DataSource,
  html: string,
  options: HtmlIngestOptions = {},
): Promise<IngestResult & { page: ExtractedArticle }> {
  const { url, ...meta } = options;
  const { parsed, page } = parseHtmlArticle(html, url);
  const published = page.datePublished ? new Date(page.datePublished) : null;
  const summary = await writeTransaction(dataSource, (manager) =>
    saveParsedStory(manager, parsed, {
      ...meta,
      canonicalUrl: meta.canonicalUrl ?? page.canonicalUrl ?? url ?? null,
      publishedAt: meta.publishedAt ?? published,
      imageUrl: meta.imageUrl ?? page.image?.url ?? null,
    }),
  );
  return { parsed, summary, page };
}
