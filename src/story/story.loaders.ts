import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { byKey, groupByKey } from "../db/batch";
import { countLoader } from "../db/count-loader";
import { afterNewest } from "../db/keyset";
import { loadRanked, pageLoader } from "../db/ranked";
import { decodeCursor } from "../relay/cursor";
import { StoryTopic } from "./story-topic.entity";
import { Story } from "./story.entity";
import { type LoaderOptions } from "../db/loader-options";

export function createStoryLoaders(dataSource: DataSource, options: LoaderOptions) {
  const stories = dataSource.getRepository(Story);

  /** Newest-first pages of stories per parent; `source` yields (parent_key, story_id, published_at). */
  const storyPages = (source: (ids: number[]) => { sql: string; params: Record<string, unknown> }) =>
    pageLoader<Story>(options, (parentIds, first, after) => {
      const keyset = afterNewest("x", after ? decodeCursor(after, "date") : null);
      const from = source(parentIds);
      return loadRanked({
        dataSource,
        entity: Story,
        limit: first + 1,
        rank: (sub) =>
          sub
            .select("x.parent_key", "parent_key")
            .addSelect("x.id", "entity_id")
            .addSelect("ROW_NUMBER() OVER (PARTITION BY x.parent_key ORDER BY x.published_at DESC, x.id DESC)", "rn")
            .from(`(${from.sql})`, "x")
            .where(keyset.sql)
            .setParameters({ ...from.params, ...keyset.params }),
      });
    });

  return {
    storyById: new DataLoader<number, Story | null>(
      async (ids) => byKey(ids, await stories.findBy({ id: In([...ids]) }), (story) => story.id),
      options,
    ),

    topicsByStoryId: new DataLoader<number, string[]>(async (ids) => {
      const rows = await dataSource
        .getRepository(StoryTopic)
        .find({ where: { storyId: In([...ids]) }, order: { position: "ASC", topic: "ASC" } });
      return groupByKey(ids, rows, (row) => row.storyId).map((group) => group.map((row) => row.topic));
    }, options),

    storiesByPublicationId: storyPages((ids) => ({
      sql: "SELECT s.publication_id AS parent_key, s.id, s.published_at FROM stories s WHERE s.publication_id IN (:...parentIds)",
      params: { parentIds: ids },
    })),

    /** Stories a speaker is quoted in: distinct (speaker, story) pairs from the quotes. */
    storiesBySpeakerId: storyPages((ids) => ({
      sql:
        "SELECT DISTINCT q.speaker_id AS parent_key, q.story_id AS id, q.published_at FROM quotes q " +
        "WHERE q.speaker_id IN (:...parentIds)",
      params: { parentIds: ids },
    })),

    storyCountByPublicationId: countLoader(dataSource, options, "stories", "publication_id"),
    storyCountBySpeakerId: countLoader(dataSource, options, "quotes", "speaker_id", "COUNT(DISTINCT t.story_id)"),
  };
}
