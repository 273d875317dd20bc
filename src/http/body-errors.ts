import { type ErrorRequestHandler } from "express";

import { ErrorCode } from "../errors";
import { recordOf } from "./request-log";

/**
 * Express's body parser fails before Apollo sees the request (malformed JSON, a body over
 * the size limit). Its default answer is an HTML page; GraphQL clients get a GraphQL error
 * response with a code instead. Anything else is not ours to answer here.
 */
export const graphqlBodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = typeof error?.status === "number" ? error.status : 500;
  if (res.headersSent || status >= 500) {
    next(error);
    return;
  }
  const tooLarge = error.type === "entity.too.large";
  const code = tooLarge ? ErrorCode.PayloadTooLarge : ErrorCode.BadRequest;
  recordOf(res).errorCodes = [code];
  const message = tooLarge
    ? `The request body is over the limit of ${error.limit} bytes`
    : error.type === "entity.parse.failed"
      ? "The request body is not valid JSON"
      : `The request body cannot be read (${String(error.message).slice(0, 200)})`;
  res
    .status(status)
    .type("application/json")
    .send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
};
