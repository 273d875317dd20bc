import { type AddressInfo } from "node:net";

import { type DataSource } from "typeorm";

import { createClientApp } from "../../src/client/client-apps";
import { loadDemoIfEmpty } from "../../src/demo/load-demo";
import { createServer, type NewsgateServer, type RequestReport } from "../../src/server";
import { createTempDatabase } from "./temp-database";

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }> };
}

export interface TestServer {
  url: string;
  dataSource: DataSource;
  server: NewsgateServer;
  /** Reports of every GraphQL request so far, newest last. */
  reports: RequestReport[];
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: { key?: string }): Promise<GraphQLResponse<T>>;
  /** A new client app with this role; returns its API key. */
  key(name: string, role: "reader" | "editor" | "admin"): Promise<string>;
  /** Runs an operation and returns how many SQL statements it took. */
  sqlCount(query: string, variables?: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}

/** The real server on a temporary SQLite file, listening on a free port on 127.0.0.1. */
export async function startTestServer(options: { demo?: boolean } = {}): Promise<TestServer> {
  const database = await createTempDatabase();
  if (options.demo) await loadDemoIfEmpty(database.dataSource);
  const reports: RequestReport[] = [];
  const server = await createServer({
    config: { env: "test" },
    dataSource: database.dataSource,
    onRequest: (report) => reports.push(report),
  });
  await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = server.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/graphql`;

  const gql = async <T>(
    query: string,
    variables?: Record<string, unknown>,
    options: { key?: string } = {},
  ): Promise<GraphQLResponse<T>> => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(options.key ? { authorization: `Bearer ${options.key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<T>["body"] };
  };

  return {
    url,
    dataSource: database.dataSource,
    server,
    reports,
    gql,
    async key(name, role) {
      return (await createClientApp(database.dataSource, { name, role })).key;
    },
    async sqlCount(query, variables) {
      const response = await gql(query, variables);
      if (response.body.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.body.errors)}`);
      return reports.at(-1)!.sqlStatements;
    },
    async close() {
      await server.stop();
      await database.cleanup();
    },
  };
}
