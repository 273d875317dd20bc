import { randomUUID } from "node:crypto";

import { type RequestHandler } from "express";
import pino, { type Logger } from "pino";

import { type CallerRole } from "../access/roles";
import { type LogLevel } from "../config";
import { runWithSqlStats, type SqlStats } from "../db/sql-stats";
import { type Metrics } from "./metrics";

/** What is known about one GraphQL request as it goes through the server; logged when it ends. */
export interface RequestRecord {
  requestId: string;
  startedAt: number;
  clientApp: string | null;
  role: CallerRole;
  operationName: string | null;
  errorCodes: string[];
  sql: SqlStats;
}

/** JSON lines on stdout, one per request plus the server's own events. */
export function createLogger(level: LogLevel): Logger {
  // Synchronous writes: the last lines before process.exit() ("stopped") must not be lost.
  return pino(
    { level, base: { service: "newsgate" }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 1, sync: true }),
  );
}

// A request id a client sends is echoed into logs: keep it short and plain.
const REQUEST_ID = /^[\w.:-]{1,100}$/;

/**
 * Starts a record for each GraphQL request, and when the
 * response is finished writes one log line and the metrics. Runs first, so requests refused
 * early (bad key, rate limit, malformed body) are logged and counted too.
 */
export function requestRecorder(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const given = req.headers["x-request-id"];
    const record: RequestRecord = {
      requestId: typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID(),
      startedAt: performance.now(),
      clientApp: null,
      role: "anonymous",
      operationName: null,
      errorCodes: [],
      sql: { statements: 0 },
    };
    res.locals.record = record;
    res.setHeader("x-request-id", record.requestId);
    // Apollo sets Cache-Control on the responses it computes; anything refused before that
    // (bad key, rate limit, malformed body) must not be kept by a cache.
    res.setHeader("cache-control", "no-store");
    res.on("finish", () => {
      const durationMs = Math.round((performance.now() - record.startedAt) * 10) / 10;
      const outcome = {
        clientApp: record.clientApp,
        operationName: record.operationName,
        status: res.statusCode,
        durationMs,
        sqlStatements: record.sql.statements,
        errorCodes: record.errorCodes,
      };
      metrics.record(outcome);
      logger.info(
        {
          requestId: record.requestId,
          method: req.method,
          path: req.baseUrl || req.path,
          status: res.statusCode,
          clientApp: record.clientApp,
          role: record.role,
          operationName: record.operationName,
          durationMs,
          sqlStatements: record.sql.statements,
          errorCodes: record.errorCodes,
        },
        "graphql request",
      );
    });
    next();
  };
}

/**
 * Counts the SQL statements of everything after it into the request's record. It goes after
 * the body parser: AsyncLocalStorage does not follow the request stream's events, so a
 * store entered before the body is read would be gone by the time Apollo runs.
 */
export const countSqlStatements: RequestHandler = (_req, res, next) => runWithSqlStats(recordOf(res).sql, next);

export function recordOf(res: { locals: Record<string, unknown> }): RequestRecord {
  return res.locals.record as RequestRecord;
}
