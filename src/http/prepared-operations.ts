import { type IncomingHttpHeaders } from "node:http";

import { type ApolloServerPlugin } from "@apollo/server";
import { type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { Counter, type Registry } from "prom-client";

import { type Access, type Admission, type GraphQLParams, jsonParam } from "../access/access";
import { type AnswerTexts } from "./answer-texts";
import { cacheable } from "./cache-policy";
import { cacheControlHeader, type CachePolicies } from "./cache-control";
import { type Executor, type ExecutorContext } from "./execution";
import { type Miss, type ResponseCache } from "./response-cache";

/**
 * Queries Apollo Server has parsed, validated and resolved once, kept by their text and
 * operation name, so that the next request for the same query is answered without Apollo's
 * request pipeline: content negotiation, hashing the text, the document store, a dozen plugin
 * hooks and their promises cost more than executing a small query (`{ __typename }` spent
 * most of its time there).
 *
 * Nothing is checked twice or differently: the endpoint admits the request first (key, rate
 * limit, trusted documents), then `answer()` runs the same `Access.check` against the caller's
 * own limits, the same cache policy, the same executor and the same response cache as
 * Apollo's plugins. Whatever would not end in a clean answer (a refusal, bad variables, an
 * error from a resolver) goes back to Apollo, which answers it as it answers any request:
 * queries do not write, so running one again changes nothing. So does any request this path
 * was not built for (persisted-query hashes, an Accept header other than JSON's, a GET
 * outside Apollo's rules for GETs), which keeps what it sends the same as what Apollo would.
 */
export class PreparedOperations {
  /** By text, then operation name (null for none; `""` is a name, which no operation has). Oldest first: Map keeps insertion order. */
  private readonly byText = new Map<string, Map<string | null, Prepared>>();
  private chars = 0;
  private readonly answered: Counter;

  constructor(
    private readonly options: {
      schema: GraphQLSchema;
      access: Access;
      execute: Executor;
      policies: CachePolicies;
      responseCache: ResponseCache | null;
      /** Bounds on what is kept: distinct texts, and their characters in all. */
      maxDocuments: number;
      maxChars: number;
    },
    registry: Registry,
  ) {
    this.answered = new Counter({
      name: "newsgate_graphql_prepared_answers_total",
      help: "GraphQL requests answered through a prepared operation, outside Apollo Server's request pipeline.",
      registers: [registry],
    });
  }

  /**
   * The prepared operation a request names, with its variables, when it is one this path
   * answers exactly as Apollo would (else null): the query's text with no extensions, JSON as
   * the answer's type, and Apollo's CSRF rule met. A POST carries a JSON object, never a
   * simple request. A GET needs Apollo's preflight header, no content type, and each of its
   * parameters once; `search` is its query string.
   */
  find(request: {
    method: string;
    headers: IncomingHttpHeaders;
    params: GraphQLParams;
    search: string;
    admission: Admission;
  }): PreparedRequest | null {
    const { method, headers } = request;
    const accept = headers.accept;
    if (accept !== undefined && accept !== "*/*" && accept !== JSON_TYPE) return null;
    const given = method === "POST" ? postParams(request.params) : method === "GET" ? getParams(headers, request.search) : null;
    if (!given || request.admission.query !== given.query) return null;
    const prepared = this.byText.get(given.query)?.get(given.operationName);
    return prepared ? { prepared, operationName: given.operationName, variables: given.variables } : null;
  }

  /** Whether a shared cache may keep the query's answer (its policy is PUBLIC, for a while). */
  mayBeShared({ prepared }: PreparedRequest): boolean {
    const { schema, policies } = this.options;
    return cacheable(policies.of(schema, prepared.document, prepared.operation))?.scope === "PUBLIC";
  }

  /**
   * Answers a prepared query, or returns null for Apollo to answer it (see the class). `miss`
   * is the response cache's miss for this request, where its answer may be kept.
   */
  async answer(
    { prepared, operationName, variables }: PreparedRequest,
    request: { admission: Admission; context: PreparedContext; miss: Miss | null },
  ): Promise<PreparedAnswer | null> {
    const { schema, access, policies, responseCache } = this.options;
    const { document, operation } = prepared;
    try {
      access.check(request.admission.caller, schema, document, operation, variables);
    } catch {
      return null;
    }
    const policy = cacheable(policies.of(schema, document, operation));
    const pending =
      responseCache && request.miss && policy?.scope === "PUBLIC"
        ? responseCache.pending(request.miss, schema, document, operation, request.context.reads)
        : null;
    const result = await this.options.execute({ document, operationName, variables, context: request.context });
    if (result.errors?.length || !result.data) {
      request.context.reads.observe = null;
      return null;
    }
    const data = result.data as Record<string, unknown>;
    // What Apollo sends: its result serialised with a newline.
    const body = request.context.answerTexts.fill(`${JSON.stringify({ data })}\n`);
    if (pending && policy) await pending.store({ data, body, policy, operationName: prepared.name });
    this.answered.inc();
    return { body, cacheControl: cacheControlHeader(policy), operationName: prepared.name };
  }

  /** Learns each query Apollo resolves (parsed and validated against the schema, whoever asked). */
  plugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ request, document, operation }) => {
          if (operation?.operation === "query" && typeof request.query === "string")
            this.learn(request.query, request.operationName, document, operation);
        },
      }),
    };
  }

  private learn(text: string, operationName: string | undefined, document: DocumentNode, operation: OperationDefinitionNode): void {
    if (text.length > this.options.maxChars) return;
    let byName = this.byText.get(text);
    if (!byName) {
      // First in, first out: no bookkeeping on the hot path, and a query that leaves is
      // learnt again on its next request (through Apollo, as the first time).
      while (this.byText.size >= this.options.maxDocuments || this.chars + text.length > this.options.maxChars) {
        const oldest = this.byText.keys().next();
        if (oldest.done) break;
        this.byText.delete(oldest.value);
        this.chars -= oldest.value.length;
      }
      this.byText.set(text, (byName = new Map()));
      this.chars += text.length;
    }
    byName.set(operationName ?? null, { document, operation, name: operation.name?.value ?? null });
  }
}

