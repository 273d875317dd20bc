import DataLoader from "dataloader";

import { byKey, groupByKey } from "../db/batch";
import { countLoader, filteredRows, type ListDeclaration, pageLoader, rootPage } from "../db/list";
import { type LoaderOptions } from "../db/loader-options";
import { type ReadSession, rowShape, type RowTable, selectList, Statement } from "../db/reader";
import { Publication } from "../publication/publication.entity";
import { type SearchQuery } from "../search/query";
import { SearchIndex } from "../search/search-index";
import { Story } from "./story.entity";

/**
 * A story is almost always shown with its publication, so statements that read stories read
 * their publication in the same row (prefixed `wp_`) and prime `publicationById`: the
 * publication then costs no statement of its own.
 */
const WITH_PUBLICATION = {
  select: selectList(Publication, "wp", "wp_"),
  joins: "JOIN publications wp ON wp.id = e.publication_id",
};

/** A publication's stories, newest first. */
export const STORIES_OF_PUBLICATION: ListDeclaration<Story> = {
  name: "storiesOfPublication",
  entity: Story,
  table: "stories",
  rows: (d) =>
    `SELECT s.publication_id AS parent_key, s.id AS id, s.published_at AS k FROM stories s WHERE ${d.ids("s.publication_id", ":parentIds")}`,
  with: WITH_PUBLICATION,
  direction: "DESC",
  cursor: "date",
};

/** The stories a speaker is quoted in, newest first: distinct (speaker, story) pairs of their quotes. */
export const STORIES_OF_SPEAKER: ListDeclaration<Story> = {
  name: "storiesOfSpeaker",
  entity: Story,
  table: "stories",
  rows: (d) =>
    `SELECT DISTINCT q.speaker_id AS parent_key, q.story_id AS id, q.published_at AS k FROM quotes q WHERE ${d.ids("q.speaker_id", ":parentIds")}`,
  with: WITH_PUBLICATION,
  direction: "DESC",
  cursor: "date",
};

/** What the root `stories` list may be narrowed by, resolved to ids and plain values (part of the statement's variant). */
export interface StoryListFilter {
  publicationId?: number;
  speakerId?: number;
  section?: string;
  topic?: string;
  since?: Date;
  until?: Date;
  search?: SearchQuery;
}

/** Every story, newest first (the front page), optionally filtered. */
export const STORIES: ListDeclaration<Story, StoryListFilter> = {
  name: "stories",
  entity: Story,
  table: "stories",
  ...filteredRows<StoryListFilter>("SELECT 0 AS parent_key, s.id AS id, s.published_at AS k FROM stories s WHERE 1 = 1", {
    search: {
      sql: (d) => SearchIndex.condition(d.engine === "postgres", "s.id"),
      params: (query, d) => SearchIndex.params(d.engine === "postgres", "story", query),
    },
    publicationId: { sql: () => "s.publication_id = :publicationId" },
    section: { sql: () => "LOWER(s.section) = LOWER(:section)" },
    topic: { sql: () => "EXISTS (SELECT 1 FROM story_topics t WHERE t.story_id = s.id AND t.topic = :topic)" },
    speakerId: { sql: () => "EXISTS (SELECT 1 FROM quotes q WHERE q.story_id = s.id AND q.speaker_id = :speakerId)" },
    since: { sql: () => "s.published_at >= :since" },
    until: { sql: () => "s.published_at < :until" },
  }),
  with: WITH_PUBLICATION,
  direction: "DESC",
  cursor: "date",
};

const STORIES_BY_ID = new Statement(
  "storiesById",
  (d) =>
    `SELECT ${selectList(Story, "e")}, ${WITH_PUBLICATION.select} FROM stories e ${WITH_PUBLICATION.joins} WHERE ${d.ids("e.id", ":ids")}`,
);
const STORY_BY_SLUG = new Statement(
  "storyBySlug",
  () => `SELECT ${selectList(Story, "e")}, ${WITH_PUBLICATION.select} FROM stories e ${WITH_PUBLICATION.joins} WHERE e.slug = :slug`,
);
const TOPICS = new Statement(
  "topicsByStoryId",
  (d) =>
    `SELECT t.story_id AS "storyId", t.topic AS topic FROM story_topics t WHERE ${d.ids("t.story_id", ":ids")} ORDER BY t.position, t.topic`,
);

export function createStoryLoaders(
  session: ReadSession,
  options: LoaderOptions,
  related: { publicationById: DataLoader<number, Publication | null> },
) {
  const shape = rowShape(session.dataSource, Story);
  const publications = rowShape(session.dataSource, Publication, "wp_");
  /** Primes `storyById` with stories read, and `publicationById` with the publications read with them. */
  const loaded = (stories: readonly Story[], table: RowTable) => {
    for (let i = 0; i < stories.length; i++) {
      storyById.prime(stories[i].id, stories[i]);
      const publication = session.hydrate(publications, table, i);
      related.publicationById.prime(publication.id, publication);
    }
  };
  const storyById: DataLoader<number, Story | null> = new DataLoader<number, Story | null>(
    async (ids) => byKey(ids, await session.all(shape, STORIES_BY_ID, { ids: [...ids] }, loaded), (story) => story.id),
    options,
  );
  return {
    storyById,

    /** One story by slug; it then also answers `storyById`. */
    async storyBySlug(slug: string): Promise<Story | null> {
      const [story] = await session.all(shape, STORY_BY_SLUG, { slug }, loaded);
      return story ?? null;
    },

    /** A page of the root `stories` list (the front page), its rows then also answering `storyById`. */
    storiesPage(limit: number, after: string | null, filter: StoryListFilter): Promise<Story[]> {
      return rootPage(session, STORIES, limit, after, filter, loaded);
    },

    topicsByStoryId: new DataLoader<number, string[]>(async (ids) => {
      const rows = await session.rows(TOPICS, { ids: [...ids] });
      return groupByKey(ids, rows, (row) => Number(row.storyId)).map((group) => group.map((row) => String(row.topic)));
    }, options),

    storiesByPublicationId: pageLoader(session, STORIES_OF_PUBLICATION, options, loaded),
    storiesBySpeakerId: pageLoader(session, STORIES_OF_SPEAKER, options, loaded),
    storyCountByPublicationId: countLoader(session, STORIES_OF_PUBLICATION, options),
    storyCountBySpeakerId: countLoader(session, STORIES_OF_SPEAKER, options),
  };
}
