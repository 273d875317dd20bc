import { BadInputError } from "../errors";
import { MAX_ROW_ID, truncate } from "./global-id";

/**
 * A keyset cursor: the sort key of the last row a client saw. Lists are ordered by
 * (key, id), so the next page is "rows after (key, id)" whatever was inserted meanwhile,
 * and no OFFSET is ever needed.
 */
export interface Cursor {
  /** Sort key: an ISO date, a name or a rank, depending on the list. */
  key: string | number;
  id: number;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id]), "utf8").toString("base64url");
}

/**
 * What a cursor's key may hold, checked before any SQL so that both databases refuse the
 * same cursors the same way: "integer" keys fit a 32-bit column (ranks), "number" keys are
 * finite (scores), "date" keys are ISO dates in years 1 to 9999 (PostgreSQL's timestamps
 * stop short of JavaScript's ±271821), "string" keys hold no NUL and at most 1,000 characters.
 */
export type CursorKind = "date" | "string" | "number" | "integer";

const MAX_STRING_KEY = 1_000;

export function decodeCursor(raw: string, kind: CursorKind): Cursor {
  const bad = () => new BadInputError(`"${truncate(raw)}" is not a valid cursor for this list`, { argument: "after" });
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw bad();
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [key, id] = parsed as [unknown, unknown];
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1 || id > MAX_ROW_ID) throw bad();
  if (kind === "number" && (typeof key !== "number" || !Number.isFinite(key))) throw bad();
  if (kind === "integer" && (typeof key !== "number" || !Number.isSafeInteger(key) || Math.abs(key) > MAX_ROW_ID)) throw bad();
  if (kind === "string" && (typeof key !== "string" || key.length > MAX_STRING_KEY || key.includes("\u0000"))) throw bad();
  if (kind === "date" && !isStorableDate(key)) throw bad();
  return { key: key as string | number, id };
}

function isStorableDate(key: unknown): boolean {
  if (typeof key !== "string") return false;
  const date = new Date(key);
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= 1 && year <= 9999;
}

export function dateCursor(date: Date, id: number): string {
  return encodeCursor({ key: date.toISOString(), id });
}
