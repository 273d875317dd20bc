/**
 * Newsgate's wire formats, written again from their definitions (src/relay/global-id.ts and
 * cursor.ts) rather than imported: the floor's answers are the golden output, so they must
 * not inherit a bug from the code they check.
 */

/** base64url of "Type:id". */
export function globalId(type: string, id: number): string {
  return Buffer.from(`${type}:${id}`, "utf8").toString("base64url");
}

/** A stored 'YYYY-MM-DD HH:MM:SS.SSS' UTC timestamp as the ISO string GraphQL returns. */
export function isoTimestamp(stored: string): string {
  return `${stored.replace(" ", "T")}Z`;
}

/** The newest-first keyset cursor: base64url of the JSON pair [ISO published_at, id]. */
export function dateCursor(stored: string, id: number): string {
  return Buffer.from(JSON.stringify([isoTimestamp(stored), id]), "utf8").toString("base64url");
}

/** The stored timestamp a date cursor points at, or null when it is not one. */
export function decodeDateCursor(cursor: string): { stored: string; id: number } | null {
  try {
    const [iso, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown];
    if (typeof iso !== "string" || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(iso) || !Number.isSafeInteger(id)) return null;
    return { stored: iso.replace("T", " ").slice(0, -1), id: id as number };
  } catch {
    return null;
  }
}
