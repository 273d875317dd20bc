import { type DataSource } from "typeorm";

import { writeTransaction } from "../db/write-queue";
import { type ExtractedArticle } from "./html/extract-article";
import { articleParser } from "./parser-pool";
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

/**
 * Parse (on the parser's worker thread, within the article limits), then save in one queued
 * transaction: a failure anywhere stores nothing. Act on `summary.effects` with `afterCommit`.
 */
export async function ingestArticle(dataSource: DataSource, text: string, meta: StoryMeta = {}): Promise<IngestResult> {
  const parsed = await articleParser.parse(text);
  const summary = await writeTransaction(dataSource, (manager) => saveParsedStory(manager, parsed, meta));
  return { parsed, summary };
}

/** Extract and parse on the worker thread, then save in one queued transaction, like `ingestArticle`. */
export async function ingestHtmlArticle(
  dataSource: DataSource,
  html: string,
  options: HtmlIngestOptions = {},
): Promise<IngestResult & { page: ExtractedArticle }> {
  const { url, ...meta } = options;
  const { parsed, page } = await articleParser.parseHtml(html, url ?? null);
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
