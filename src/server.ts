import http from "node:http";
import v8 from "node:v8";

import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import cors from "cors";
import express from "express";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type Redis from "ioredis";
import { type Logger } from "pino";
import { type DataSource } from "typeorm";

import { Access, type Admission } from "./access/access";
import { memoryRateLimit, redisRateLimit } from "./access/rate-limit";
import { SocketSessions } from "./access/socket-sessions";
import { type Config, loadConfig } from "./config";
import { consoleRouter } from "./console/console.router";
import { type Context, createContext, type LoaderFactory } from "./context";
import { type SqlStats } from "./db/sql-stats";
import { ErrorCode } from "./errors";
import { type AnswerTexts } from "./http/answer-texts";
import { CachePolicies } from "./http/cache-control";
import { compiledExecutor, gatewayOf } from "./http/execution";
import { graphqlEndpoint, isGraphqlPath } from "./http/graphql-endpoint";
import { healthRouter } from "./http/health";
import { Metrics } from "./http/metrics";
import { playgroundRequest, playgroundRouter } from "./http/playground";
import { PreparedOperations } from "./http/prepared-operations";
import { createLogger, type RequestRecord } from "./http/request-log";
import { ResponseCache } from "./http/response-cache";
import { InProcessResponseStore } from "./http/response-store";
import { type Publisher } from "./events/announce";
import { EventBus, TOPICS } from "./events/event-bus";
import { invalidateOnEvents } from "./events/invalidate-on-events";
import { FeedMetrics } from "./feed/feed.metrics";
import { FeedPoller } from "./feed/feed.poller";
import { attachSubscriptions } from "./events/websocket";
import { RedisKeyValueCache } from "./redis/key-value-cache";
import { RedisResponseStore } from "./redis/response-store";
import { articleParser } from "./ingestion/parser-pool";
import { getSchema, sqlRenderer } from "./schema";

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
  loaders?: LoaderFactory;
  /** Where writes announce themselves and subscriptions listen; in-process by default, Redis across replicas. */
  events?: EventBus;
  /**
   * A Redis connection (main.ts makes one when REDIS_URL is set): persisted queries, the
   * response cache and rate-limit buckets then live in Redis, under `config.redisKeyPrefix`,
   * shared by every replica. Without one they live in this process. The caller closes it.
   */
  redis?: Redis;
  /**
   * Where request logs and internal errors go. main.ts passes JSON lines on stdout; without
   * one (tests, the benchmark) the server logs nothing.
   */
  logger?: Logger;
}

export interface NewsgateServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  logger: Logger;
  /** The registry behind /metrics, for adding process metrics in main.ts. */
  metrics: Metrics;
  /** This replica's feed poller; null unless `config.feeds.polling`. */
  feedPoller: FeedPoller | null;
  /**
   * Drains and stops: /readyz turns 503 at once while everything else is still served for
   * `graceMs` (so load balancers stop routing here), with `Connection: close` on every answer
   * so keep-alive clients leave; then the feed poller stops, subscriptions get a 1001 close
   * frame, the listener closes, idle keep-alive connections close, and in-flight requests finish.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

type RequestContext = Context & { sql: SqlStats; startedAt: number; record: RequestRecord; admission: Admission; answerTexts: AnswerTexts };

/**
 * How many distinct query texts, and how many characters of them in all, are kept prepared.
 * A client's screens send a few dozen; each kept text holds its parsed document too (tens of
 * bytes per character), so the characters bound what a caller sending many large documents
 * can make the server hold.
 */
const PREPARED_DOCUMENTS = 500;
const PREPARED_CHARS = 1_000_000;

/**
 * Builds the HTTP app and Apollo server without listening: `main.ts` listens on the
 * configured port, tests on port 0.
 */
