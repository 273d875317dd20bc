import type DataLoader from "dataloader";

import { countLoader, type ListDeclaration, pageLoader } from "../db/list";
import { type LoaderOptions } from "../db/loader-options";
import { type ReadSession, rowShape, selectList } from "../db/reader";
import { Publication } from "../publication/publication.entity";
import { Story } from "../story/story.entity";
import { StoryRelation } from "./story-relation.entity";

export type LoadedRelation = StoryRelation & { relatedStory: Story };

/**
 * A story's related stories in rank order. The related stories and their publications come
 * in the same statement: an edge is never shown without its story, and a story card rarely
 * without its masthead.
 */
export const RELATED_OF_STORY: ListDeclaration<StoryRelation> = {
  name: "relatedOfStory",
  entity: StoryRelation,
  table: "story_relations",
  rows: (d) =>
    `SELECT sr.story_id AS parent_key, sr.id AS id, sr.rank AS k FROM story_relations sr WHERE ${d.ids("sr.story_id", ":parentIds")}`,
  with: {
    select: `${selectList(Story, "rs", "rs_")}, ${selectList(Publication, "rp", "rp_")}`,
    joins: "JOIN stories rs ON rs.id = e.related_story_id JOIN publications rp ON rp.id = rs.publication_id",
  },
  direction: "ASC",
  cursor: "integer",
};

export function createRelationLoaders(
  session: ReadSession,
  options: LoaderOptions,
  related: { storyById: DataLoader<number, Story | null>; publicationById: DataLoader<number, Publication | null> },
) {
  const stories = rowShape(session.dataSource, Story, "rs_");
  const publications = rowShape(session.dataSource, Publication, "rp_");
  return {
    relatedByStoryId: pageLoader(session, RELATED_OF_STORY as unknown as ListDeclaration<LoadedRelation>, options, (relations, table) => {
      for (let i = 0; i < relations.length; i++) {
        const story = session.hydrate(stories, table, i);
        const publication = session.hydrate(publications, table, i);
        relations[i].relatedStory = story;
        related.storyById.prime(story.id, story);
        related.publicationById.prime(publication.id, publication);
      }
    }),
    relatedCountByStoryId: countLoader(session, RELATED_OF_STORY, options),
  };
}
