import http from "node:http";
import { randomUUID } from "node:crypto";

import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { type GraphQLFormattedError } from "graphql";
import { type DataSource } from "typeorm";

import { type Config } from "./config";
import { type Context, createContext } from "./context";
import { type LoaderOptions } from "./db/loader-options";
import { currentSqlStats, runWithSqlStats, type SqlStats } from "./db/sql-stats";
import { ErrorCode } from "./errors";
import { getSchema } from "./schema";

/** What the server reports about each GraphQL request once its response is ready. */
export interface RequestReport {
  requestId: string;
  operationName: string | null;
  sqlStatements: number;
  durationMs: number;
  errorCodes: string[];
}

export interface ServerOptions {
  config: Pick<Config, "env">;
  dataSource: DataSource;
  onRequest?: (report: RequestReport) => void;
  /** For the benchmark's naive variant only; production always batches. */
  loaderOptions?: LoaderOptions;
}

export interface NewsgateServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  /** Stops taking requests, lets in-flight ones finish, then stops Apollo. */
  stop(): Promise<void>;
}

type RequestContext = Context & { sql: SqlStats; startedAt: number };

/**
 * Builds the HTTP app and Apollo server without listening: `main.ts` listens on the
 * configured port, tests on port 0.
 */
export async function createServer(options: ServerOptions): Promise<NewsgateServer> {
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<RequestContext>({
    schema: await getSchema(),
    // Stack traces stay in our logs, never in responses.
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => hideInternalErrors(formatted, error),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), reportPlugin(options.onRequest)],
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    (_req, _res, next) => runWithSqlStats({ statements: 0 }, next),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = (typeof req.headers["x-request-id"] === "string" && req.headers["x-request-id"]) || randomUUID();
        return {
          ...createContext(options.dataSource, requestId, options.loaderOptions),
          sql: currentSqlStats() ?? { statements: 0 },
          startedAt: performance.now(),
        };
      },
    }),
  );

  return {
    app,
    httpServer,
    apollo,
    async stop() {
      await apollo.stop();
    },
  };
}

function reportPlugin(onRequest?: (report: RequestReport) => void): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operationName, response }) {
          if (!onRequest) return;
          const errors = response.body.kind === "single" ? (response.body.singleResult.errors ?? []) : [];
          onRequest({
            requestId: contextValue.requestId,
            operationName: operationName ?? null,
            sqlStatements: contextValue.sql.statements,
            durationMs: performance.now() - contextValue.startedAt,
            errorCodes: errors.map((error) => String(error.extensions?.code ?? ErrorCode.InternalServerError)),
          });
        },
      };
    },
  };
}

/**
 * Errors we raised on purpose carry a code and a message meant for clients. Anything else
 * is a bug or an outage: the client gets a generic message, the log gets the details.
 */
function hideInternalErrors(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code && code !== ErrorCode.InternalServerError) return formatted;
  const original = (error as { originalError?: unknown }).originalError ?? error;
  process.stderr.write(
    `[newsgate] internal error: ${original instanceof Error ? (original.stack ?? original.message) : String(original)}\n`,
  );
  return {
    message: "Internal server error",
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.InternalServerError },
  };
}
