import type http from "node:http";

import { type ExecutionResult, getOperationAST, GraphQLError, type GraphQLFormattedError, type GraphQLSchema, validate } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { type Logger } from "pino";
import { type DataSource } from "typeorm";
import { WebSocketServer } from "ws";

import { type Access, forwardedAddress, persistedHash } from "../access/access";
import { presentedKey } from "../access/caller";
import { closeCodeOf, closeReason, type SocketSession, type SocketSessions } from "../access/socket-sessions";
import { createContext, type LoaderFactory } from "../context";
import { ErrorCode } from "../errors";
import { inputProblem } from "../http/input-rules";
import { type Publisher } from "./announce";

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  dataSource: DataSource;
  events: Publisher;
  access: Access;
  sessions: SocketSessions;
  production: boolean;
  trustProxyHops: number;
  logger: Logger;
  loaders?: LoaderFactory;
}

/**
 * GraphQL over the graphql-ws protocol, on the same port and path as HTTP. A client
 * authenticates with the same API keys, sent in the connection_init payload
 * (`{ "authorization": "Bearer …" }` or `{ "x-api-key": "…" }`) or on the upgrade request; a
 * refused key closes the socket (4401, or 4403 for a disabled app) with the refusal's code in
 * the close reason. Every operation then passes the same admission as an HTTP request
 * (`Access`), after its key is re-checked, and gets a fresh request context.
 */
export function attachSubscriptions(options: SubscriptionServerOptions): { close(): Promise<void> } {
  const { access, sessions, schema } = options;
  // Frames far over the body limit are cut off by ws itself (close 1009) before they are
  // buffered; those just over it get PAYLOAD_TOO_LARGE from the admission like over HTTP.
  const wss = new WebSocketServer({ server: options.httpServer, path: "/graphql", maxPayload: 2 * access.config.bodyLimitBytes });
  const sessionOf = new WeakMap<object, SocketSession>();
  const server = useServer(
    {
      schema,
      isProd: options.production,
      onConnect: async (ctx) => {
        const params = (ctx.connectionParams ?? {}) as Record<string, unknown>;
        const upgrade = ctx.extra.request;
        const headers: Record<string, string | undefined> = {
          authorization: typeof params.authorization === "string" ? params.authorization : upgrade.headers.authorization,
          "x-api-key": typeof params["x-api-key"] === "string" ? params["x-api-key"] : (upgrade.headers["x-api-key"] as string | undefined),
        };
        try {
          const caller = await access.identify(headers);
          const session: SocketSession = {
            caller,
            key: caller.clientApp ? presentedKey(headers) : null,
            address: forwardedAddress(upgrade, options.trustProxyHops),
            subscriptions: new Set(),
            close: (code, reason) => ctx.extra.socket.close(code, reason),
          };
          sessionOf.set(ctx.extra, session);
          sessions.open(session);
          return true;
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          // Closed here with our code and reason; graphql-ws's own 4403 for `false` then finds it closing.
          ctx.extra.socket.close(closeCodeOf(error), closeReason(error));
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const session = sessionOf.get(ctx.extra);
        if (!session) return [new GraphQLError("The connection is not initialised", { extensions: { code: ErrorCode.Unauthenticated } })];
        try {
          const caller = await sessions.current(session);
          const admission = await access.admit({
            caller,
            address: session.address,
            operation: { query: payload.query || undefined, hash: persistedHash(payload.extensions) },
            bytes: Buffer.byteLength(payload.query ?? "") + (payload.variables ? Buffer.byteLength(JSON.stringify(payload.variables)) : 0),
          });
          if (admission.query === undefined) {
            return [new GraphQLError("The operation has no query", { extensions: { code: ErrorCode.BadRequest } })];
          }
          // The same input rules as HTTP's, before anything walks the variables or the document.
          const problem = inputProblem({ query: admission.query, variables: payload.variables });
          if (problem) return [new GraphQLError(problem, { extensions: { code: ErrorCode.BadUserInput } })];
          const document = access.parse(admission.query);
          const invalid = validate(schema, document, undefined, { maxErrors: access.config.limits.maxValidationErrors });
          if (invalid.length > 0) {
            return invalid.map(
              (error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: ErrorCode.ValidationFailed } }),
            );
          }
          const operation = getOperationAST(document, payload.operationName);
          if (!operation) {
            return [new GraphQLError("Unable to identify the operation to run", { extensions: { code: ErrorCode.BadRequest } })];
          }
          access.check(caller, schema, document, operation, payload.variables ?? undefined);
          if (operation.operation === "subscription") sessions.subscriptionStarted(session, id);
          return {
            schema,
            document,
            operationName: payload.operationName,
            variableValues: payload.variables,
            contextValue: createContext(options.dataSource, undefined, options.loaders, caller, options.events),
          };
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          options.logger.error({ err: error }, "internal error admitting a socket operation");
          return [new GraphQLError("Internal server error", { extensions: { code: ErrorCode.InternalServerError } })];
        }
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => forSocket(error, options.logger)),
      onNext: (_ctx, _id, _payload, _args, result: ExecutionResult) =>
        result.errors ? { ...result, errors: result.errors.map((error) => forSocket(error, options.logger)) } : undefined,
      onComplete: (ctx, id) => {
        const session = sessionOf.get(ctx.extra);
        if (session) sessions.subscriptionEnded(session, id);
      },
      onClose: (ctx) => {
        const session = sessionOf.get(ctx.extra);
        if (session) sessions.closed(session);
      },
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

/**
 * Errors as HTTP clients get them: our codes kept, `extensions.http` (status and headers,
 * meaningless on a socket) dropped; graphql-js's own errors (a variable of the wrong type) are
 * BAD_USER_INPUT as Apollo makes them; anything else without a code is hidden behind a
 * generic message with the details in the log.
 */
function forSocket(error: GraphQLError, logger: Logger): GraphQLFormattedError {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  if (extensions.code && extensions.code !== ErrorCode.InternalServerError) return { ...error.toJSON(), extensions };
  if (!extensions.code && !error.originalError) return { ...error.toJSON(), extensions: { ...extensions, code: ErrorCode.BadUserInput } };
  logger.error({ err: error.originalError ?? error, path: error.path }, "internal error");
  return {
    message: "Internal server error",
    locations: error.locations,
    path: error.path,
    extensions: { code: ErrorCode.InternalServerError },
  };
}
