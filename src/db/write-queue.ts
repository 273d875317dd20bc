import { setTimeout as sleep } from "node:timers/promises";

import { type DataSource, type EntityManager, type QueryRunner } from "typeorm";

/**
 * TypeORM's SQLite drivers share one connection between all callers. Two transactions that
 * overlap would interleave their statements on it: the second BEGIN fails, and a rollback
 * can undo (or keep) the other caller's writes. So every top-level write transaction goes
 * through one queue per DataSource and runs alone. Reads are not queued; on that same
 * connection a read that lands while a write transaction is open sees its uncommitted rows.
 * Writes are short (one article), so we accept that rather than put reads in the queue.
 */
const queues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * How long a write waits, in all, for another process (the CLI beside the server, a backup)
 * to release a SQLite file, on top of the driver's busy timeout for each attempt.
 */
export const SQLITE_WRITE_WAIT_MS = 30_000;

export function writeTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const transaction = () => (dataSource.options.type === "better-sqlite3" ? sqliteWrite(dataSource, work) : dataSource.transaction(work));
  const run = previous.then(transaction, transaction);
  // The queue continues whether this transaction commits or fails.
  queues.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
}

/**
 * A SQLite write transaction that waits for other processes instead of failing. It starts
 * with BEGIN IMMEDIATE: a deferred BEGIN takes the write lock only at the first write, and a
 * reader that must upgrade while another process writes gets SQLITE_BUSY at once (SQLite
 * cannot wait there without risking deadlock). Taking the lock up front lets the busy
 * timeout really wait; past it, the start is retried with backoff until SQLITE_WRITE_WAIT_MS.
 * Only the start is retried: once the lock is held, the work runs exactly once.
 */
async function sqliteWrite<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const deadline = Date.now() + SQLITE_WRITE_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    const runner = immediateRunner(dataSource);
    try {
      await runner.startTransaction();
    } catch (error) {
      await runner.release();
      if (!isBusy(error) || Date.now() > deadline) throw error;
      await sleep(Math.min(50 * 2 ** attempt, 1_000) * (0.5 + Math.random()));
      continue;
    }
    try {
      const result = await work(runner.manager);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

/** A query runner whose transactions begin with BEGIN IMMEDIATE (TypeORM always says BEGIN TRANSACTION). */
function immediateRunner(dataSource: DataSource): QueryRunner {
  const runner = dataSource.createQueryRunner();
  const query = runner.query.bind(runner);
  runner.query = ((sql: string, ...rest: unknown[]) =>
    (query as (...args: unknown[]) => Promise<unknown>)(
      sql === "BEGIN TRANSACTION" ? "BEGIN IMMEDIATE" : sql,
      ...rest,
    )) as QueryRunner["query"];
  return runner;
}

function isBusy(error: unknown): boolean {
  const codes = [error, (error as { driverError?: unknown })?.driverError].map((e) => String((e as { code?: unknown })?.code ?? ""));
  return (
    codes.some((code) => code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) || /database is locked/i.test(String(error))
  );
}
