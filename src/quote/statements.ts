import { type EntityManager } from "typeorm";

import { groupStatements } from "../ingestion/statements";
import { Quote } from "./quote.entity";

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
    bySpeaker.set(speakerId, [...(bySpeaker.get(speakerId) ?? []), row]);
  }
  for (const quotes of bySpeaker.values()) {
    const groups = groupStatements(quotes.map((q) => ({ id: Number(q.id), text: q.text, publishedAt: toDate(q.published_at) })));
    for (const [id, statementId] of groups) next.set(id, statementId);
  }

  const before = (row: Row) => (row.statement_id === null ? null : Number(row.statement_id));
  const changed = rows.filter((row) => before(row) !== next.get(Number(row.id)));
  const touchedGroups = new Set<number>([...formerStatementIds].filter((id): id is number => id != null));
  const byStatement = new Map<number, number[]>();
  for (const row of changed) {
    const statementId = next.get(Number(row.id))!;
    if (before(row) !== null) touchedGroups.add(before(row)!);
    touchedGroups.add(statementId);
    byStatement.set(statementId, [...(byStatement.get(statementId) ?? []), Number(row.id)]);
  }
  for (const [statementId, quoteIds] of byStatement) {
    await manager.createQueryBuilder().update(Quote).set({ statementId }).where("id IN (:...quoteIds)", { quoteIds }).execute();
  }
  const storyIds = new Set<number>();
  for (const row of rows) {
    const was = before(row);
    if ((was !== null && touchedGroups.has(was)) || touchedGroups.has(next.get(Number(row.id))!)) storyIds.add(Number(row.story_id));
  }
  return { storyIds: [...storyIds] };
}

/** SQLite answers raw timestamps as "YYYY-MM-DD HH:MM:SS.SSS" in UTC; PostgreSQL as Dates. */
function toDate(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(" ", "T")}Z`);
}
