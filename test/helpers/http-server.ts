import { type AddressInfo } from "node:net";

import { type Logger } from "pino";
import { type DataSource } from "typeorm";

import { createClientApp } from "../../src/access/client-apps";
import { type Config } from "../../src/config";
import { loadDemoIfEmpty } from "../../src/demo/load-demo";
import { createServer, type NewsgateServer, type RequestReport } from "../../src/server";
import { createTempDatabase, type TempDatabase } from "./temp-database";

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: any;
}

export interface HttpServer {
  /** http://127.0.0.1:PORT, without a path. */
  origin: string;
  url: string;
  dataSource: DataSource;
  /** The temporary database, for a second server over the same data (`startHttpServer({ database })`). */
  database: TempDatabase;
  databasePath: string;
  /** The temporary PostgreSQL database's URL when the tests run on PostgreSQL, else null. */
  databaseUrl: string | null;
  server: NewsgateServer;
  reports: RequestReport[];
  /** Any request to the server; `path` defaults to /graphql. */
  request(init: RequestInit & { path?: string }): Promise<HttpResult>;
  /** A GraphQL POST with JSON, optionally with a key (sent as `Authorization: Bearer`). */
  gql(
    query: string,
    options?: { variables?: Record<string, unknown>; key?: string; headers?: Record<string, string> },
  ): Promise<HttpResult>;
  /** Registers a client app and returns its key. */
  key(
    name: string,
    role: "reader" | "editor" | "admin",
    settings?: { rateLimitPerMinute?: number; maxDepth?: number; maxAliases?: number; maxCost?: number },
  ): Promise<string>;
  close(): Promise<void>;
}

/** The real server on a temporary database, with whatever settings a test needs. */
export async function startHttpServer(
  options: {
    config?: Partial<Config>;
    demo?: boolean;
    logger?: Logger;
    engine?: "sqlite" | "postgres";
    /** Serve another server's database (which that server's `close` removes) instead of a new one. */
    database?: TempDatabase;
  } = {},
): Promise<HttpServer> {
  const shared = options.database;
  const database = shared ?? (await createTempDatabase({ engine: options.engine }));
  if (options.demo) await loadDemoIfEmpty(database.dataSource);
  const reports: RequestReport[] = [];
  const server = await createServer({
    config: { env: "test", ...options.config },
    dataSource: database.dataSource,
    onRequest: (report) => reports.push(report),
    logger: options.logger,
  });
  await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;

  const request = async ({ path = "/graphql", ...init }: RequestInit & { path?: string }): Promise<HttpResult> => {
    const response = await fetch(origin + path, init);
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, text, body };
  };

  return {
    origin,
    url: `${origin}/graphql`,
    dataSource: database.dataSource,
    database,
    databasePath: database.databasePath,
    databaseUrl: database.settings.databaseUrl ?? null,
    server,
    reports,
    request,
    gql: (query, { variables, key, headers = {} } = {}) =>
      request({
        method: "POST",
        headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      }),
    key: async (name, role, settings = {}) => (await createClientApp(database.dataSource, { name, role, ...settings })).key,
    async close() {
      await server.stop();
      if (!shared) await database.cleanup();
    },
  };
}
