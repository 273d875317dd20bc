import { type DataSource, type EntityManager } from "typeorm";

import { yieldToEventLoop } from "../db/yield";
import { fold, type SearchQuery } from "./query";

/** What can be searched. A document's `ref_id` is the id of the row it stands for. */
export type SearchKind = "story" | "quote" | "speaker";

interface Document {
  kind: SearchKind;
  refId: number;
  storyId: number | null;
  title: string;
  body: string;
}

export interface RankedHit {
  docId: number;
  kind: SearchKind;
  refId: number;
  score: number;
}

type Runner = Pick<EntityManager, "query"> | Pick<DataSource, "query">;

const isPostgres = (runner: EntityManager | DataSource) =>
  ("connection" in runner ? runner.connection : runner).driver.options.type === "postgres";

/**
 * One full-text index behind two engines: SQLite FTS5 (bm25) and PostgreSQL tsvector
 * (ts_rank, GIN). Both hold the same folded text, written by the same code here, so a
 * query means the same on either. Callers keep it in step inside their own transaction.
 */
export class SearchIndex {
  /** Re-indexes a story and its quotes (after an ingest or re-ingest). */
  static async indexStory(manager: EntityManager, storyId: number): Promise<void> {
    const pg = isPostgres(manager);
    await manager.query(`DELETE FROM ${table(pg)} WHERE story_id = ${p(pg, 1)}`, [storyId]);
    const [story] = await manager.query(`SELECT headline, standfirst FROM stories WHERE id = ${p(pg, 1)}`, [storyId]);
    if (!story) return;
    const bullets: Array<{ text: string }> = await manager.query(
      `SELECT text FROM bullets WHERE story_id = ${p(pg, 1)} ORDER BY position`,
      [storyId],
    );
    const quotes: Array<{ id: number; text: string }> = await manager.query(`SELECT id, text FROM quotes WHERE story_id = ${p(pg, 1)}`, [
      storyId,
    ]);
    await insert(manager, pg, [
      {
        kind: "story",
        refId: storyId,
        storyId,
        title: story.headline,
        body: [story.standfirst ?? "", ...bullets.map((b) => b.text)].join("\n"),
      },
      ...quotes.map((q) => ({ kind: "quote" as const, refId: Number(q.id), storyId, title: "", body: q.text })),
    ]);
  }

  /** Re-indexes a speaker's name, aliases and role; a merged-away speaker leaves the index. */
  static async indexSpeaker(manager: EntityManager, speakerId: number): Promise<void> {
    const pg = isPostgres(manager);
    await manager.query(`DELETE FROM ${table(pg)} WHERE kind = 'speaker' AND ref_id = ${p(pg, 1)}`, [speakerId]);
    const [speaker] = await manager.query(`SELECT name, role, merged_into_id FROM speakers WHERE id = ${p(pg, 1)}`, [speakerId]);
    if (!speaker || speaker.merged_into_id !== null) return;
    const aliases: Array<{ alias: string }> = await manager.query(`SELECT alias FROM speaker_aliases WHERE speaker_id = ${p(pg, 1)}`, [
      speakerId,
    ]);
    await insert(manager, pg, [
      {
        kind: "speaker",
        refId: speakerId,
        storyId: null,
        title: speaker.name,
        body: [...aliases.map((a) => a.alias), speaker.role ?? ""].join("\n"),
      },
    ]);
  }

  /** Indexes everything (demo content, a database migrated before search existed). */
  static async indexAll(manager: EntityManager): Promise<void> {
    const stories: Array<{ id: number }> = await manager.query(`SELECT id FROM stories`);
    for (const story of stories) await SearchIndex.indexStory(manager, Number(story.id));
    const speakers: Array<{ id: number }> = await manager.query(`SELECT id FROM speakers`);
    for (const speaker of speakers) await SearchIndex.indexSpeaker(manager, Number(speaker.id));
  }

