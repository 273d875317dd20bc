import { AsyncLocalStorage } from "node:async_hooks";
import { type Logger as TypeOrmLogger } from "typeorm";

/** What one unit of work (usually one HTTP request) did to the database. */
export interface SqlStats {
  statements: number;
}

const current = new AsyncLocalStorage<SqlStats>();
/** How many `runWithSqlStats` are running. */
let running = 0;

/**
 * Runs `fn` counting TypeORM's statements into `stats` (the read path counts its own, see
 * reader.ts). Everything it starts, including DataLoader batches scheduled from its
 * resolvers, counts into the same `SqlStats`.
 *
 * Only around work that may reach TypeORM (a key lookup, resolvers), not around a whole
 * request: while any AsyncLocalStorage holds a store, Node 20 runs a hook on every promise in
 * the process, about a tenth of the CPU of a request that needs no counting (an answer
 * rendered in SQL, `{ __typename }`). So the storage is switched off whenever none is running;
 * what a finished run left behind (an event published after the answer) is no longer counted.
 */
export async function runWithSqlStats<T>(stats: SqlStats, fn: () => Promise<T>): Promise<T> {
  running += 1;
  try {
    return await current.run(stats, fn);
  } finally {
    running -= 1;
    if (running === 0) current.disable();
  }
}

/**
 * TypeORM hands every statement to its logger, whatever the `logging` option says, so
 * counting happens here: it works the same for every driver.
 */
export class SqlStatsLogger implements TypeOrmLogger {
  constructor(private readonly echo: boolean) {}

  logQuery(query: string, parameters?: unknown[] | object): void {
    const stats = current.getStore();
    if (stats) stats.statements += 1;
    this.echoQuery(query, parameters);
  }

  /** LOG_SQL for statements counted elsewhere (the read path counts its own, see reader.ts). */
  echoQuery(query: string, parameters?: unknown[] | object): void {
    if (this.echo) process.stderr.write(`[sql] ${query}${formatParameters(parameters)}\n`);
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[] | object): void {
    if (this.echo) {
      const message = typeof error === "string" ? error : error.message;
      process.stderr.write(`[sql error] ${message}: ${query}${formatParameters(parameters)}\n`);
    }
  }

  logQuerySlow(time: number, query: string): void {
    if (this.echo) process.stderr.write(`[sql slow ${time}ms] ${query}\n`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    if (this.echo) process.stderr.write(`[migration] ${message}\n`);
  }

  log(level: "log" | "info" | "warn", message: unknown): void {
    if (level === "warn") process.stderr.write(`[typeorm] ${String(message)}\n`);
  }
}

function formatParameters(parameters?: unknown[] | object): string {
  if (!parameters || (Array.isArray(parameters) && parameters.length === 0)) return "";
  return ` -- ${JSON.stringify(parameters)}`;
}
