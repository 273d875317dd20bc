import { BadInputError } from "../errors";
import { truncate } from "./global-id";

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

export function decodeCursor(raw: string, kind: "date" | "string" | "number"): Cursor {
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
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1) throw bad();
  if (kind === "number" && (typeof key !== "number" || !Number.isFinite(key))) throw bad();
  if (kind === "string" && typeof key !== "string") throw bad();
  if (kind === "date" && (typeof key !== "string" || Number.isNaN(Date.parse(key)))) throw bad();
  return { key: key as string | number, id };
}

export function dateCursor(date: Date, id: number): string {
  return encodeCursor({ key: date.toISOString(), id });
}
