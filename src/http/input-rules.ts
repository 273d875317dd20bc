import { type RequestHandler } from "express";

import { ErrorCode } from "../errors";
import { recordOf } from "./request-log";

/**
 * How deeply a request's variables may nest (lists in lists, objects in objects). No input
 * type of the schema nests more than a few levels; a variable nested thousands deep only
 * makes the layers that walk it recurse until the stack gives out.
 */
export const MAX_VARIABLE_DEPTH = 32;

/**
 * Why a request's variables or document cannot be run, or null. Checked before anything
 * walks them, on both databases alike:
 * - variables nested deeper than MAX_VARIABLE_DEPTH;
 * - a NUL character in any string, in a variable or a literal of the document
 *   (PostgreSQL cannot store or compare text holding one; no real name, slug or search has one).
 * Walks iteratively, so the walk itself cannot overflow the stack.
 */
export function inputProblem(body: { query?: unknown; variables?: unknown }): string | null {
  if (typeof body.query === "string" && /\\u0000|\\u\{0+\}/i.test(body.query)) return "A string in the document holds a NUL character";
  const stack: Array<[unknown, number]> = [[body.variables, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return "A variable holds a NUL character";
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_VARIABLE_DEPTH) return `Variables nest deeper than ${MAX_VARIABLE_DEPTH} levels`;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return null;
}

/** Refuses, with a 400 and BAD_USER_INPUT, a GraphQL request whose input breaks `inputProblem`. */
export const inputRules: RequestHandler = (req, res, next) => {
  const body = req.method === "GET" ? { query: req.query.query, variables: parseJson(req.query.variables) } : (req.body ?? {});
  const problem = typeof body === "object" ? inputProblem(body as { query?: unknown; variables?: unknown }) : null;
  if (!problem) return next();
  recordOf(res).errorCodes = [ErrorCode.BadUserInput];
  res
    .status(400)
    .type("application/json")
    .send(JSON.stringify({ errors: [{ message: problem, extensions: { code: ErrorCode.BadUserInput } }] }));
};

function parseJson(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
