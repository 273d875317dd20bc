import { type EntityManager } from "typeorm";

import { yieldToEventLoop } from "../db/yield";
import { groupStatements } from "../ingestion/statements";

export interface StatementChanges {
  /** Stories holding a quote whose statement, echoes or echo count changed. */
  storyIds: number[];
}

interface Row {
  id: number | string;
  speaker_id: number | string | null;
  story_id: number | string;
  text: string;
  published_at: Date | string;
  statement_id: number | string | null;
}

/**
 * Re-groups the quotes of these speakers into statements. The one place statement ids are
 * computed: ingestion, merges and reassignments call it inside their transaction, after
 * their changes, naming every speaker that gained or lost a quote, and the statements that
 * lost a quote (deleted, or now without a speaker) so their other reports count as changed.
 * A quote without a speaker belongs to no statement (`statement_id` NULL): the writer clears
 * it. Only rows whose statement changed are written.
 */
export async function refreshStatements(
  manager: EntityManager,
  speakerIds: Iterable<number | null | undefined>,
  formerStatementIds: Iterable<number | null | undefined> = [],
): Promise<StatementChanges> {
  const ids = [...new Set([...speakerIds].filter((id): id is number => id != null))];
  const rows: Row[] =
    ids.length === 0
      ? []
      : await manager
          .createQueryBuilder()
          .select(["q.id AS id", "q.speaker_id AS speaker_id", "q.story_id AS story_id", "q.text AS text"])
          .addSelect(["q.published_at AS published_at", "q.statement_id AS statement_id"])
          .from("quotes", "q")
          .where("q.speaker_id IN (:...statementSpeakerIds)", { statementSpeakerIds: ids })
          .getRawMany<Row>();

  const next = new Map<number, number>();
  const bySpeaker = new Map<number, Row[]>();
  for (const row of rows) {
    const speakerId = Number(row.speaker_id);
    const quotes = bySpeaker.get(speakerId);
    if (quotes) quotes.push(row);
    else bySpeaker.set(speakerId, [row]);
  }
  for (const quotes of bySpeaker.values()) {
    // Grouping a prolific speaker takes tens of milliseconds; other requests go between speakers.
    await yieldToEventLoop();
    const groups = groupStatements(quotes.map((q) => ({ id: Number(q.id), text: q.text, publishedAt: toDate(q.published_at) })));
    for (const [id, statementId] of groups) next.set(id, statementId);
  }

  const before = (row: Row) => (row.statement_id === null ? null : Number(row.statement_id));
  const changed = rows.filter((row) => before(row) !== next.get(Number(row.id)));
  const touchedGroups = new Set<number>([...formerStatementIds].filter((id): id is number => id != null));
  const updates: Array<[quoteId: number, statementId: number]> = [];
  for (const row of changed) {
    const statementId = next.get(Number(row.id))!;
    if (before(row) !== null) touchedGroups.add(before(row)!);
    touchedGroups.add(statementId);
    updates.push([Number(row.id), statementId]);
  }
  // A new page's quotes each start a statement, so thousands of rows can change at once: they
  // are written by the chunk, one CASE statement each, to keep a page's statement count bounded.
  const postgres = manager.connection.driver.options.type === "postgres";
  for (let start = 0; start < updates.length; start += UPDATE_CHUNK) {
    const chunk = updates.slice(start, start + UPDATE_CHUNK);
    // Positional parameters in the driver's own syntax: TypeORM's named-parameter expansion
    // rescans the statement once per parameter, which for a chunk this size blocks the loop.
    let n = 0;
    const mark = () => (postgres ? `$${++n}` : "?");
    const params: number[] = [];
    const cases = chunk.map(([quoteId, statementId]) => {
      params.push(quoteId, statementId);
      return `WHEN ${mark()} THEN CAST(${mark()} AS INTEGER)`;
    });
    const ids = chunk.map(([quoteId]) => {
      params.push(quoteId);
      return mark();
    });
    await manager.query(`UPDATE "quotes" SET "statement_id" = CASE "id" ${cases.join(" ")} END WHERE "id" IN (${ids.join(", ")})`, params);
  }
  const storyIds = new Set<number>();
  for (const row of rows) {
    const was = before(row);
    if ((was !== null && touchedGroups.has(was)) || touchedGroups.has(next.get(Number(row.id))!)) storyIds.add(Number(row.story_id));
  }
  return { storyIds: [...storyIds] };
}

/** Quotes per UPDATE: three parameters each, well under SQLite's and PostgreSQL's parameter limits. */
const UPDATE_CHUNK = 250;

/** SQLite answers raw timestamps as "YYYY-MM-DD HH:MM:SS.SSS" in UTC; PostgreSQL as Dates. */
function toDate(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(" ", "T")}Z`);
}
