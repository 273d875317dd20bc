import { type DataSource, type EntityManager } from "typeorm";

/**
 * TypeORM's SQLite drivers share one connection between all callers. Two transactions that
 * overlap would interleave their statements on it: the second BEGIN fails, and a rollback
 * can undo (or keep) the other caller's writes. So every top-level write transaction goes
 * through one queue per DataSource and runs alone. Reads are not queued; on that same
 * connection a read that lands while a write transaction is open sees its uncommitted rows.
 * Writes are short (one article), so we accept that rather than put reads in the queue.
 */
const queues = new WeakMap<DataSource, Promise<unknown>>();

export function writeTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const run = previous.then(
    () => dataSource.transaction(work),
    () => dataSource.transaction(work),
  );
  // The queue continues whether this transaction commits or fails.
  queues.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
}
