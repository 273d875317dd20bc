import DataLoader from "dataloader";

import { byKey, groupByKey } from "../db/batch";
import { countLoader, filteredRows, type ListDeclaration, pageLoader } from "../db/list";
import { type LoaderOptions } from "../db/loader-options";
import { type ReadSession, RowShape, rowShape, selectList, Statement } from "../db/reader";
import { Speaker } from "../speaker/speaker.entity";
import { type SearchQuery } from "../search/query";
import { SearchIndex } from "../search/search-index";
import { Quote, QuoteReviewState } from "./quote.entity";

/** Extra arguments of `Speaker.quotes`, as plain data (it is part of loader keys). */
export interface SpeakerQuotesFilter {
  since: string | null;
  until: string | null;
  distinct: boolean;
}

/** A speaker's quotes, newest first; with `distinct`, each statement once (its first report). */
export const QUOTES_OF_SPEAKER: ListDeclaration<Quote, SpeakerQuotesFilter> = {
  name: "quotesOfSpeaker",
  entity: Quote,
  table: "quotes",
  rows: (d, filter) =>
    `SELECT q.speaker_id AS parent_key, q.id AS id, q.published_at AS k FROM quotes q WHERE ${d.ids("q.speaker_id", ":parentIds")}` +
    (filter?.since ? " AND q.published_at >= :quotesSince" : "") +
    (filter?.until ? " AND q.published_at < :quotesUntil" : "") +
    (filter?.distinct ? " AND q.id = q.statement_id" : ""),
  variant: (filter) => `${filter?.since ? "s" : ""}${filter?.until ? "u" : ""}${filter?.distinct ? "d" : ""}`,
  params: (filter) => ({
    ...(filter?.since ? { quotesSince: new Date(filter.since) } : {}),
    ...(filter?.until ? { quotesUntil: new Date(filter.until) } : {}),
  }),
  direction: "DESC",
  cursor: "date",
};

/** The other reports of a quote's statement, earliest first. */
export const ECHOES_OF_QUOTE: ListDeclaration<Quote> = {
  name: "echoesOfQuote",
  entity: Quote,
  table: "quotes",
  rows: (d) =>
    "SELECT me.id AS parent_key, q.id AS id, q.published_at AS k FROM quotes me " +
    `JOIN quotes q ON q.statement_id = me.statement_id AND q.id <> me.id WHERE ${d.ids("me.id", ":parentIds")}`,
  direction: "ASC",
  cursor: "date",
};

/** What the root `quotes` list may be narrowed by, resolved to ids and plain values. */
export interface QuoteListFilter {
  speakerId?: number;
  storyId?: number;
  since?: Date;
  until?: Date;
  search?: SearchQuery;
}

/** Every quote, newest first, optionally filtered. */
export const QUOTES: ListDeclaration<Quote, QuoteListFilter> = {
  name: "quotes",
  entity: Quote,
  table: "quotes",
  ...filteredRows<QuoteListFilter>("SELECT 0 AS parent_key, q.id AS id, q.published_at AS k FROM quotes q WHERE 1 = 1", {
    search: {
      sql: (d) => SearchIndex.condition(d.engine === "postgres", "q.id"),
      params: (query, d) => SearchIndex.params(d.engine === "postgres", "quote", query),
    },
    speakerId: { sql: () => "q.speaker_id = :speakerId" },
    storyId: { sql: () => "q.story_id = :storyId" },
    since: { sql: () => "q.published_at >= :since" },
    until: { sql: () => "q.published_at < :until" },
  }),
  direction: "DESC",
  cursor: "date",
};

export interface ReviewQueueListFilter {
  unreviewed?: true;
  publicationId?: number;
  speakerId?: number;
  since?: Date;
  until?: Date;
  rule?: string;
}

