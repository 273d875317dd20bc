import path from "node:path";

/**
 * Newsgate's settings, read from the environment once at start-up. No other module reads
 * `process.env`: everything else receives a `Config` so tests can build one by hand.
 */
export interface Config {
  readonly env: "development" | "production" | "test";
  readonly port: number;
  readonly host: string;
  /** Path of the embedded SQLite database file (used when `databaseUrl` is not set). */
  readonly databasePath: string;
  /** PostgreSQL connection URL; when set, Newsgate runs on PostgreSQL instead of SQLite. */
  readonly databaseUrl: string | null;
  /** PostgreSQL connection pool size. */
  readonly databasePoolSize: number;
  /** PostgreSQL statement timeout in milliseconds; 0 turns it off. */
  readonly statementTimeoutMs: number;
  /**
   * Redis URL; when set, what replicas must share goes through Redis: live-update events,
   * persisted queries, the response cache and rate-limit buckets.
   */
  readonly redisUrl: string | null;
  /** Prefix of every Redis key Newsgate writes, so deployments (or test runs) can share one Redis. */
  readonly redisKeyPrefix: string;
  /** Responses the in-process response cache keeps (LRU); 0 turns the response cache off (with Redis too). */
  readonly responseCacheSize: number;
  /** Bytes of response bodies the in-process response cache may hold. */
  readonly responseCacheBytes: number;
  /** Log every SQL statement to stderr (for chasing a slow query). */
  readonly logSql: boolean;
  /**
   * Answer queries whose every field has an SQL rendering with one statement that builds the
   * JSON in the database (db/render.ts); off, every query runs through the resolvers.
   */
  readonly renderInSql: boolean;
  /**
   * How far V8 lets the old generation grow past what its last full collection kept, in
   * percent; 0 leaves it to V8, which on a busy server lets it grow up to four times.
   */
  readonly heapGrowthPercent: number;
  /** Load the bundled demo content when the database has no stories. */
  readonly loadDemo: boolean;
  /** Whether callers without an API key may run queries (mutations always need a key). */
  readonly allowAnonymousReads: boolean;
  /** Requests per minute for each anonymous IP address; 0 turns the limit off. */
  readonly anonymousRateLimit: number;
  /** Document limits for callers whose client app does not set its own. */
  readonly limits: Readonly<RequestLimits>;
  /** Subscriptions one WebSocket connection may have open at once. */
  readonly maxSubscriptionsPerConnection: number;
  /** Subscriptions one client app (or one anonymous address) may have open at once on this replica, over all its sockets. */
  readonly maxSubscriptionsPerApp: number;
  /**
   * Seconds between re-checks of the keys of open sockets, so a key disabled or rotated where
   * no event reaches this process (the CLI without Redis) still closes its sockets.
   */
  readonly socketKeyCheckSeconds: number;
  /** What a browser gets at GET /graphql and /playground. */
  readonly playground: "graphiql" | "sandbox" | "off";
  /** Origins allowed to call the API from a browser (CORS); empty allows none. */
  readonly corsOrigins: readonly string[];
  /** Largest request body accepted, in bytes. */
  readonly bodyLimitBytes: number;
  /** pino level of the JSON request log. */
  readonly logLevel: LogLevel;
  /** Seconds clients and CDNs may cache a public query response (Cache-Control max-age); 0 turns caching off. */
  readonly cacheMaxAge: number;
  /**
   * How many proxies in front of Newsgate to trust for the client's address (X-Forwarded-For),
   * which anonymous rate limits go by; 0 uses the connection's own address.
   */
  readonly trustProxyHops: number;
  /** A page still parsing after this many milliseconds is refused (its worker thread is replaced). */
  readonly ingestParseTimeoutMs: number;
  /**
   * On SIGTERM, how long /readyz answers 503 while the server still serves, so load balancers
   * stop sending traffic before the listener closes. 0 closes at once.
   */
  readonly shutdownGraceMs: number;
  /** On SIGTERM, how long in-flight requests get to finish before the process exits anyway. */
  readonly shutdownTimeoutMs: number;
  /** Feed polling: the server's poller, and how every outbound request for feeds behaves. */
  readonly feeds: Readonly<FeedSettings>;
}

