import { type DataSource } from "typeorm";

import { announceInvalidation, announceStory, type Publisher } from "../events/announce";
import { type SaveSummary } from "../ingestion/save-story";

/**
 * What every ingest does once its transaction committed, whoever ingested (the mutation, the
 * feed poller): drop the cached answers it made stale and tell subscribers. A new story can
 * join any list; an update changes only what shows this story or its speakers.
 */
export async function announceIngest(dataSource: DataSource, publisher: Publisher, summary: SaveSummary): Promise<void> {
  await announceInvalidation(publisher, {
    storyIds: summary.touchedStoryIds,
    speakerIds: summary.touchedSpeakerIds,
    lists: summary.created,
  });
  await announceStory(dataSource, publisher, summary.storyId, summary.created ? "published" : "updated");
}
