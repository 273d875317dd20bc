import { AsyncLocalStorage } from "node:async_hooks";
import { type Logger as TypeOrmLogger } from "typeorm";

/** What one unit of work (usually one HTTP request) did to the database. */
export interface SqlStats {
  statements: number;
}

const current = new AsyncLocalStorage<SqlStats>();

/**
 * Runs `fn` counting statements into `stats`. Everything it starts, including DataLoader
 * batches scheduled from its resolvers, counts into the same `SqlStats`.
 */
export function runWithSqlStats<T>(stats: SqlStats, fn: () => T): T {
  return current.run(stats, fn);
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
