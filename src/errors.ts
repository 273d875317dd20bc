import { GraphQLError } from "graphql";

/** The stable `extensions.code` values clients can branch on. */
export enum ErrorCode {
  BadUserInput = "BAD_USER_INPUT",
  NotFound = "NOT_FOUND",
  Unauthenticated = "UNAUTHENTICATED",
  Forbidden = "FORBIDDEN",
  Conflict = "CONFLICT",
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

export class UnauthenticatedError extends CodedError {
  constructor(message: string) {
    super(message, ErrorCode.Unauthenticated);
  }
}

export class ForbiddenError extends CodedError {
  constructor(message: string) {
    super(message, ErrorCode.Forbidden);
  }
}
