/**
 * One benchmark variant in a process of its own, so its CPU time and RSS are its own:
 * `serve-variant.ts VARIANT DATABASE` (a SQLite path, or a postgres:// URL for the
 * PostgreSQL variants) listens on a free port, prints the port on stdout, and serves
 * /graphql plus the stats endpoint until it is signalled or its parent goes away.
 */
import http from "node:http";

import { type LoaderFactory } from "../../src/context";
import { createPostgresFloorHandler } from "./floor-pg-server";
import { createFloorHandler } from "./floor-server";
import { STATS_PATH, StatsRecorder } from "./stats";

type Serve = (database: string, stats: StatsRecorder) => Promise<http.Server>;

const SERVERS: Record<string, Serve> = {
  floor: async (databasePath, stats) => {
    const floor = createFloorHandler(databasePath, (statements) => stats.recordRequest(statements));
    return http.createServer((req, res) => (req.url?.startsWith(STATS_PATH) ? stats.handle(req, res) : floor.handle(req, res)));
  },
  // The same resolvers with per-row loaders: what N+1 would cost.
  naive: (databasePath, stats) => {
    const { createLoaders } = require("../../src/context") as typeof import("../../src/context");
    return serveNewsgate({ databasePath }, stats, (session) => createLoaders(session, { maxBatchSize: 1, cache: false }));
  },
  newsgate: (databasePath, stats) => serveNewsgate({ databasePath }, stats),
  // As shipped, response cache on: after the warm-up, repeated reads are cache hits.
  "newsgate-cached": (databasePath, stats) => serveNewsgate({ databasePath }, stats, undefined, true),
  // Response cache on, every request a miss (unique variables): what caching costs.
  "newsgate-cache-miss": (databasePath, stats) => serveNewsgate({ databasePath }, stats, undefined, true),
  "floor-pg": async (databaseUrl, stats) => {
    const floor = createPostgresFloorHandler(databaseUrl, (statements) => stats.recordRequest(statements));
    return http.createServer((req, res) => (req.url?.startsWith(STATS_PATH) ? stats.handle(req, res) : floor.handle(req, res)));
  },
  // The benchmark migrated the database when it copied the corpus; migrating again at start
  // (a no-op) keeps a run going when a migration lands in the working tree meanwhile.
  "newsgate-pg": (databaseUrl, stats) => serveNewsgate({ databasePath: "", databaseUrl }, stats),
  postgraphile: (databaseUrl, stats) => {
    // Required here: it redirects `graphql` to the copy PostGraphile v4 needs, in its own process only.
    const { servePostGraphile } = require("./postgraphile-server") as typeof import("./postgraphile-server");
    return servePostGraphile(databaseUrl, stats);
  },
};

async function serveNewsgate(
  database: { databasePath: string; databaseUrl?: string },
  stats: StatsRecorder,
  loaders?: LoaderFactory,
  responseCache = false,
): Promise<http.Server> {
  // Required here rather than imported at the top, so that the floor's process does not
  // carry Newsgate's modules: its RSS is the reference for the memory target.
  const { openDatabase } = require("../../src/db/database") as typeof import("../../src/db/database");
  const { createServer } = require("../../src/server") as typeof import("../../src/server");
  const dataSource = await openDatabase(database);
  const server = await createServer({
    // The benchmark is one anonymous client sending thousands of requests a second from
    // 127.0.0.1: the per-address limit would answer most of them with 429 and measure the
    // limiter. The response cache is off: these variants measure Newsgate executing each
    // request, as the floors and PostGraphile do (the "Newsgate uncached"); with it
    // on, the requests of each warm-up, sent again first in the measured window, would be
    // answered from it, a share that depends on the window's length. Everything else is as
    // shipped.
    // The cached variants' warm set is 50 answers per operation, 50 front pages of 100 stories
    // among them (about 1 MB each): the byte budget is raised so that set fits, as an operator
    // would size RESPONSE_CACHE_MB for their own front pages.
    config: {
      env: "production",
      anonymousRateLimit: 0,
      // The naive variant measures its injected per-row loaders, so nothing is rendered in SQL.
      ...(loaders ? { renderInSql: false } : {}),
      ...(responseCache ? { responseCacheBytes: 256 * 1024 * 1024 } : { responseCacheSize: 0 }),
    },
    dataSource,
    loaders,
    onRequest: (report) => stats.recordRequest(report.sqlStatements),
  });
  server.app.get(STATS_PATH, stats.handle);
  return server.httpServer;
}

async function main(): Promise<void> {
  const [name, database] = process.argv.slice(2);
  const serve = SERVERS[name];
  if (!serve || !database) throw new Error(`usage: serve-variant.ts ${Object.keys(SERVERS).join("|")} DATABASE_PATH|DATABASE_URL`);
  const stats = new StatsRecorder();
  const httpServer = await serve(database, stats);
  stats.watch(httpServer, "/graphql");
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  process.stdout.write(`${(httpServer.address() as { port: number }).port}\n`);

  // Nothing is written, so there is nothing to flush: exit at once. process.exit() still
  // writes a --cpu-prof profile, which a kill would not.
  process.on("SIGTERM", () => process.exit(0));
  process.stdin.on("close", () => process.exit(0));
  process.stdin.resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
