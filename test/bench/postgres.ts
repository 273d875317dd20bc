import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";

import { Client } from "pg";

import { redactUrl } from "../../src/config";
import { assertCurrentSqliteSource, copyDatabase, type TableCount } from "../../src/db/copy";
import { openDatabase } from "../../src/db/database";

/** Every database the benchmark creates is named so; nothing else is ever dropped. */
export const DATABASE_PREFIX = "newsgate_bench_";

/** `--postgres` cannot go ahead: the server does not answer, or will not create a database. */
export class PostgresUnavailable extends Error {
  override name = "PostgresUnavailable";
}

export interface BenchDatabase {
  /** The database's own URL, for the variants. */
  url: string;
  name: string;
  /** Drops it, even while servers are still connected to it; safe to call twice. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database next to `adminUrl` (a database the user can connect to and
 * create databases from, e.g. postgres://postgres@127.0.0.1:5432/postgres).
 */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `${DATABASE_PREFIX}${process.pid}_${randomBytes(4).toString("hex")}`;
  try {
    await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  } catch (error) {
    const reason = (error as Error).message || String((error as { code?: string }).code ?? error);
    throw new PostgresUnavailable(`cannot create a database at ${redactUrl(adminUrl)} (--postgres-url): ${reason}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      // FORCE (PostgreSQL 13+) ends the connections a killed variant may have left behind.
      await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * Copies the generated SQLite corpus into the (empty) PostgreSQL database with Newsgate's
 * own copy module — the migrations build the schema, rows keep their ids — and ANALYZEs
 * it, so the planner knows the tables' sizes before the first measured request.
 */
export async function copyCorpus(databasePath: string, databaseUrl: string, log: (line: string) => void): Promise<TableCount[]> {
  assertCurrentSqliteSource(databasePath);
  const source = await openDatabase({ databasePath }, { migrate: false });
  try {
    const target = await openDatabase({ databasePath: "", databaseUrl, poolSize: 2, statementTimeoutMs: 0 }, { migrate: true });
    try {
      const counts = await copyDatabase(source, target, { onProgress: (line) => log(`postgres: ${line}`) });
      await target.query("ANALYZE");
      return counts;
    } finally {
      await target.destroy();
    }
  } finally {
    await source.destroy();
  }
}

/** Whether a PostgreSQL server answers at `url` within `timeoutMs`; the reason when not. */
export async function reachable(url: string, timeoutMs = 2000): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message || String((error as { code?: string }).code ?? error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The CPU time of the PostgreSQL backends connected to one database, read from /proc: the
 * work a variant hands to PostgreSQL (PostGraphile and the floor build their JSON there) is
 * not in the variant's own CPU time. Only where PostgreSQL runs on this machine and its
 * processes can be read; `open` answers null elsewhere.
 */
export class BackendCpu {
  private constructor(
    private readonly admin: Client,
    private readonly database: string,
    private readonly msPerTick: number,
  ) {}

  static async open(adminUrl: string, database: string): Promise<BackendCpu | null> {
    const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
    await admin.connect();
    const cpu = new BackendCpu(admin, database, 1000 / clockTicksPerSecond());
    const { rows } = await admin.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    if (readTicks(rows[0].pid) === null) {
      await admin.end();
      return null;
    }
    return cpu;
  }

  /** Milliseconds of CPU each backend of the database has used so far, by process id. */
  async read(): Promise<Map<number, number>> {
    const { rows } = await this.admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [this.database]);
    const spent = new Map<number, number>();
    for (const { pid } of rows) {
      const ticks = readTicks(pid);
      if (ticks !== null) spent.set(pid, ticks * this.msPerTick);
    }
    return spent;
  }

  close(): Promise<void> {
    return this.admin.end();
  }
}

/**
 * CPU milliseconds between two readings. A backend started in between counts from zero; one
 * that ended in between is lost (the pools keep their connections through a window).
 */
export function cpuBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** utime + stime of a process, in clock ticks; null when it cannot be read. */
function readTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name in parentheses, which may itself hold spaces: state is the 3rd, utime the 14th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}

async function withAdmin<T>(adminUrl: string, use: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
}