export interface FeedSettings {
  /** Whether this process polls feeds; off by default in tests, which start pollers themselves. */
  polling: boolean;
  /** Seconds between two polls of one feed, before jitter (each wait is drawn from ±20% of it). */
  pollIntervalSeconds: number;
  /**
   * Seconds a replica holds a feed while polling it. A replica that dies holding one loses it
   * after this long, and another replica polls the feed.
   */
  leaseSeconds: number;
  /** Whole-request timeout of one outbound fetch (a feed or an item's page), in milliseconds. */
  fetchTimeoutMs: number;
  /** Largest feed or page body read, in bytes (after decompression). */
  maxBytes: number;
  /** Redirects followed per fetch; each hop is checked like the first request. */
  maxRedirects: number;
  /**
   * Hosts (names or addresses, lower case) that may resolve to private, loopback or link-local
   * addresses; every other host must resolve only to public ones.
   */
  allowHosts: readonly string[];
  /** Sent with every outbound request, so publishers can tell who is polling and reach us. */
  userAgent: string;
}

export interface RequestLimits {
  /** Deepest nesting of fields in one operation. */
  maxDepth: number;
  /** Aliased fields in one operation, `__typename` included. */
  maxAliases: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Lexical tokens in one document; checked while parsing, so a huge document is cut short. */
  maxTokens: number;
  /** Estimated cost of one operation: every field counts 1, a field's selection counts `first` times. */
  maxCost: number;
  /** Validation errors reported for one document before validation stops. */
  maxValidationErrors: number;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  override name = "ConfigError";
}

function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === "") return fallback;
  const value = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off"].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be a port number between 0 and 65535, got "${raw}"`);
  }
  return port;
}

function parseCount(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  }
  return value;
}

function parseChoice<T extends string>(name: string, raw: string | undefined, choices: readonly T[], fallback: T): T {
  if (raw === undefined || raw === "") return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${choices.join(", ")}, got "${raw}"`);
  return raw as T;
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

function parseSize(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(raw.trim());
  const bytes = match ? Number(match[1]) * SIZE_UNITS[(match[2] ?? "b").toLowerCase()] : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1024) {
    throw new ConfigError(`${name} must be a size of at least 1kb such as 512kb or 1mb, got "${raw}"`);
  }
  return bytes;
}

function parseHosts(name: string, raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === "") return [];
  return raw.split(",").map((entry) => {
    const host = entry
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, "$1");
    // A host, not a URL: a scheme, port or path would silently never match.
    if (!/^[a-z0-9.-]+$/.test(host) && !/^[0-9a-f:.]+:[0-9a-f:.]*$/.test(host)) {
      throw new ConfigError(
        `${name} must be a comma-separated list of host names or addresses like feeds.example.com, got "${entry.trim()}"`,
      );
    }
    return host;
  });
}

function parseOrigins(name: string, raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === "") return [];
  return raw.split(",").map((entry) => {
    const origin = entry.trim();
    // An origin is scheme://host[:port] exactly as browsers send it; a path or a trailing
    // slash would never match, so it is a mistake worth stopping for.
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin) {
      throw new ConfigError(`${name} must be a comma-separated list of origins like https://app.example.com, got "${origin}"`);
    }
    return origin;
  });
}

/** A connection URL with one of `protocols`; `shape` says what a good one looks like. */
function parseServiceUrl(name: string, raw: string | undefined, protocols: string[], shape: string, needsPath = false): string | null {
  if (raw === undefined || raw.trim() === "") return null;
  let url: URL | undefined;
  try {
    url = new URL(raw.trim());
  } catch {
    url = undefined;
  }
  if (!url || !protocols.includes(url.protocol) || (needsPath && url.pathname.length < 2)) {
    throw new ConfigError(`${name} must be a ${shape} URL, got "${redactUrl(raw)}"`);
  }
  return raw.trim();
}

