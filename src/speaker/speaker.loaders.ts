import DataLoader from "dataloader";

import { byKey, groupByKey } from "../db/batch";
import { filteredRows, type ListDeclaration } from "../db/list";
import { type LoaderOptions } from "../db/loader-options";
import { type ReadSession, rowShape, selectList, Statement } from "../db/reader";
import { SpeakerRole } from "./speaker-role.entity";
import { Speaker } from "./speaker.entity";

/** Speakers (merged ones left out) by name; `pattern` is a LIKE pattern over names and aliases, lower-cased. */
export const SPEAKERS: ListDeclaration<Speaker, { pattern?: string }> = {
  name: "speakers",
  entity: Speaker,
  table: "speakers",
  ...filteredRows<{ pattern?: string }>(
    "SELECT 0 AS parent_key, sp.id AS id, sp.name AS k FROM speakers sp WHERE sp.merged_into_id IS NULL",
    {
      pattern: {
        sql: () =>
          "(LOWER(sp.name) LIKE :pattern ESCAPE '\\' OR EXISTS (SELECT 1 FROM speaker_aliases a WHERE a.speaker_id = sp.id AND LOWER(a.alias) LIKE :pattern ESCAPE '\\'))",
      },
    },
  ),
  direction: "ASC",
  cursor: "string",
};

const SPEAKERS_BY_ID = new Statement(
  "speakersById",
  (d) => `SELECT ${selectList(Speaker, "sp")} FROM speakers sp WHERE ${d.ids("sp.id", ":ids")}`,
);
const SPEAKER_BY_SLUG = new Statement("speakerBySlug", () => `SELECT ${selectList(Speaker, "sp")} FROM speakers sp WHERE sp.slug = :slug`);
const ALIASES = new Statement(
  "aliasesBySpeakerId",
  (d) =>
    `SELECT a.speaker_id AS "speakerId", a.alias AS alias FROM speaker_aliases a WHERE ${d.ids("a.speaker_id", ":ids")} ORDER BY a.alias`,
);
const ROLES = new Statement(
  "rolesBySpeakerId",
  (d) =>
    `SELECT ${selectList(SpeakerRole, "r")} FROM speaker_roles r WHERE ${d.ids("r.speaker_id", ":ids")} ORDER BY r.seen_at DESC, r.id DESC`,
);

/** How many merges `speakerById` follows from a speaker to the one it now answers as. */
export const MERGE_HOPS = 5;

export function createSpeakerLoaders(session: ReadSession, options: LoaderOptions) {
  const shape = rowShape(session.dataSource, Speaker);
  /**
   * A merged speaker's id answers with the speaker it was merged into, so ids clients
   * stored before the merge keep working. Merges are rare: the follow-up query almost
   * never runs.
   */
  const speakerById = new DataLoader<number, Speaker | null>(async (ids) => {
    const rows = await session.all(shape, SPEAKERS_BY_ID, { ids: [...ids] });
    const byId = new Map(rows.map((row) => [row.id, row]));
    const unread = (speakers: Speaker[]) => [
      ...new Set(speakers.filter((row) => row.mergedIntoId !== null && !byId.has(row.mergedIntoId)).map((row) => row.mergedIntoId!)),
    ];
    // One statement per hop of a merge chain (a speaker merged into one that was merged later).
    let targets = unread(rows);
    for (let hops = 0; targets.length > 0 && hops < MERGE_HOPS; hops++) {
      const merged = await session.all(shape, SPEAKERS_BY_ID, { ids: targets });
      for (const row of merged) byId.set(row.id, row);
      targets = unread(merged);
    }
    return byKey(ids, rows, (speaker) => speaker.id).map((row) => {
      let speaker = row;
      for (let hops = 0; speaker?.mergedIntoId != null && hops < MERGE_HOPS; hops++) speaker = byId.get(speaker.mergedIntoId) ?? null;
      return speaker;
    });
  }, options);

  return {
    speakerById,

    /** One speaker by slug, following a merge like `speakerById`. */
    async speakerBySlug(slug: string): Promise<Speaker | null> {
      const [speaker] = await session.all(shape, SPEAKER_BY_SLUG, { slug });
      if (!speaker) return null;
      if (speaker.mergedIntoId !== null) return speakerById.load(speaker.id);
      speakerById.prime(speaker.id, speaker);
      return speaker;
    },

    aliasesBySpeakerId: new DataLoader<number, string[]>(async (ids) => {
      const rows = await session.rows(ALIASES, { ids: [...ids] });
      return groupByKey(ids, rows, (row) => Number(row.speakerId)).map((group) => group.map((row) => String(row.alias)));
    }, options),

    rolesBySpeakerId: new DataLoader<number, SpeakerRole[]>(async (ids) => {
      const rows = await session.all(rowShape(session.dataSource, SpeakerRole), ROLES, { ids: [...ids] });
      return groupByKey(ids, rows, (row) => row.speakerId);
    }, options),
  };
}
