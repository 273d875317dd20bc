import { type IncomingMessage, type ServerResponse } from "node:http";

import { type ApolloServer, type BaseContext, HeaderMap, type HTTPGraphQLResponse } from "@apollo/server";
import etag from "etag";
import fresh from "fresh";
import { type Logger } from "pino";

import { type Access, type Admission, forwardedAddress, type GraphQLParams, jsonParam, operationOf } from "../access/access";
import { presentsKey } from "../access/caller";
import { runWithSqlStats } from "../db/sql-stats";
import { ErrorCode } from "../errors";
import { AnswerTexts } from "./answer-texts";
import { inputProblem } from "./input-rules";
import { BodyError, readJsonBody } from "./json-body";
import { type Metrics } from "./metrics";
import { type RequestRecord, startRecord } from "./request-log";
import { type PreparedContext, type PreparedOperations } from "./prepared-operations";
import { type Miss, type ResponseCache } from "./response-cache";

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export interface GraphQLEndpointOptions<TContext extends BaseContext & PreparedContext> {
  apollo: ApolloServer<TContext>;
  access: Access;
  responseCache: ResponseCache | null;
  /** Queries answered without Apollo's pipeline once Apollo has resolved them; null: every request goes through Apollo. */
  prepared: PreparedOperations | null;
  bodyLimitBytes: number;
  trustProxyHops: number;
  /** The CORS rules of /graphql (answers preflight requests itself). */
  cors: Middleware;
  logger: Logger;
  metrics: Metrics;
  /** The request's context, once it is admitted; throwing refuses it (Apollo answers the error). */
  context: (record: RequestRecord, admission: Admission, answerTexts: AnswerTexts) => TContext;
  /** Told of each answer sent without Apollo (a cache hit, a prepared operation); Apollo's plugins report the rest. */
  answered: (record: RequestRecord) => void;
  /** While draining, every answer tells its keep-alive client to reconnect elsewhere. */
  draining: () => boolean;
}

/**
 * /graphql on Node's own request and response, with Apollo Server's integration API
 * (`executeHTTPGraphQLRequest`) doing the GraphQL over HTTP. Express, with its router, its
 * request and response prototypes and its body parser, cost more per request than Apollo
 * itself; it still serves everything else (health, metrics, the playground, the console).
 *
 * Every request, in order: CORS (a preflight ends there); a record (request id, log line,
 * metrics); the body, with its size limit; the input rules; admission (key, rate limit,
 * trusted documents: `Access.admit`, as on a WebSocket); a response-cache hit; a prepared
 * operation's answer; else Apollo, whose plugins parse, check and run it. A GET's answer gets
 * an ETag, and a GET whose If-None-Match matches gets a 304.
 */
