import { GraphQLError } from "graphql";

/** The stable `extensions.code` values clients can branch on. */
export enum ErrorCode {
  BadUserInput = "BAD_USER_INPUT",
  NotFound = "NOT_FOUND",
  Unauthenticated = "UNAUTHENTICATED",
  Forbidden = "FORBIDDEN",
  Conflict = "CONFLICT",
  /** Too many requests for the caller's rate limit; retry after the `Retry-After` header. */
  RateLimited = "RATE_LIMITED",
  /** The document broke a rule or a limit (depth, aliases, directives, cost); Apollo's own code. */
  ValidationFailed = "GRAPHQL_VALIDATION_FAILED",
  /** The document does not parse, or has more tokens than allowed; Apollo's own code. */
  ParseFailed = "GRAPHQL_PARSE_FAILED",
  /** The request could not be read as GraphQL over HTTP (malformed JSON, wrong content type). */
  BadRequest = "BAD_REQUEST",
  /** The request body is over the configured size limit. */
  PayloadTooLarge = "PAYLOAD_TOO_LARGE",
  InternalServerError = "INTERNAL_SERVER_ERROR",
}

abstract class CodedError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

/** The request asked for something malformed: a bad id, cursor, page size or filter value. */
export class BadInputError extends CodedError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, ErrorCode.BadUserInput, extensions);
  }
}

/** A write named something that does not exist. Reads answer `null` instead. */
export class NotFoundError extends CodedError {
  constructor(message: string) {
    super(message, ErrorCode.NotFound);
  }
}

/**
 * `extensions.http` sets the response's status and headers (Apollo Server reads it and
 * removes it from the error clients see), so these errors answer 401, 403, 429, …
 * whether they are thrown before, during or after execution.
 */
function http(status: number, headers: Record<string, string> = {}) {
  // A plain Map with lower-case names is what Apollo accepts here (its HeaderMap is one).
  return { http: { status, headers: new Map(Object.entries(headers)) } };
}

/** No key, or a key that is wrong, revoked or of a disabled client app, where one is needed. HTTP 401. */
export class UnauthenticatedError extends CodedError {
  constructor(message: string) {
    super(message, ErrorCode.Unauthenticated, http(401, { "www-authenticate": 'Bearer realm="newsgate"' }));
  }
}

/** A valid key whose role is too low for what was asked. HTTP 403. */
export class ForbiddenError extends CodedError {
  constructor(message: string) {
    super(message, ErrorCode.Forbidden, http(403));
  }
}

/** A write that clashes with what exists, e.g. a second client app with the same name. */
export class ConflictError extends CodedError {
  constructor(message: string) {
    super(message, ErrorCode.Conflict);
  }
}

/** The caller spent its rate limit. HTTP 429 with `Retry-After` in whole seconds. */
export class RateLimitedError extends CodedError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, ErrorCode.RateLimited, { retryAfter: retryAfterSeconds, ...http(429, { "retry-after": String(retryAfterSeconds) }) });
  }
}

/** The document is over one of the request limits. HTTP 400, like any invalid document. */
export class LimitExceededError extends CodedError {
  constructor(message: string, limit: string, extensions: Record<string, unknown> = {}) {
    super(message, ErrorCode.ValidationFailed, { limit, ...extensions, ...http(400) });
  }
}

/** A request (an HTTP body, an operation sent over a socket) over the configured size limit. HTTP 413. */
export class PayloadTooLargeError extends CodedError {
  constructor(message: string) {
    super(message, ErrorCode.PayloadTooLarge, http(413));
  }
}

/** A document that does not parse, or has more tokens than allowed; Apollo's own code and HTTP 400. */
export class ParseFailedError extends GraphQLError {
  constructor(syntaxError: GraphQLError) {
    super(syntaxError.message, {
      source: syntaxError.source,
      positions: syntaxError.positions,
      extensions: { code: ErrorCode.ParseFailed, ...http(400) },
    });
  }
}

/** A socket asked for more subscriptions than one connection or one client app may hold open. */
export class TooManySubscriptionsError extends CodedError {
  constructor(message: string, limit: "subscriptions per connection" | "subscriptions per client app") {
    super(message, ErrorCode.RateLimited, { limit });
  }
}
