import { type DataSource } from "typeorm";

import { type Config } from "../../src/config";
import { type NewsgateServer, type RequestReport } from "../../src/server";
import { startHttpServer } from "./http-server";

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }> };
}

/**
 * The GraphQL-shaped view of the test server (`startHttpServer`) that the API tests use:
 * `gql(query, variables, { key })` answers a parsed GraphQL response.
 */
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

/** The real server on a temporary database, listening on a free port on 127.0.0.1. */
export async function startTestServer(options: { demo?: boolean; config?: Partial<Config> } = {}): Promise<TestServer> {
  const http = await startHttpServer({ demo: options.demo, config: options.config });
  const gql = async <T>(
    query: string,
    variables?: Record<string, unknown>,
    { key }: { key?: string } = {},
  ): Promise<GraphQLResponse<T>> => {
    const { status, headers, body } = await http.gql(query, { variables, key });
    return { status, headers, body };
  };
  return {
    url: http.url,
    dataSource: http.dataSource,
    server: http.server,
    reports: http.reports,
    gql,
    key: (name, role) => http.key(name, role),
    async sqlCount(query, variables) {
      const response = await gql(query, variables);
      if (response.body.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.body.errors)}`);
      return http.reports.at(-1)!.sqlStatements;
    },
    close: () => http.close(),
  };
}
