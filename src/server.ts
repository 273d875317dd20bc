import http from "node:http";
import { randomUUID } from "node:crypto";

import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { type GraphQLFormattedError } from "graphql";
import { type DataSource } from "typeorm";

import { identifyCaller } from "./client/caller";
import { type Config, loadConfig } from "./config";
import { type Context, createContext } from "./context";
import { type LoaderOptions } from "./db/loader-options";
import { currentSqlStats, runWithSqlStats, type SqlStats } from "./db/sql-stats";
import { ErrorCode, RateLimitedError } from "./errors";
import { graphqlBodyErrors } from "./http/body-errors";
import { playgroundRouter } from "./http/playground";
import { RateLimiter } from "./http/rate-limit";
import { requestLimitsPlugin } from "./http/request-limits";
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
  /** Settings not given take their defaults, as `loadConfig` would with only NODE_ENV set. */
  config: Pick<Config, "env"> & Partial<Config>;
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
  const config: Config = { ...loadConfig({ NODE_ENV: options.config.env }), ...options.config };
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);
  const rateLimiter = new RateLimiter();

  const apollo = new ApolloServer<RequestContext>({
    schema: await getSchema(),
    // Apollo would read NODE_ENV itself; Newsgate's settings come from config only.
    nodeEnv: config.env,
    // Stack traces stay in our logs, never in responses.
    includeStacktraceInErrorResponses: false,
    // "Did you mean …?" would describe the schema to callers who may not introspect it.
    hideSchemaDetailsFromClientErrors: config.env === "production",
    // Answered per caller by requestLimitsPlugin: in production only for callers with a key.
    introspection: true,
    // Counted while parsing, so an oversized document stops early with a 400.
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationOptions: { maxErrors: config.limits.maxValidationErrors },
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    formatError: (formatted, error) => hideInternalErrors(formatted, error),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo Sandbox loads from Apollo's CDN, so it is opt-in; the default playground is ours.
      config.playground === "sandbox" ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
      requestLimitsPlugin(config),
      reportPlugin(options.onRequest),
    ],
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  if (config.playground === "graphiql") app.use(playgroundRouter());
  if (config.playground === "sandbox") app.get("/playground", (_req, res) => res.redirect(302, "/graphql"));

  app.use(
    "/graphql",
    express.json({ limit: config.bodyLimitBytes }),
    (_req, _res, next) => runWithSqlStats({ statements: 0 }, next),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const startedAt = performance.now();
        const requestId = (typeof req.headers["x-request-id"] === "string" && req.headers["x-request-id"]) || randomUUID();
        const caller = await identifyCaller(options.dataSource, req.headers, config);
        const retryAfter = caller.clientApp
          ? rateLimiter.take(`app:${caller.clientApp.id}`, caller.clientApp.rateLimitPerMinute)
          : rateLimiter.take(`ip:${req.ip}`, config.anonymousRateLimit);
        if (retryAfter > 0) {
          const who = caller.clientApp ? `client app "${caller.clientApp.name}"` : "anonymous callers from this address";
          throw new RateLimitedError(`Rate limit reached for ${who}; retry in ${retryAfter} s`, retryAfter);
        }
        return {
          ...createContext(options.dataSource, requestId, options.loaderOptions, caller),
          sql: currentSqlStats() ?? { statements: 0 },
          startedAt,
        };
      },
    }),
  );
  app.use("/graphql", graphqlBodyErrors);

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
