import { createHash } from "node:crypto";

import type { parseFeed } from "@rowanmanning/feed-parser";

import { IngestionError } from "./errors";

/** One article a feed announces. */
export interface FeedEntry {
  /** The item's GUID (RSS) or id (Atom); its link when it has neither. */
  guid: string;
  /** The article page's absolute http(s) address. */
  url: string;
  title: string | null;
  publishedAt: Date | null;
  /**
   * Changes whenever the feed says the item changed (its dates, title or summary): an item
   * seen before with another version is fetched and ingested again.
   */
  version: string;
}

export interface ParsedFeed {
  title: string | null;
  format: "rss" | "atom";
  entries: FeedEntry[];
}

/** The document is not an RSS or Atom feed we can read. */
export class FeedFormatError extends IngestionError {
  override name = "FeedFormatError";
}

/** More than any news feed carries; a feed with more is cut here rather than fetched page by page. */
export const MAX_FEED_ENTRIES = 200;

/**
 * Reads an RSS 2.0 or Atom document. Relative links resolve against the feed's address;
 * items without an http(s) link are dropped (there is no page to ingest), as are repeats of
 * a GUID already seen in the same document.
 */
export function parseFeedDocument(xml: string, feedUrl: string): ParsedFeed {
  let feed: ReturnType<typeof parseFeed>;
  try {
    // Loaded on the first feed: a server that polls none does not carry the XML parser.
    feed = (require("@rowanmanning/feed-parser") as typeof import("@rowanmanning/feed-parser")).parseFeed(xml);
  } catch (error) {
    throw new FeedFormatError(`not an RSS or Atom feed (${(error as Error).message})`);
  }
  const format = feed.meta.type === "atom" ? "atom" : "rss";
  const entries: FeedEntry[] = [];
  const seen = new Set<string>();
  for (const item of feed.items) {
    if (entries.length >= MAX_FEED_ENTRIES) break;
    const url = absoluteHttpUrl(item.url, feedUrl);
    if (!url) continue;
    const guid = (item.id?.trim() || url).slice(0, 2000);
    if (seen.has(guid)) continue;
    seen.add(guid);
    const version = createHash("sha256")
      .update(JSON.stringify([item.updated?.toISOString() ?? null, item.published?.toISOString() ?? null, item.title, item.description]))
      .digest("hex")
      .slice(0, 32);
    entries.push({ guid, url, title: item.title?.trim() || null, publishedAt: validDate(item.published ?? item.updated), version });
  }
  return { title: feed.title?.trim() || null, format, entries };
}

function absoluteHttpUrl(raw: string | null, base: string): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim(), base);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    url.hash = "";
    const text = url.toString();
    return text.length <= 2000 ? text : null;
  } catch {
    return null;
  }
}

function validDate(date: Date | null | undefined): Date | null {
  return date && !Number.isNaN(date.getTime()) ? date : null;
}