  /** Ranked hits, best first, keyset-paginated on (score, document id). */
  static async search(
    dataSource: DataSource,
    query: SearchQuery,
    options: { limit: number; after: { score: number; id: number } | null; kinds: SearchKind[] },
  ): Promise<RankedHit[]> {
    const pg = isPostgres(dataSource);
    const params: unknown[] = [];
    const ranked = pg
      ? `SELECT id, kind, ref_id, ts_rank(document, ${push(params, pg, tsQuery(query))}::tsquery, 1)::float8 AS score FROM search_documents WHERE document @@ ${p(pg, params.length)}::tsquery`
      : `SELECT rowid AS id, kind, ref_id, -bm25(search_fts, 4.0, 1.0) AS score FROM search_fts WHERE search_fts MATCH ${push(params, pg, ftsQuery(query))}`;
    const kinds = `kind IN (${options.kinds.map((kind) => push(params, pg, kind)).join(", ")})`;
    let keyset = "";
    if (options.after) {
      // One placeholder per use: SQLite's "?" cannot be referred to twice.
      const { score, id } = options.after;
      keyset = ` AND (score < ${push(params, pg, score)} OR (score = ${push(params, pg, score)} AND id > ${push(params, pg, id)}))`;
    }
    const limit = push(params, pg, options.limit);
    // MATERIALIZED keeps SQLite from flattening the subquery: bm25() only works next to MATCH.
    const rows: Array<{ id: number; kind: SearchKind; ref_id: number; score: number }> = await dataSource.query(
      `WITH ranked AS MATERIALIZED (${ranked}) SELECT id, kind, ref_id, score FROM ranked WHERE ${kinds}${keyset} ORDER BY score DESC, id ASC LIMIT ${limit}`,
      params,
    );
    return rows.map((row) => ({ docId: Number(row.id), kind: row.kind, refId: Number(row.ref_id), score: Number(row.score) }));
  }

  static async count(dataSource: DataSource, query: SearchQuery, kinds: SearchKind[]): Promise<number> {
    const pg = isPostgres(dataSource);
    const params: unknown[] = [];
    const where = pg ? `document @@ ${push(params, pg, tsQuery(query))}::tsquery` : `search_fts MATCH ${push(params, pg, ftsQuery(query))}`;
    const inKinds = kinds.map((kind) => push(params, pg, kind)).join(", ");
    const [row] = await dataSource.query(`SELECT COUNT(*) AS total FROM ${table(pg)} WHERE ${where} AND kind IN (${inKinds})`, params);
    return Number(row.total);
  }

  /**
   * A WHERE fragment for `stories(filter: {search})` and `quotes(filter: {search})`: the row's
   * id is among the matching documents of that kind. Named parameters, for QueryBuilder.
   */
  static matching(
    dataSource: DataSource,
    kind: SearchKind,
    column: string,
    query: SearchQuery,
  ): { sql: string; params: Record<string, unknown> } {
    const pg = isPostgres(dataSource);
    return { sql: SearchIndex.condition(pg, column), params: SearchIndex.params(pg, kind, query) };
  }

  /** `column` is the id of a document matching `:searchQuery` of kind `:searchKind`: the same text for every query. */
  static condition(pg: boolean, column: string): string {
    return pg
      ? `${column} IN (SELECT ref_id FROM search_documents WHERE kind = :searchKind AND document @@ CAST(:searchQuery AS tsquery))`
      : `${column} IN (SELECT ref_id FROM search_fts WHERE search_fts MATCH :searchQuery AND kind = :searchKind)`;
  }

  static params(pg: boolean, kind: SearchKind, query: SearchQuery): Record<string, unknown> {
    return { searchKind: kind, searchQuery: pg ? tsQuery(query) : ftsQuery(query) };
  }
}

const table = (pg: boolean) => (pg ? "search_documents" : "search_fts");
const p = (pg: boolean, position: number) => (pg ? `$${position}` : "?");
const push = (params: unknown[], pg: boolean, value: unknown) => {
  params.push(value);
  return p(pg, params.length);
};

/** Documents per INSERT: a story with thousands of quotes is indexed in a few statements. */
const INSERT_CHUNK = 400;

async function insert(runner: Runner, pg: boolean, documents: Document[]): Promise<void> {
  for (let start = 0; start < documents.length; start += INSERT_CHUNK) {
    if (start > 0) await yieldToEventLoop();
    const chunk = documents.slice(start, start + INSERT_CHUNK);
    const rows = chunk.map((_, i) => `(${[1, 2, 3, 4, 5].map((n) => p(pg, i * 5 + n)).join(", ")})`);
    await runner.query(
      `INSERT INTO ${table(pg)} (kind, ref_id, story_id, title, body) VALUES ${rows.join(", ")}`,
      chunk.flatMap((doc) => [doc.kind, doc.refId, doc.storyId, fold(doc.title), fold(doc.body)]),
    );
  }
}

/** FTS5: every term a quoted prefix ("zelensky"*), every phrase a quoted phrase; all required. */
function ftsQuery(query: SearchQuery): string {
  return [...query.terms.map((term) => `"${term}"*`), ...query.phrases.map((phrase) => `"${phrase.join(" ")}"`)].join(" AND ");
}

/** tsquery: zelensky:* & (security <-> guarantees). Terms are [a-z0-9] only, by parseSearch. */
function tsQuery(query: SearchQuery): string {
  return [...query.terms.map((term) => `${term}:*`), ...query.phrases.map((phrase) => `(${phrase.join(" <-> ")})`)].join(" & ");
}