export async function createServer(options: ServerOptions): Promise<NewsgateServer> {
  const config: Config = { ...loadConfig({ NODE_ENV: options.config.env }), ...options.config };
  // Requests promote a steady share of what they allocate to V8's old generation, which V8
  // then lets grow to several times what it keeps before collecting it: most of a busy
  // server's memory was garbage waiting. V8 reads this flag at each full collection, so it
  // takes effect when set at start. It is per process, which a server owns in every
  // deployment (tests that start several set the same value).
  if (config.heapGrowthPercent > 0) v8.setFlagsFromString(`--heap-growing-percent=${config.heapGrowthPercent}`);
  const logger = options.logger ?? createLogger("silent");
  const metrics = new Metrics();
  const app = express();
  app.disable("x-powered-by");
  // Behind N proxies, req.ip is the address the Nth one saw: the key for anonymous rate limits.
  if (config.trustProxyHops > 0) app.set("trust proxy", config.trustProxyHops);
  // Requests are routed below, once /graphql's endpoint exists.
  const httpServer = http.createServer();
  const redis = options.redis ?? null;
  const prefix = config.redisKeyPrefix;
  // Every transport's front door: who is calling, how often, what it may run.
  const access = new Access(options.dataSource, config, redis ? redisRateLimit(redis, prefix) : memoryRateLimit(), logger);
  const sessions = new SocketSessions(options.dataSource, config, logger);
  let stopping = false;

  articleParser.configure({ timeoutMs: config.ingestParseTimeoutMs });
  const events = options.events ?? EventBus.inProcess();
  events.reportErrorsTo((err) => logger.warn({ err }, "live-update event not delivered"));
  metrics.registry.registerMetric(events.dropped);
  // A client app disabled or rotated through any replica (or the CLI, with Redis) closes its sockets here.
  const appChanges = follow(events.pubSub.subscribe(TOPICS.clientAppChanged), (event) =>
    sessions.recheck(event.clientAppId).catch((err) => logger.warn({ err }, "re-checking socket keys failed")),
  );
  const schema = await getSchema(events.pubSub);
  const responseCache =
    config.responseCacheSize > 0
      ? new ResponseCache(
          redis ? new RedisResponseStore(redis, prefix) : new InProcessResponseStore(config.responseCacheSize, config.responseCacheBytes),
          metrics.registry,
          logger,
        )
      : null;
  // Resolvers announce events through this, and invalidate cached responses before answering.
  const publisher: Publisher = {
    publish: (routingKey, ...args) => (events.pubSub as Publisher).publish(routingKey, ...args),
    invalidate: async (tags) => responseCache?.invalidate(tags),
  };
  const outsideWrites = responseCache ? invalidateOnEvents(events, (tags) => responseCache.invalidate(tags)) : null;

  // The schema, run through plans compiled once per document, or rendered in SQL.
  const execute = compiledExecutor(
    schema,
    config.renderInSql
      ? sqlRenderer(schema, (err, operationName) =>
          logger.warn({ err, operationName }, "a query's SQL rendering failed its first run; the resolvers answer it from now on"),
        )
      : null,
  );
  const cachePolicies = new CachePolicies({ maxAge: config.cacheMaxAge, allowAnonymousReads: config.allowAnonymousReads });
  const prepared = new PreparedOperations(
    { schema, access, execute, policies: cachePolicies, responseCache, maxDocuments: PREPARED_DOCUMENTS, maxChars: PREPARED_CHARS },
    metrics.registry,
  );
  const apollo = new ApolloServer<RequestContext>({
    gateway: gatewayOf(schema, execute),
    // Apollo would read NODE_ENV itself; Newsgate's settings come from config only.
    nodeEnv: config.env,
    // Stack traces stay in our logs, never in responses.
    includeStacktraceInErrorResponses: false,
    // "Did you mean …?" would describe the schema to callers who may not introspect it.
    hideSchemaDetailsFromClientErrors: config.env === "production",
    // Token and validation-error limits, introspection (decided per caller), fragment expansion.
    ...access.apolloOptions(),
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // Replicas share registered queries, or a client's hash would be unknown on the next replica.
    ...(redis
      ? {
          persistedQueries: {
            cache: new RedisKeyValueCache(redis, prefix, (err) => logger.warn({ err }, "persisted query store unavailable")),
            ttl: 24 * 60 * 60,
          },
        }
      : {}),
    formatError: (formatted, error) => hideInternalErrors(formatted, error, logger),
    plugins: [
      // Past half the shutdown timeout, connections still open are cut so the process can exit in time.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: Math.floor(config.shutdownTimeoutMs / 2) }),
      // Apollo Sandbox loads from Apollo's CDN, so it is opt-in; the default playground is ours.
      config.playground === "sandbox"
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
      access.plugin(),
      ...cachePolicies.plugins(),
      ...(responseCache ? [responseCache.plugin()] : []),
      prepared.plugin(),
      reportPlugin(options.onRequest),
    ],
  });
  await apollo.start();
  const subscriptions = attachSubscriptions({
    httpServer,
    schema,
    dataSource: options.dataSource,
    // Mutations sent over a WebSocket invalidate cached answers like those over HTTP.
    events: publisher,
    access,
    sessions,
    production: config.env === "production",
    trustProxyHops: config.trustProxyHops,
    logger,
    loaders: options.loaders,
  });

  // Every replica runs a poller; feed leases in the database keep them off each other's feeds.
  const feedPoller = config.feeds.polling
    ? new FeedPoller({
        dataSource: options.dataSource,
        settings: config.feeds,
        publisher,
        metrics: new FeedMetrics(metrics.registry),
        logger,
      })
    : null;
  feedPoller?.start();

  app.use(healthRouter(options.dataSource, () => stopping));
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  // Browsers on other origins may call the API only from the configured ones.
  const graphqlCors = cors({
    origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false,
    allowedHeaders: ["content-type", "authorization", "x-api-key", "apollo-require-preflight", "x-apollo-operation-name", "x-request-id"],
    exposedHeaders: ["retry-after", "x-request-id"],
    maxAge: 600,
  });
  if (config.playground === "graphiql") app.use("/graphql", graphqlCors);
  if (config.playground === "graphiql") app.use(playgroundRouter());
  if (config.playground === "sandbox") app.get("/playground", (_req, res) => res.redirect(302, "/graphql"));
  // The editors' console: a client of /graphql like any other, so it needs no switch of its own.
  app.use(consoleRouter());

  const graphql = graphqlEndpoint({
    apollo,
    access,
    responseCache,
    prepared,
    bodyLimitBytes: config.bodyLimitBytes,
    trustProxyHops: config.trustProxyHops,
    cors: graphqlCors,
    logger,
    metrics,
    draining: () => stopping,
    // Assigned rather than spread: spreading the context into a new object was a twentieth of `{ __typename }`'s CPU.
    context: (record, admission, answerTexts) =>
      Object.assign(createContext(options.dataSource, record.requestId, options.loaders, admission.caller, publisher, record.sql), {
        startedAt: record.startedAt,
        record,
        admission,
        answerTexts,
      }),
    answered: (record) =>
      options.onRequest?.({
        requestId: record.requestId,
        operationName: record.operationName,
        sqlStatements: record.sql.statements,
        durationMs: performance.now() - record.startedAt,
        errorCodes: [],
      }),
  });
  // /graphql goes to the endpoint, but for a browser asking for the playground page.
  const wantsPlayground = config.playground === "graphiql" ? playgroundRequest : () => false;
  httpServer.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (isGraphqlPath(req.url) && !wantsPlayground(req)) graphql(req, res);
    else {
      if (stopping) res.setHeader("connection", "close");
      app(req, res);
    }
  });

  return {
    app,
    httpServer,
    apollo,
    logger,
    metrics,
    feedPoller,
    async stop({ graceMs = config.shutdownGraceMs } = {}) {
      stopping = true;
      if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
      await feedPoller?.stop();
      sessions.stop();
      await appChanges.return?.();
      await subscriptions.close();
      // Apollo's drain plugin closes the listener and idle connections, then waits for in-flight requests.
      await apollo.stop();
      await outsideWrites?.close();
    },
  };
}

