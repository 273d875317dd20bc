import type http from "node:http";

import { type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { type DataSource } from "typeorm";
import { WebSocketServer } from "ws";

import { type Caller, identifyCaller } from "../client/caller";
import { createContext } from "../context";
import { type LoaderOptions } from "../db/loader-options";
import { type Publisher } from "./announce";

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  dataSource: DataSource;
  events: Publisher;
  allowAnonymousReads: boolean;
  production: boolean;
  loaderOptions?: LoaderOptions;
}

/**
 * GraphQL subscriptions over the graphql-ws protocol, on the same port and path as queries.
 * A client authenticates with the same API keys, sent in the connection_init payload
 * (`{ "authorization": "Bearer …" }` or `{ "x-api-key": "…" }`) or on the upgrade request.
 * Each operation gets a fresh request context: loaders never outlive one event.
 */
export function attachSubscriptions(options: SubscriptionServerOptions): { close(): Promise<void> } {
  const wss = new WebSocketServer({ server: options.httpServer, path: "/graphql" });
  const callers = new WeakMap<object, Caller>();
  const server = useServer(
    {
      schema: options.schema,
      isProd: options.production,
      onConnect: async (ctx) => {
        const params = (ctx.connectionParams ?? {}) as Record<string, unknown>;
        const headers: Record<string, string | undefined> = {
          authorization: typeof params.authorization === "string" ? params.authorization : ctx.extra.request.headers.authorization,
          "x-api-key":
            typeof params["x-api-key"] === "string" ? params["x-api-key"] : (ctx.extra.request.headers["x-api-key"] as string | undefined),
        };
        try {
          callers.set(ctx.extra, await identifyCaller(options.dataSource, headers, { allowAnonymousReads: options.allowAnonymousReads }));
          return true;
        } catch {
          // Closes the socket with 4403 Forbidden: the key was missing, wrong or disabled.
          return false;
        }
      },
      context: (ctx) => createContext(options.dataSource, undefined, options.loaderOptions, callers.get(ctx.extra), options.events),
    },
    wss,
  );
  return {
    async close() {
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
