import { type ApolloServerPlugin } from "@apollo/server";
import { type DocumentNode, GraphQLError, type GraphQLSchema, type OperationDefinitionNode, parse } from "graphql";
import { type Logger } from "pino";
import { type DataSource } from "typeorm";

import { type Config } from "../config";
import { ParseFailedError, PayloadTooLargeError, RateLimitedError } from "../errors";
import { type Caller, identifyCaller, type RequestHeaders } from "./caller";
import { checkOperation } from "./operation-limits";
import { type RateLimit } from "./rate-limit";
import { trustedOperation } from "./trusted-documents";

/**
 * The one front door. Every operation, over HTTP or a WebSocket, passes the same steps before
 * anything executes:
 *
 * 1. `admit`: who is calling (API key → client app and role, or anonymous), its rate limit,
 *    the operation's size, and for a trusted-documents app whether the document (or its hash)
 *    is in its manifest. Nothing is parsed yet, so a refusal costs next to nothing, and a
 *    response cache may answer right after it.
 * 2. `parse`: the token limit, counted while parsing.
 * 3. `check`: role (mutations need an editor), the production introspection rule, depth,
 *    aliases, directives and cost, all against the caller's own limits.
 *
 * The HTTP endpoint (src/http/graphql-endpoint.ts) calls `admit`, then Apollo parses and runs
 * `check` in `plugin()`; the WebSocket server calls the three in `onSubscribe`.
 */
export class Access {
  constructor(
    private readonly dataSource: DataSource,
    readonly config: Pick<Config, "env" | "limits" | "allowAnonymousReads" | "anonymousRateLimit" | "bodyLimitBytes">,
    private readonly rateLimit: RateLimit,
    private readonly logger: Logger,
  ) {}

  /** The caller a request's headers name; throws UNAUTHENTICATED (a `KeyRefusedError` for a bad key). */
  identify(headers: RequestHeaders): Promise<Caller> {
    return identifyCaller(this.dataSource, headers, this.config);
  }

  /**
   * Step 1 for one operation. `caller` when the transport has identified it already (a socket
   * re-checks its key itself), else `headers`. `address` keys anonymous rate limits. `bytes`
   * is the operation's size where the transport has not bounded it already.
   */
  async admit(request: {
    headers?: RequestHeaders;
    caller?: Caller;
    address: string | undefined;
    operation: OperationRequest;
    bytes?: number;
    /** Told who is calling as soon as that is known, so a refusal for a later reason is still logged against the caller. */
    identified?: (caller: Caller) => void;
  }): Promise<Admission> {
    const caller = request.caller ?? (await this.identify(request.headers ?? {}));
    request.identified?.(caller);
    await this.spend(caller, request.address);
    if (request.bytes !== undefined && request.bytes > this.config.bodyLimitBytes) {
      throw new PayloadTooLargeError(`The operation is over the limit of ${this.config.bodyLimitBytes} bytes`);
    }
    const { query, hash } = request.operation;
    const app = caller.clientApp;
    return { caller, query: app?.trustedDocumentsOnly ? await trustedOperation(this.dataSource, app, query, hash) : query };
  }

  /** Step 2: parses with the token limit, so a huge document stops early. */
  parse(query: string): DocumentNode {
    try {
      return parse(query, { maxTokens: this.config.limits.maxTokens });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      throw new ParseFailedError(error);
    }
  }

  /** Step 3: throws the refusal when the caller may not run this operation. */
  check(
    caller: Caller,
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | undefined,
  ): void {
    checkOperation(this.config, caller, schema, document, operation, variables);
  }

  /** Rate-limit key: a client app's requests count together on every transport and replica. */
  rateKey(caller: Caller, address: string | undefined): string {
    return caller.clientApp ? `app:${caller.clientApp.id}` : `ip:${address ?? "unknown"}`;
  }

  /**
   * A rate limiter that cannot answer (Redis down) lets the request through: an outage of the
   * shared counters should not become an outage of the API. It is logged.
   */
  private async spend(caller: Caller, address: string | undefined): Promise<void> {
    const perMinute = caller.clientApp ? caller.clientApp.rateLimitPerMinute : this.config.anonymousRateLimit;
    let retryAfter = 0;
    try {
      retryAfter = await this.rateLimit.take(this.rateKey(caller, address), perMinute);
    } catch (error) {
      this.logger.warn({ err: error }, "rate limiter unavailable; request allowed");
    }
    if (retryAfter > 0) {
      const who = caller.clientApp ? `client app "${caller.clientApp.name}"` : "anonymous callers from this address";
      throw new RateLimitedError(`Rate limit reached for ${who}; retry in ${retryAfter} s`, retryAfter);
    }
  }

  /** The settings Apollo needs to apply steps 2 and 3 as a socket does: spread into its constructor. */
  apolloOptions() {
    return {
      // Counted while parsing, so an oversized document stops early with a 400.
      parseOptions: { maxTokens: this.config.limits.maxTokens },
      validationOptions: { maxErrors: this.config.limits.maxValidationErrors },
      // Answered per caller by check(): in production only for callers with a key.
      introspection: true,
      // Apollo's guard against documents whose fragments expand to millions of selections.
      maxRecursiveSelections: true,
    } as const;
  }

  /** Steps 2 and 3 over HTTP: Apollo parses (with `apolloOptions()`), this checks. */
  plugin(): ApolloServerPlugin<{ caller: Caller; admission: Admission }> {
    return {
      requestDidStart: async ({ request, contextValue }) => {
        // A trusted-documents app sent only a hash: run its manifest's text.
        if (!request.query && contextValue.admission.query) request.query = contextValue.admission.query;
        return {
          didResolveOperation: async ({ contextValue: { caller }, document, operation, request: { variables }, schema }) => {
            if (operation) this.check(caller, schema, document, operation, variables);
          },
        };
      },
    };
  }
}

/** What step 1 needs of an operation: its text and, for trusted documents, its hash. */
export interface OperationRequest {
  query?: string;
  hash?: string;
}

export interface Admission {
  caller: Caller;
  /** The document to run: the request's text, or a trusted-documents app's manifest entry for its hash. */
  query: string | undefined;
}

/**
 * A GraphQL request's parameters as sent: a JSON body, or a GET's query string (where
 * `variables` and `extensions` are JSON text). Nothing in it has been checked.
 */
export interface GraphQLParams {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

/** The text and persisted-query hash of a GraphQL request. */
export function operationOf(params: GraphQLParams): OperationRequest {
  return { query: typeof params.query === "string" ? params.query : undefined, hash: persistedHash(jsonParam(params.extensions)) };
}

/** A parameter that may be JSON text (a GET's `variables`, `extensions`) as a value; unreadable text is `undefined`. */
export function jsonParam(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** `extensions.persistedQuery.sha256Hash`, when a request carries one. */
export function persistedHash(extensions: unknown): string | undefined {
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === "string" ? hash : undefined;
}

/**
 * The caller's address as express computes `req.ip` with `trust proxy` set to a hop count:
 * the connection's address, or the entry of X-Forwarded-For that many proxies back. Sockets
 * need it for the same anonymous rate limits as HTTP requests.
 */
export function forwardedAddress(
  request: { socket: { remoteAddress?: string }; headers: Record<string, string | string[] | undefined> },
  trustProxyHops: number,
): string | undefined {
  const header = request.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .reverse();
  const chain = [request.socket.remoteAddress, ...forwarded];
  return chain[Math.min(trustProxyHops, chain.length - 1)];
}
