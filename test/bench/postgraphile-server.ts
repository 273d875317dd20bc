import http from "node:http";
import Module from "node:module";
import path from "node:path";

import { Pool, type PoolClient } from "pg";

import { STATS_PATH, type StatsRecorder } from "./stats";

/**
 * PostGraphile v4 over the benchmark's PostgreSQL database: the outside peer Newsgate is
 * compared with. Served as PostGraphile documents it, as a request handler on a bare
 * node:http server, with the options of issue 6 and nothing else (no connection-filter
 * plugin, no watch mode, no GraphiQL, no query log).
 */
export const POSTGRAPHILE_OPTIONS = {
  dynamicJson: true,
  disableDefaultMutations: true,
  ignoreRBAC: false,
  setofFunctionsContainNulls: false,
  retryOnInitFail: false,
  graphiql: false,
  disableQueryLog: true,
} as const;

/** The same pool size as Newsgate's default (DATABASE_POOL_SIZE) and the PostgreSQL floor's. */
const POOL_SIZE = 10;

type Checkout = PoolClient & { benchStatements?: number };

export async function servePostGraphile(databaseUrl: string, stats: StatsRecorder): Promise<http.Server> {
  useGraphql15();
  const { postgraphile } = require("postgraphile") as typeof import("postgraphile");
  const pool = new Pool({ connectionString: databaseUrl, max: POOL_SIZE });
  countStatementsPerCheckout(pool, (statements) => stats.recordStatements(statements));
  const handler = postgraphile(pool, "public", POSTGRAPHILE_OPTIONS);
  // Introspection happens on the first request otherwise, inside a measured window.
  await handler.getGraphQLSchema();
  return http.createServer((req, res) => {
    if (req.url?.startsWith(STATS_PATH)) return stats.handle(req, res);
    // "close", not "finish": a request the load generator gave up on at the end of a window
    // is still one the server worked on, and the stats endpoint waits until all are counted.
    if (req.url === "/graphql") res.once("close", () => stats.recordAnswer());
    handler(req, res);
  });
}

/**
 * PostGraphile checks a client out of the pool for each GraphQL request, runs that
 * request's statements on it and releases it (no transaction for queries without
 * settings): the statements issued between a checkout and its release are one request's.
 */
function countStatementsPerCheckout(pool: Pool, onRelease: (statements: number) => void): void {
  pool.on("connect", (client: Checkout) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      client.benchStatements = (client.benchStatements ?? 0) + 1;
      return query(...args);
    };
  });
  pool.on("acquire", (client: Checkout) => {
    client.benchStatements = 0;
  });
  pool.on("release", (_error: Error | undefined, client: Checkout) => onRelease(client.benchStatements ?? 0));
}

/**
 * PostGraphile v4 is written for graphql 15; Newsgate is on 16. npm nests graphql@15 under
 * postgraphile, but some of PostGraphile's own dependencies land at the top of
 * node_modules, where `require("graphql")` finds 16 (graphql-parse-resolve-info) or a second
 * copy of 15 (graphile-build-pg). Two graphql modules in one schema fail their instanceof
 * checks, so in this process — which loads nothing of Newsgate — every `graphql` import
 * resolves to the copy postgraphile itself gets.
 */
function useGraphql15(): void {
  const postgraphileDir = path.dirname(require.resolve("postgraphile/package.json"));
  const graphqlDir = path.dirname(require.resolve("graphql/package.json", { paths: [postgraphileDir] }));
  const { version } = require(path.join(graphqlDir, "package.json")) as { version: string };
  if (!version.startsWith("15.")) throw new Error(`PostGraphile v4 needs graphql 15, but it resolves graphql ${version}`);
  const internals = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = internals._resolveFilename;
  internals._resolveFilename = (request, ...rest) =>
    resolve(request === "graphql" || request.startsWith("graphql/") ? graphqlDir + request.slice("graphql".length) : request, ...rest);
}