function follow<T>(iterator: AsyncIterableIterator<T>, handle: (event: T) => Promise<void>): AsyncIterableIterator<T> {
  void (async () => {
    for await (const event of iterator) await handle(event);
  })();
  return iterator;
}

function reportPlugin(onRequest?: (report: RequestReport) => void): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operationName, response }) {
          const errors = response.body.kind === "single" ? (response.body.singleResult.errors ?? []) : [];
          const errorCodes = errors.map((error) => String(error.extensions?.code ?? ErrorCode.InternalServerError));
          contextValue.record.operationName = operationName ?? null;
          contextValue.record.errorCodes = errorCodes;
          onRequest?.({
            requestId: contextValue.requestId,
            operationName: operationName ?? null,
            sqlStatements: contextValue.sql.statements,
            durationMs: performance.now() - contextValue.startedAt,
            errorCodes,
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
function hideInternalErrors(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code && code !== ErrorCode.InternalServerError) return formatted;
  // Apollo refuses some malformed requests with an HTTP 4xx but no code (e.g. a persisted
  // query whose hash does not match its text): the client's mistake, so it keeps its message.
  const status = (error as { extensions?: { http?: { status?: unknown } } }).extensions?.http?.status;
  if (error instanceof GraphQLError && !error.originalError && typeof status === "number" && status >= 400 && status < 500) {
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BadRequest } };
  }
  const original = (error as { originalError?: unknown }).originalError ?? error;
  logger.error({ err: original instanceof Error ? original : new Error(String(original)), path: formatted.path }, "internal error");
  return {
    message: "Internal server error",
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.InternalServerError },
  };
}
