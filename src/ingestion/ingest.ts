import { type DataSource } from "typeorm";

import { writeTransaction } from "../db/write-queue";
import { articleParser } from "./parser-pool";
import { type SaveSummary, saveParsedStory, type StoryMeta } from "./save-story";
import { type ParsedStory } from "./types";

export interface IngestResult {
  parsed: ParsedStory;
  summary: SaveSummary;
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
