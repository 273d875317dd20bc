import DataLoader from "dataloader";
import { type DataSource } from "typeorm";

import { countLoader } from "../db/count-loader";
import { afterAscending } from "../db/keyset";
import { loadRanked, pageLoader } from "../db/ranked";
import { decodeCursor } from "../relay/cursor";
import { Publication } from "../publication/publication.entity";
import { Story } from "../story/story.entity";
import { StoryRelation } from "./story-relation.entity";
import { type LoaderOptions } from "../db/loader-options";

export type LoadedRelation = StoryRelation & { relatedStory: Story };

export function createRelationLoaders(
  dataSource: DataSource,
  options: LoaderOptions,
  related: { storyById: DataLoader<number, Story | null>; publicationById: DataLoader<number, Publication | null> },
) {
  return {
    /**
     * Related stories in rank order, one page per story. The related stories and their
     * publications come in the same statement (priming `storyById` and `publicationById`):
     * an edge is never shown without its story, and a story card rarely without its masthead.
     */
    relatedByStoryId: pageLoader<LoadedRelation>(options, async (storyIds, first, after) => {
      const keyset = afterAscending("sr", "rank", after ? decodeCursor(after, "integer") : null);
      const byParent = (await loadRanked<StoryRelation>({
        dataSource,
        entity: StoryRelation,
        limit: first + 1,
        rank: (sub) =>
          sub
            .select("sr.story_id", "parent_key")
            .addSelect("sr.id", "entity_id")
            .addSelect("ROW_NUMBER() OVER (PARTITION BY sr.story_id ORDER BY sr.rank, sr.id)", "rn")
            .from("story_relations", "sr")
            .where("sr.story_id IN (:...storyIds)", { storyIds })
            .andWhere(keyset.sql, keyset.params),
        extend: (query) =>
          query
            .innerJoinAndMapOne("e.relatedStory", Story, "rs", "rs.id = e.related_story_id")
            .innerJoinAndMapOne("rs.loadedPublication", Publication, "rp", "rp.id = rs.publication_id"),
      })) as Map<number, LoadedRelation[]>;
      for (const relations of byParent.values()) {
        for (const relation of relations) {
          const story = relation.relatedStory as Story & { loadedPublication?: Publication };
          if (story.loadedPublication) related.publicationById.prime(story.loadedPublication.id, story.loadedPublication);
          delete story.loadedPublication;
          related.storyById.prime(story.id, story);
        }
      }
      return byParent;
    }),

    relatedCountByStoryId: countLoader(dataSource, options, "story_relations", "story_id"),
  };
}
