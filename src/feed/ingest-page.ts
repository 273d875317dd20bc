import { type DataSource } from "typeorm";

import { looksLikeHtml } from "../ingestion/html/sniff";
import { ingestArticle, ingestHtmlArticle, type IngestResult } from "../ingestion/ingest";
import { decodeText, type FetchResult } from "./safe-fetch";

export interface PageMeta {
  /** The feed's publication: every item of a feed is filed under it, whatever the page's masthead says. */
  publication: string;
  /** The item's date in the feed, for pages that carry none of their own. */
  publishedAt: Date | null;
}

/**
 * An item's page, ingested by what it is: a publisher's HTML article page, or the plain-text
 * capture format. The content type decides when it says HTML or plain text; otherwise the
 * content does (servers label pages as octet-stream or not at all).
 */
export function ingestPage(dataSource: DataSource, page: FetchResult, meta: PageMeta): Promise<IngestResult> {
  const text = decodeText(page);
  if (isHtml(String(page.headers["content-type"] ?? ""), text)) {
    // The page's canonical URL and date win: two feeds (or tracking parameters) linking to one
    // article then update one story.
    return ingestHtmlArticle(dataSource, text, { publication: meta.publication, url: page.url });
  }
  return ingestArticle(dataSource, text, { publication: meta.publication, canonicalUrl: page.url, publishedAt: meta.publishedAt });
}

export function isHtml(contentType: string, text: string): boolean {
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (type === "text/html" || type === "application/xhtml+xml") return true;
  if (type === "text/plain") return false;
  return looksLikeHtml(text);
}
