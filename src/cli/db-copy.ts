import "reflect-metadata";

import path from "node:path";
import { parseArgs } from "node:util";

import { type DataSource } from "typeorm";

import { ConfigError, loadConfig, redactUrl } from "../config";
import { CopyError, DEFAULT_BATCH_ROWS, assertCurrentSqliteSource, copyDatabase, type TableCount, verifyCounts } from "../db/copy";
import { DatabaseError, openDatabase } from "../db/database";

const USAGE = "usage: npm run db:copy -- --from sqlite:PATH --to postgres://USER@HOST:PORT/DATABASE [--truncate] [--batch-size N]";

/**
 * `npm run db:copy -- --from sqlite:data/newsgate.sqlite --to postgres://…`: moves a SQLite
 * database into PostgreSQL in one transaction, then compares row counts table by table.
 * Exits 0 only when every table matches; any failure leaves the target as it was.
 */
export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        from: { type: "string" },
        to: { type: "string" },
        truncate: { type: "boolean" },
        "batch-size": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    // Node sometimes goes on to explain positional arguments; its first sentence is the point.
    return fail(`${(error as Error).message.split(". ")[0]}; ${USAGE}`);
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { from, to } = args.values;
  if (!from || !to) return fail(`${!from ? "--from" : "--to"} is missing; ${USAGE}`);
  const sourceFile = sqlitePath(from);
  if (!sourceFile) return fail(`--from must be sqlite:PATH or a path ending in .sqlite, got "${from}"`);
  if (!isPostgresUrl(to)) return fail(`--to must be a postgres://user@host:port/database URL, got "${redactUrl(to)}"`);
  const batchSize = args.values["batch-size"];
  const batchRows = batchSize === undefined ? DEFAULT_BATCH_ROWS : Number(batchSize);
  if (!Number.isInteger(batchRows) || batchRows < 1 || batchRows > 10_000) {
    return fail(`--batch-size must be a whole number from 1 to 10000, got "${batchSize}"`);
  }

  const config = loadConfig();
  const started = performance.now();
  assertCurrentSqliteSource(sourceFile);
  const source = await openDatabase({ databasePath: sourceFile, logSql: config.logSql }, { migrate: false });
  let target: DataSource | undefined;
  try {
    // No statement timeout: counting or truncating a large table is expected to take a while.
    target = await openDatabase(
      { databasePath: "", databaseUrl: to, poolSize: 2, statementTimeoutMs: 0, logSql: config.logSql },
      { migrate: true },
    );
    process.stdout.write(`db:copy: ${sourceFile} → ${redactUrl(to)}${args.values.truncate ? " (replacing its data)" : ""}\n`);
    await copyDatabase(source, target, {
      truncate: args.values.truncate,
      batchRows,
      onProgress: (line) => process.stdout.write(`${line}\n`),
    });
    // Counted again after the commit, from fresh connections: what the target now holds.
    const counts = await verifyCounts(source, target);
    process.stdout.write(formatCounts(counts));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const mismatched = counts.filter((count) => count.source !== count.target);
    if (mismatched.length > 0) {
      return fail(
        `row counts differ after the copy in ${mismatched.map((count) => count.table).join(", ")}; was something writing to the target?`,
      );
    }
    const total = counts.reduce((sum, count) => sum + count.target, 0);
    process.stdout.write(`copied ${total} rows in ${counts.length} tables in ${seconds} seconds\n`);
    return 0;
  } finally {
    await source.destroy();
    if (target?.isInitialized) await target.destroy();
  }
}

/** `sqlite:PATH` (also `sqlite://PATH`), or a bare path ending in .sqlite. */
function sqlitePath(from: string): string | null {
  const match = /^sqlite:(?:\/\/)?(.+)$/.exec(from);
  if (match) return path.resolve(match[1]);
  return from.endsWith(".sqlite") ? path.resolve(from) : null;
}

function isPostgresUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return ["postgres:", "postgresql:"].includes(url.protocol) && url.pathname.length > 1;
  } catch {
    return false;
  }
}

function formatCounts(counts: TableCount[]): string {
  const rows = [
    ["table", "source", "target", "ok"],
    ...counts.map((c) => [c.table, String(c.source), String(c.target), c.source === c.target ? "yes" : "NO"]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  "))
    .map((line) => `${line}\n`)
    .join("");
}

function fail(message: string): number {
  process.stderr.write(`db:copy: ${message}\n`);
  return 1;
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      if (error instanceof ConfigError || error instanceof DatabaseError || error instanceof CopyError) fail(error.message);
      // Still one line: the copy's own failures are CopyErrors; this is for the unforeseen.
      else fail(`failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      process.exit(1);
    });
}
