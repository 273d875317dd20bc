import autocannon from "autocannon";

import { cpuBetween } from "./postgres";
import { STATS_PATH, type ServerStats } from "./stats";

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

/** One operation on one variant, over one measured window. Per-request figures are null when no request completed. */
export interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number | null;
  /** CPU of the database server's processes per request, where it is one (PostgreSQL on this machine); null for SQLite, in-process. */
  dbCpuMsPerRequest: number | null;
  sqlPerRequest: number | null;
  sqlMin: number | null;
  sqlMax: number | null;
  peakRssMb: number;
}

const MB = 1024 * 1024;

/** Waits for the server to finish what it was sent, unless `underLoad`. */
export async function readStats(url: string, underLoad = false): Promise<ServerStats> {
  const response = await fetch(`${url}${STATS_PATH}${underLoad ? "?now" : ""}`);
  if (!response.ok) throw new Error(`${url}${STATS_PATH} answered ${response.status}`);
  return (await response.json()) as ServerStats;
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Of every response, sorted. */
  latenciesMs: Float64Array;
  /** Connection errors, timeouts and non-2xx answers, e.g. "429 ×319, timeout ×2"; empty when none. */
  failures: string;
}

/** Where each list of bodies was left: a window goes on from the previous one's last body. */
const positions = new WeakMap<readonly string[], number>();

/**
 * Sends `bodies` in turn, round-robin across `connections` keep-alive connections, for
 * `seconds`, starting after the body the previous window with the same list sent last (so a
 * list of unique requests stays unique across warm-up, measurement and repeats).
 */
export function fire(url: string, bodies: readonly string[], connections: number, seconds: number): Promise<LoadResult> {
  let next = positions.get(bodies) ?? 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        // autocannon checks for the end of the run once per sample; the default (1 s) rounds short runs up.
        sampleInt: 100,
        // The naive variant's largest pages take seconds under load; that is a result, not a failure.
        timeout: 60,
        requests: [
          {
            method: "POST",
            path: "/graphql",
            headers: { "content-type": "application/json" },
            setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
          },
        ],
      },
      (error, result) => {
        positions.set(bodies, next);
        if (error) return reject(error);
        const failures = Object.entries(result.statusCodeStats)
          .filter(([status]) => !status.startsWith("2"))
          .map(([status, { count }]) => `${status} ×${count}`);
        if (result.errors > 0) failures.push(`connection error or timeout ×${result.errors}`);
        resolve({
          requestsPerSecond: result.requests.total / result.duration,
          latenciesMs: Float64Array.from(latencies).sort(),
          failures: failures.join(", "),
        });
      },
    );
    // autocannon's own percentiles are whole milliseconds, too coarse for the floor.
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** Requests failed under load: the figures would describe the failure, not the server. */
export class LoadFailure extends Error {
  override name = "LoadFailure";
}

/**
 * Warm-up (JIT, SQLite page cache, connection set-up), then the measured window. Throughput
 * and latency come from the load generator; CPU, SQL statements and RSS from the server's
 * own readings at both ends of the window.
 */
export async function measure(
  url: string,
  bodies: readonly string[],
  settings: LoadSettings,
  dbCpu?: { read(): Promise<Map<number, number>> },
): Promise<Measurement> {
  if (settings.warmupSeconds > 0) await fire(url, bodies, settings.connections, settings.warmupSeconds);
  // Read once the server is idle (readStats waits for it), so the database is done too.
  const before = await readStats(url);
  const dbBefore = await dbCpu?.read();
  const result = await fire(url, bodies, settings.connections, settings.durationSeconds);
  if (result.failures) throw new LoadFailure(`requests failed under load: ${result.failures}`);
  const after = await readStats(url);
  const dbAfter = await dbCpu?.read();
  const requests = after.requests - before.requests;
  const perRequest = (total: number) => (requests > 0 ? total / requests : null);
  return {
    requestsPerSecond: result.requestsPerSecond,
    p50Ms: percentile(result.latenciesMs, 0.5),
    p99Ms: percentile(result.latenciesMs, 0.99),
    cpuMsPerRequest: perRequest((after.cpuMicros - before.cpuMicros) / 1000),
    dbCpuMsPerRequest: dbBefore && dbAfter ? perRequest(cpuBetween(dbBefore, dbAfter)) : null,
    sqlPerRequest: perRequest(after.sqlStatements - before.sqlStatements),
    sqlMin: after.minSqlStatements,
    sqlMax: after.maxSqlStatements,
    peakRssMb: after.peakRssBytes / MB,
  };
}
