import { type DataSource } from "typeorm";

import { writeTransaction } from "../db/write-queue";
import { parseArticle } from "./parse-article";
import { type SaveSummary, saveParsedStory, type StoryMeta } from "./save-story";
import { type ParsedStory } from "./types";

export interface IngestResult {
  parsed: ParsedStory;
  summary: SaveSummary;
}

/** Parse, then save in one queued transaction: a failure anywhere stores nothing. */
export async function ingestArticle(dataSource: DataSource, text: string, meta: StoryMeta = {}): Promise<IngestResult> {
  const parsed = parseArticle(text);
  const summary = await writeTransaction(dataSource, (manager) => saveParsedStory(manager, parsed, meta));
  return { parsed, summary };
}