const JSON_TYPE = "application/json";

/** What a prepared operation needs of the request's context: what the executor needs, and where held answer texts go. */
export type PreparedContext = ExecutorContext & { answerTexts: AnswerTexts };

type Variables = Record<string, unknown> | undefined;

/** A query as Apollo resolved it: its validated document and the operation the request names. */
interface Prepared {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The operation's own name, which logs and metrics report (null for an anonymous one). */
  name: string | null;
}

/** A request for a prepared query: the query, and what the request gave it. */
export interface PreparedRequest extends Omit<Given, "query"> {
  prepared: Prepared;
}

/** What a request gives a query, checked as Apollo checks it. */
interface Given {
  query: string;
  /** As the request named it (null: it named none). */
  operationName: string | null;
  variables: Variables;
}

export interface PreparedAnswer {
  /** The bytes to send, as Apollo would have sent them. */
  body: Buffer | string;
  cacheControl: string;
  operationName: string | null;
}

/** A POST body's query, when Apollo would take it as this path does: text, no extensions. */
function postParams(params: GraphQLParams): Given | null {
  const { query, operationName, variables } = params;
  if (typeof query !== "string" || params.extensions != null || !isVariables(variables)) return null;
  if (operationName != null && typeof operationName !== "string") return null;
  return { query, operationName: operationName ?? null, variables: (variables ?? undefined) as Variables };
}

/**
 * A GET's query, when Apollo would take it as this path does: its CSRF header, no content
 * type, each parameter at most once (Apollo refuses a repeated one), variables as a JSON
 * object (not even null), and no extensions (which this path leaves to Apollo).
 */
function getParams(headers: IncomingHttpHeaders, search: string): Given | null {
  if (!headers["apollo-require-preflight"] && !headers["x-apollo-operation-name"]) return null;
  if (headers["content-type"] !== undefined) return null;
  const params = new URLSearchParams(search);
  const once = (name: string) => params.getAll(name).length <= 1;
  if (params.has("extensions") || !once("query") || !once("operationName") || !once("variables")) return null;
  const query = params.get("query");
  const text = params.get("variables");
  const variables = text === null ? undefined : jsonParam(text);
  if (query === null || (text !== null && !isRecord(variables))) return null;
  return { query, operationName: params.get("operationName"), variables: variables as Variables };
}

/** Variables as Apollo takes them: none, null, or an object. */
function isVariables(value: unknown): boolean {
  return value == null || isRecord(value);
}

function isRecord(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
