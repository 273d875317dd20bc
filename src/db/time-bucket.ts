import { type DataSource } from "typeorm";

export type BucketInterval = "day" | "week" | "month";

/**
 * The SQL for "the start of the UTC day, week (Monday) or month holding this timestamp",
 * as an ISO 8601 string, so both databases answer the same text. The only place the two
 * dialects differ for timelines: SQLite has strftime and date modifiers, PostgreSQL has
 * date_trunc (whose weeks already start on Monday).
 */
export function timeBucketSql(dataSource: DataSource, interval: BucketInterval, column: string): string {
  if (dataSource.options.type === "postgres") {
    return `to_char(date_trunc('${interval}', ${column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  }
  // SQLite stores UTC text; "-6 days" then "weekday 1" lands on the Monday on or before.
  const day = interval === "week" ? `date(${column}, '-6 days', 'weekday 1')` : `date(${column})`;
  const format = interval === "month" ? "%Y-%m-01T00:00:00Z" : "%Y-%m-%dT00:00:00Z";
  return `strftime('${format}', ${day})`;
}