export function graphqlEndpoint<TContext extends BaseContext & PreparedContext>(
  options: GraphQLEndpointOptions<TContext>,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { apollo, access, responseCache, prepared } = options;

  async function handle(req: IncomingMessage, res: ServerResponse, record: RequestRecord, search: string): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    let body: unknown;
    try {
      body = method === "POST" ? await readJsonBody(req, options.bodyLimitBytes) : undefined;
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      return refuse(req, res, record, error.status, error.code, error.message);
    }
    const params: GraphQLParams | undefined = method === "GET" ? queryParams(search) : isObject(body) ? body : undefined;
    if (params) {
      const problem = inputProblem({ query: params.query, variables: jsonParam(params.variables) });
      if (problem) return refuse(req, res, record, 400, ErrorCode.BadUserInput, problem);
    }
    // Every statement counts into the request's record: the read path's directly, TypeORM's
    // where it may run (a key's lookup here, the resolvers in the executor).
    const admit = () =>
      access.admit({
        headers: req.headers,
        address: forwardedAddress(req, options.trustProxyHops),
        operation: params ? operationOf(params) : {},
        identified: (caller) => {
          record.clientApp = caller.clientApp?.name ?? null;
          record.role = caller.role;
        },
      });
    const admission = !presentsKey(req.headers) ? admit() : runWithSqlStats(record.sql, admit);
    // A cache hit or a prepared operation's answer: reported here, as Apollo's plugins report theirs.
    const answerWithoutApollo = (answer: { operationName: string | null; cacheControl: string; body: Buffer | string }) => {
      record.operationName = answer.operationName;
      options.answered(record);
      res.setHeader("cache-control", answer.cacheControl);
      res.setHeader("content-type", "application/json; charset=utf-8");
      send(req, res, 200, answer.body);
    };
    // Awaited by the context function; a refusal must not count as unhandled meanwhile.
    admission.catch(() => undefined);
    if (params && (responseCache || prepared)) {
      const admitted = await admission.catch(() => null);
      const operation = admitted && prepared ? prepared.find({ method, headers: req.headers, params, search, admission: admitted }) : null;
      let miss: Miss | null = null;
      // A prepared query no cache may keep needs no lookup (`{ __typename }`, a viewer's own data).
      if (admitted && responseCache && (!operation || prepared?.mayBeShared(operation))) {
        const found = await responseCache.lookup({ method, headers: req.headers, params, admission: admitted });
        if (found && "hit" in found) {
          res.setHeader("age", String(found.hit.age));
          return answerWithoutApollo(found.hit);
        }
        miss = found?.miss ?? null;
      }
      if (admitted && operation && prepared) {
        const context = options.context(record, admitted, new AnswerTexts());
        const answer = await prepared.answer(operation, { admission: admitted, context, miss });
        if (answer) return answerWithoutApollo(answer);
      }
    }
    const answerTexts = new AnswerTexts();
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers: headerMap(req), search, body },
      context: async () => {
        try {
          return options.context(record, await admission, answerTexts);
        } catch (error) {
          // Refused before Apollo's pipeline starts, so no plugin sees it: record the code here.
          record.errorCodes = [String((error as { extensions?: { code?: unknown } }).extensions?.code ?? ErrorCode.InternalServerError)];
          throw error;
        }
      },
    });
    await write(req, res, response, answerTexts);
  }

  return (req, res) => {
    if (options.draining()) res.setHeader("connection", "close");
    // CORS first: it answers preflight requests itself, which are not GraphQL requests to log or count.
    options.cors(req, res, (error) => {
      if (error) return fail(res, error, options.logger);
      const url = req.url ?? "/";
      const query = url.indexOf("?");
      const record = startRecord(req, res, query < 0 ? url : url.slice(0, query), options.logger, options.metrics);
      handle(req, res, record, query < 0 ? "" : url.slice(query)).catch((error: unknown) => fail(res, error, options.logger));
    });
  };
}

async function write(req: IncomingMessage, res: ServerResponse, response: HTTPGraphQLResponse, texts: AnswerTexts): Promise<void> {
  for (const [name, value] of response.headers) res.setHeader(name, value);
  const status = response.status ?? 200;
  if (response.body.kind === "complete") return send(req, res, status, texts.fill(response.body.string));
  res.statusCode = status;
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * Writes a complete answer. A GET or HEAD gets a weak ETag, and a 304 when its If-None-Match
 * holds it already; other methods are never conditional, so their (often large) bodies are
 * not hashed.
 */
function send(req: IncomingMessage, res: ServerResponse, status: number, body: string | Buffer): void {
  // Encoded once: measuring a string's length and then writing it would each walk it.
  const payload = typeof body === "string" ? Buffer.from(body) : body;
  const method = req.method;
  if (method === "GET" || method === "HEAD") {
    const tag = etag(payload, { weak: true });
    res.setHeader("etag", tag);
    const cacheable = (status >= 200 && status < 300) || status === 304;
    if (cacheable && fresh(req.headers, { etag: tag, "last-modified": res.getHeader("last-modified") as string | undefined })) {
      res.removeHeader("content-type");
      res.statusCode = 304;
      res.end();
      return;
    }
  }
  res.statusCode = status;
  res.setHeader("content-length", payload.length);
  if (method === "HEAD") res.end();
  else res.end(payload);
}

/** A request refused before Apollo (its body or input): a GraphQL error response with a code. */
function refuse(req: IncomingMessage, res: ServerResponse, record: RequestRecord, status: number, code: ErrorCode, message: string): void {
  record.errorCodes = [code];
  res.setHeader("content-type", "application/json; charset=utf-8");
  send(req, res, status, JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/** A fault of ours: logged, and the client gets no details. */
function fail(res: ServerResponse, error: unknown, logger: Logger): void {
  logger.error({ err: error instanceof Error ? error : new Error(String(error)) }, "internal error");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = 500;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify({ errors: [{ message: "Internal server error", extensions: { code: ErrorCode.InternalServerError } }] }));
}

function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

function queryParams(search: string): GraphQLParams {
  const params = new URLSearchParams(search);
  const value = (name: string) => params.get(name) ?? undefined;
  return { query: value("query"), variables: value("variables"), operationName: value("operationName"), extensions: value("extensions") };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The paths Express mounted the endpoint on: /graphql and below, in any case. */
export function isGraphqlPath(url: string | undefined): boolean {
  const path = (url ?? "").split("?", 1)[0].toLowerCase();
  return path === "/graphql" || path.startsWith("/graphql/");
}
