import { type Cursor } from "../relay/cursor";

/**
 * WHERE fragments for "rows after this cursor" in the two orders Newsgate lists use.
 * `name` keeps parameter names unique when several fragments share one statement.
 */
export function afterNewest(alias: string, cursor: Cursor | null, name = "cursor") {
  return afterNewestBy(alias, "published_at", cursor, name);
}

export function afterNewestBy(alias: string, column: string, cursor: Cursor | null, name = "cursor") {
  if (!cursor) return { sql: "1 = 1", params: {} };
  return {
    sql: `(${alias}.${column} < :${name}Key OR (${alias}.${column} = :${name}Key AND ${alias}.id < :${name}Id))`,
    params: { [`${name}Key`]: new Date(cursor.key), [`${name}Id`]: cursor.id },
  };
}

export function afterAscending(alias: string, column: string, cursor: Cursor | null, name = "cursor") {
  if (!cursor) return { sql: "1 = 1", params: {} };
  return {
    sql: `(${alias}.${column} > :${name}Key OR (${alias}.${column} = :${name}Key AND ${alias}.id > :${name}Id))`,
    params: { [`${name}Key`]: cursor.key, [`${name}Id`]: cursor.id },
  };
}

/** Oldest first: "earliest report first" lists. */
export function afterOldestBy(alias: string, column: string, cursor: Cursor | null, name = "cursor") {
  if (!cursor) return { sql: "1 = 1", params: {} };
  return {
    sql: `(${alias}.${column} > :${name}Key OR (${alias}.${column} = :${name}Key AND ${alias}.id > :${name}Id))`,
    params: { [`${name}Key`]: new Date(cursor.key), [`${name}Id`]: cursor.id },
  };
}