/** A connection URL fit for logs and error messages: the password never leaves the process. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? "development";
  if (nodeEnv !== "development" && nodeEnv !== "production" && nodeEnv !== "test") {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnv}"`);
  }
  return Object.freeze({
    env: nodeEnv,
    port: parsePort("PORT", env.PORT, 4000),
    host: env.HOST || "0.0.0.0",
    databasePath: path.resolve(env.DATABASE_PATH || "data/newsgate.sqlite"),
    databaseUrl: parseServiceUrl(
      "DATABASE_URL",
      env.DATABASE_URL,
      ["postgres:", "postgresql:"],
      "postgres://user@host:port/database",
      true,
    ),
    databasePoolSize: parseCount("DATABASE_POOL_SIZE", env.DATABASE_POOL_SIZE, 10, 1),
    statementTimeoutMs: parseCount("STATEMENT_TIMEOUT_MS", env.STATEMENT_TIMEOUT_MS, 10_000, 0),
    redisUrl: parseServiceUrl("REDIS_URL", env.REDIS_URL, ["redis:", "rediss:"], "redis://host:port"),
    redisKeyPrefix: env.REDIS_KEY_PREFIX || "newsgate:",
    responseCacheSize: parseCount("RESPONSE_CACHE_SIZE", env.RESPONSE_CACHE_SIZE, 1000, 0),
    responseCacheBytes: parseCount("RESPONSE_CACHE_MB", env.RESPONSE_CACHE_MB, 64, 1) * 1024 * 1024,
    logSql: parseBoolean("LOG_SQL", env.LOG_SQL, false),
    renderInSql: parseBoolean("RENDER_IN_SQL", env.RENDER_IN_SQL, true),
    heapGrowthPercent: parseCount("HEAP_GROWTH_PERCENT", env.HEAP_GROWTH_PERCENT, 100, 0),
    loadDemo: parseBoolean("LOAD_DEMO", env.LOAD_DEMO, true),
    allowAnonymousReads: parseBoolean("ALLOW_ANONYMOUS_READS", env.ALLOW_ANONYMOUS_READS, true),
    anonymousRateLimit: parseCount("ANONYMOUS_RATE_LIMIT", env.ANONYMOUS_RATE_LIMIT, 300, 0),
    limits: Object.freeze({
      maxDepth: parseCount("MAX_DEPTH", env.MAX_DEPTH, 10, 1),
      maxAliases: parseCount("MAX_ALIASES", env.MAX_ALIASES, 15, 0),
      maxDirectives: parseCount("MAX_DIRECTIVES", env.MAX_DIRECTIVES, 20, 0),
      maxTokens: parseCount("MAX_TOKENS", env.MAX_TOKENS, 3000, 100),
      maxCost: parseCount("MAX_COST", env.MAX_COST, 25000, 1),
      maxValidationErrors: parseCount("MAX_VALIDATION_ERRORS", env.MAX_VALIDATION_ERRORS, 5, 1),
    }),
    maxSubscriptionsPerConnection: parseCount("MAX_SUBSCRIPTIONS_PER_CONNECTION", env.MAX_SUBSCRIPTIONS_PER_CONNECTION, 20, 1),
    maxSubscriptionsPerApp: parseCount("MAX_SUBSCRIPTIONS_PER_APP", env.MAX_SUBSCRIPTIONS_PER_APP, 200, 1),
    socketKeyCheckSeconds: parseCount("SOCKET_KEY_CHECK_SECONDS", env.SOCKET_KEY_CHECK_SECONDS, 5, 1),
    playground: parseChoice("PLAYGROUND", env.PLAYGROUND, ["graphiql", "sandbox", "off"] as const, "graphiql"),
    corsOrigins: Object.freeze(parseOrigins("CORS_ORIGINS", env.CORS_ORIGINS)),
    bodyLimitBytes: parseSize("BODY_LIMIT", env.BODY_LIMIT, 1024 * 1024),
    logLevel: parseChoice("LOG_LEVEL", env.LOG_LEVEL, LOG_LEVELS, "info"),
    cacheMaxAge: parseCount("CACHE_MAX_AGE", env.CACHE_MAX_AGE, 60, 0),
    trustProxyHops: parseCount("TRUST_PROXY_HOPS", env.TRUST_PROXY_HOPS, 0, 0),
    ingestParseTimeoutMs: parseCount("INGEST_PARSE_TIMEOUT_MS", env.INGEST_PARSE_TIMEOUT_MS, 10_000, 100),
    shutdownGraceMs: parseCount("SHUTDOWN_GRACE_MS", env.SHUTDOWN_GRACE_MS, nodeEnv === "test" ? 0 : 5_000, 0),
    shutdownTimeoutMs: parseCount("SHUTDOWN_TIMEOUT_MS", env.SHUTDOWN_TIMEOUT_MS, 20_000, 100),
    feeds: Object.freeze({
      polling: parseBoolean("FEED_POLLING", env.FEED_POLLING, nodeEnv !== "test"),
      pollIntervalSeconds: parseCount("FEED_POLL_INTERVAL", env.FEED_POLL_INTERVAL, 300, 1),
      leaseSeconds: parseCount("FEED_LEASE_SECONDS", env.FEED_LEASE_SECONDS, 120, 5),
      fetchTimeoutMs: parseCount("FEED_FETCH_TIMEOUT_MS", env.FEED_FETCH_TIMEOUT_MS, 15_000, 100),
      maxBytes: parseSize("FEED_MAX_BYTES", env.FEED_MAX_BYTES, 5 * 1024 * 1024),
      maxRedirects: parseCount("FEED_MAX_REDIRECTS", env.FEED_MAX_REDIRECTS, 5, 0),
      allowHosts: Object.freeze(parseHosts("FEED_ALLOW_HOSTS", env.FEED_ALLOW_HOSTS)),
      userAgent: env.FEED_USER_AGENT || "Newsgate/0.1 (news feed poller)",
    }),
  });
}