/** Quotes for review, least certain attribution first. */
export const REVIEW_QUEUE: ListDeclaration<Quote, ReviewQueueListFilter> = {
  name: "reviewQueue",
  entity: Quote,
  table: "quotes",
  ...filteredRows<ReviewQueueListFilter>("SELECT 0 AS parent_key, q.id AS id, q.attribution_confidence AS k FROM quotes q WHERE 1 = 1", {
    unreviewed: { sql: () => "q.review_state = :unreviewed", params: () => ({ unreviewed: QuoteReviewState.UNREVIEWED }) },
    publicationId: { sql: () => "q.story_id IN (SELECT s.id FROM stories s WHERE s.publication_id = :publicationId)" },
    speakerId: { sql: () => "q.speaker_id = :speakerId" },
    since: { sql: () => "q.published_at >= :since" },
    until: { sql: () => "q.published_at < :until" },
    rule: { sql: () => "q.attribution_rule = :rule" },
  }),
  direction: "ASC",
  cursor: "number",
};

const QUOTES_BY_ID = new Statement("quotesById", (d) => `SELECT ${selectList(Quote, "q")} FROM quotes q WHERE ${d.ids("q.id", ":ids")}`);

/**
 * A quote is almost always shown with its speaker, so lists of quotes fetch the speakers in
 * the same statement and prime `speakerById`: `quote { speaker { name } }` then costs no
 * extra round trip.
 */
const quotesWithSpeakers = (column: "bullet_id" | "story_id") =>
  new Statement(
    `quotesWithSpeakersBy:${column}`,
    (d) =>
      `SELECT ${selectList(Quote, "q")}, ${selectList(Speaker, "sp", "sp_")} ` +
      `FROM quotes q LEFT JOIN speakers sp ON sp.id = q.speaker_id WHERE ${d.ids(`q.${column}`, ":ids")} ORDER BY q.bullet_id, q.start_offset`,
  );
const QUOTES_BY_BULLET = quotesWithSpeakers("bullet_id");
const QUOTES_BY_STORY = quotesWithSpeakers("story_id");

const REPORT_COUNTS = new Statement(
  "reportCountByStatementId",
  (d) =>
    `SELECT q.statement_id AS parent_key, COUNT(*) AS total FROM quotes q WHERE ${d.ids("q.statement_id", ":ids")} GROUP BY q.statement_id`,
);

export function createQuoteLoaders(
  session: ReadSession,
  options: LoaderOptions,
  related: { speakerById: DataLoader<number, Speaker | null> },
) {
  const quotes = rowShape(session.dataSource, Quote);
  const speakers = rowShape(session.dataSource, Speaker, "sp_");

  async function withSpeakers(statement: Statement, ids: readonly number[]): Promise<Quote[]> {
    const table = await session.table(statement, { ids: [...ids] });
    const speakerAt = RowShape.position(table, "sp_id");
    const out = new Array<Quote>(table.rows.length);
    for (let i = 0; i < table.rows.length; i++) {
      out[i] = session.hydrate(quotes, table, i);
      const speakerId = table.rows[i][speakerAt];
      if (speakerId === null || speakerId === undefined) continue;
      const speaker = session.hydrate(speakers, table, i);
      // A merged speaker answers as the one it was merged into, which speakerById resolves.
      if (speaker.mergedIntoId === null) related.speakerById.prime(speaker.id, speaker);
    }
    return out;
  }

  return {
    quoteById: new DataLoader<number, Quote | null>(
      async (ids) => byKey(ids, await session.all(quotes, QUOTES_BY_ID, { ids: [...ids] }), (quote) => quote.id),
      options,
    ),
    quotesByBulletId: new DataLoader<number, Quote[]>(
      async (ids) => groupByKey(ids, await withSpeakers(QUOTES_BY_BULLET, ids), (quote) => quote.bulletId),
      options,
    ),
    quotesByStoryId: new DataLoader<number, Quote[]>(
      async (ids) => groupByKey(ids, await withSpeakers(QUOTES_BY_STORY, ids), (quote) => quote.storyId),
      options,
    ),
    quotesBySpeakerId: pageLoader(session, QUOTES_OF_SPEAKER, options),
    quoteCountBySpeakerId: countLoader(session, QUOTES_OF_SPEAKER, options),
    echoesByQuoteId: pageLoader(session, ECHOES_OF_QUOTE, options),

    /** How many reports each statement has (the quote itself included), by statement id. */
    reportCountByStatementId: new DataLoader<number, number>(async (ids) => {
      const rows = await session.rows(REPORT_COUNTS, { ids: [...ids] });
      return byKey(ids, rows, (row) => Number(row.parent_key)).map((row) => Number(row?.total ?? 0));
    }, options),
  };
}
