import { randomUUID } from "node:crypto";
import { type IncomingMessage, type ServerResponse } from "node:http";

import pino, { type Logger } from "pino";

import { type CallerRole } from "../access/roles";
import { type LogLevel } from "../config";
import { type SqlStats } from "../db/sql-stats";
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
 * Starts the record of a GraphQL request, and when its response is finished writes one log
 * line and the metrics. Called first, so requests refused early (bad key, rate limit,
 * malformed body) are logged and counted too.
 */
export function startRecord(req: IncomingMessage, res: ServerResponse, path: string, logger: Logger, metrics: Metrics): RequestRecord {
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
  res.setHeader("x-request-id", record.requestId);
  // Apollo sets Cache-Control on the responses it computes; anything refused before that
  // (bad key, rate limit, malformed body) must not be kept by a cache.
  res.setHeader("cache-control", "no-store");
  res.on("finish", () => {
    const durationMs = Math.round((performance.now() - record.startedAt) * 10) / 10;
    metrics.record({
      clientApp: record.clientApp,
      operationName: record.operationName,
      status: res.statusCode,
      durationMs,
      sqlStatements: record.sql.statements,
      errorCodes: record.errorCodes,
    });
    // Not built when nobody reads it (tests, the benchmark log nothing).
    if (!logger.isLevelEnabled("info")) return;
    logger.info(
      {
        requestId: record.requestId,
        method: req.method,
        path,
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
  return record;
}
