import { createHash } from "node:crypto";
import { type IncomingHttpHeaders } from "node:http";

import { type ApolloServerPlugin, type GraphQLResponse, HeaderMap } from "@apollo/server";
import { type DocumentNode, getNamedType, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { type Logger } from "pino";
import { Counter, type Registry } from "prom-client";

import { type Admission, type GraphQLParams, jsonParam, persistedHash } from "../access/access";
import { type Caller } from "../access/caller";
import { Bullet } from "../bullet/bullet.entity";
import { type ReadSession } from "../db/reader";
import { Quote } from "../quote/quote.entity";
import { Speaker } from "../speaker/speaker.entity";
import { Story } from "../story/story.entity";
import { type AnswerTexts } from "./answer-texts";
import { cacheControlHeader } from "./cache-control";
import { visitOperationFields } from "./cache-policy";
import { CORRECTIONS_TAG, LISTS_TAG, speakerTag, storyTag } from "./cache-tags";
import { type ResponseStore } from "./response-store";

/**
 * The full-response cache. Only query responses whose cache policy is PUBLIC with a max-age
 * are kept (the same answer any cache may keep, as Cache-Control says), keyed by the
 * document's hash, the operation name the request gave, the variables, the caller's role and
 * its client app (whose own limits admitted the document). A hit is answered through `lookup()`
 * right after admission: the caller is identified and rate-limited (and a trusted-documents
 * app's hash checked) but nothing is parsed, validated or executed. The
 * Apollo plugin stores misses, and answers hits that reach it (GET with a persisted hash only).
 *
 * Tags: a Story or Speaker read while answering tags itself, a Quote or Bullet its story and
 * speaker (the read session reports every entity it hydrates); a connection outside a story or
 * speaker (front page, search, speakers, publication stories) is a list a new story can join,
 * and so is a query root field answered null (a story not ingested yet): both come from the
 * document and the answer, not from a hook on every field.
 */
export class ResponseCache {
  private readonly results: Counter<"result">;
  private readonly dropped: Counter;
  private readonly staticTags = new WeakMap<DocumentNode, Map<OperationDefinitionNode, string[]>>();

  constructor(
    private readonly store: ResponseStore,
    registry: Registry,
    private readonly logger: Logger,
  ) {
    this.results = new Counter({
      name: "newsgate_response_cache_requests_total",
      help: "Query operations looked up in the response cache, by result (hit or miss).",
      labelNames: ["result"] as const,
      registers: [registry],
    });
    this.dropped = new Counter({
      name: "newsgate_response_cache_invalidated_total",
      help: "Cached responses dropped because a write touched what they show.",
      registers: [registry],
    });
  }

  /** Drops every response tagged with one of `tags`; a failure is logged, never thrown at the writer. */
  async invalidate(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    try {
      this.dropped.inc(await this.store.invalidate(tags));
    } catch (error) {
      this.logger.warn({ err: error, tags }, "response cache invalidation failed");
    }
  }

  /**
   * Answers hits before Apollo: called by the GraphQL endpoint right after admission (the
   * caller identified and rate-limited, a trusted-documents app's hash checked), with the
   * admitted operation. A miss says where its answer may be kept (`pending`); null means the
   * request cannot be looked up (no text or hash, a GET without Apollo's CSRF header) or the
   * lookup failed, and the request executes either way.
   */
  async lookup(request: {
    method: string;
    headers: IncomingHttpHeaders;
    params: GraphQLParams;
    admission: Admission;
  }): Promise<{ hit: CachedAnswer } | { miss: Miss } | null> {
    try {
      // Apollo's CSRF rule, which a hit must not skip: a GET needs a header no simple
      // (preflight-free) request can carry. Without one, Apollo answers the refusal.
      const { headers, params, admission } = request;
      if (request.method === "GET" && !headers["apollo-require-preflight"] && !headers["x-apollo-operation-name"]) return null;
      const text = admission.query ?? (typeof params.query === "string" ? params.query : undefined);
      const hash = text !== undefined ? sha256(text) : persistedHash(jsonParam(params.extensions));
      if (!hash) return null;
      const operationName = typeof params.operationName === "string" ? params.operationName : null;
      const key = cacheKey(hash, operationName, jsonParam(params.variables), admission.caller);
      const found = await this.store.get(key);
      if (!found.entry) return { miss: { key, epoch: found.epoch } };
      this.results.inc({ result: "hit" });
      const { entry } = found;
      return {
        hit: {
          body: entry.body,
          cacheControl: cacheControlHeader(entry.policy),
          age: Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000)),
          operationName: entry.operationName ?? operationName,
        },
      };
    } catch (error) {
      this.logger.warn({ err: error }, "response cache lookup failed");
      return null;
    }
  }

  /**
   * Starts keeping the answer to a miss of a document whose policy is PUBLIC: it collects the
   * tags of what the request reads (through `reads.observe`), then stores the answer.
   */
  pending(
    miss: Miss,
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    reads: ReadSession,
  ): PendingAnswer {
    this.results.inc({ result: "miss" });
    const tags = new Set(this.tagsOfDocument(schema, document, operation));
    reads.observe = (entity) => tagEntity(tags, entity);
    return {
      store: async (answer) => {
        reads.observe = null;
        const { policy } = answer;
        if (policy.scope !== "PUBLIC" || policy.maxAge <= 0) return;
        if (Object.values(answer.data).some((value) => value === null)) tags.add(LISTS_TAG);
        const entry = { body: answer.body, policy, storedAt: Date.now(), operationName: answer.operationName };
        try {
          await this.store.set(miss.key, entry, [...tags], policy.maxAge * 1000, miss.epoch);
        } catch (error) {
          this.logger.warn({ err: error }, "response cache write failed");
        }
      },
    };
  }

  plugin(): ApolloServerPlugin<{ caller: Caller; reads: ReadSession; answerTexts?: AnswerTexts }> {
    const cache = this;
    return {
      async requestDidStart() {
        let pending: PendingAnswer | null = null;
        return {
          async responseForOperation({ schema, document, operation, queryHash, request, contextValue, overallCachePolicy }) {
            if (operation?.operation !== "query" || !queryHash) return null;
            // What no cache may keep needs no lookup, and no tags.
            const policy = overallCachePolicy.policyIfCacheable();
            if (!policy || policy.scope !== "PUBLIC") return null;
            const key = cacheKey(queryHash, request.operationName ?? null, request.variables, contextValue.caller);
            let found;
            try {
              found = await cache.store.get(key);
            } catch (error) {
              cache.logger.warn({ err: error }, "response cache lookup failed");
              return null;
            }
            if (!found.entry) {
              pending = cache.pending({ key, epoch: found.epoch }, schema, document, operation, contextValue.reads);
              return null;
            }
            cache.results.inc({ result: "hit" });
            overallCachePolicy.replace(found.entry.policy);
            const age = Math.max(0, Math.floor((Date.now() - found.entry.storedAt) / 1000));
            const response: GraphQLResponse = {
              http: { status: undefined, headers: new HeaderMap([["age", String(age)]]) },
              body: {
                kind: "single",
                singleResult: { data: (JSON.parse(String(found.entry.body)) as { data: Record<string, unknown> }).data },
              },
            };
            return response;
          },
          async willSendResponse({ response, overallCachePolicy, contextValue, operationName }) {
            if (!pending || response.body.kind !== "single") return;
            contextValue.reads.observe = null;
            const { data, errors } = response.body.singleResult;
            const policy = overallCachePolicy.policyIfCacheable();
            if (errors || !data || !policy) return;
            // The same bytes Apollo sends, so ETags match between hits and misses.
            const serialised = `${JSON.stringify({ data })}\n`;
            const body = contextValue.answerTexts?.fill(serialised) ?? serialised;
            await pending.store({ data, body, policy, operationName: operationName ?? null });
          },
        };
      },
    };
  }

  /** The tags a document earns whatever it reads: lists it shows, the corrections log. */
  private tagsOfDocument(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): string[] {
    let byOperation = this.staticTags.get(document);
    if (!byOperation) this.staticTags.set(document, (byOperation = new Map()));
    let tags = byOperation.get(operation);
    if (!tags) {
      const found = new Set<string>();
      visitOperationFields(schema, document, operation, (parent, field) => {
        const returns = getNamedType(field.type).name;
        if (returns.startsWith("Correction")) found.add(CORRECTIONS_TAG);
        else if (returns.endsWith("Connection") && parent.name !== "Story" && parent.name !== "Speaker") found.add(LISTS_TAG);
      });
      tags = [...found];
      byOperation.set(operation, tags);
    }
    return tags;
  }
}

function tagEntity(tags: Set<string>, entity: object): void {
  if (entity instanceof Story) tags.add(storyTag(entity.id));
  else if (entity instanceof Speaker) tags.add(speakerTag(entity.id));
  else if (entity instanceof Quote || entity instanceof Bullet) {
    addId(tags, storyTag, entity.storyId);
    if (entity instanceof Quote) addId(tags, speakerTag, entity.speakerId);
  }
}

function addId(tags: Set<string>, tag: (id: number | string) => string, id: unknown): void {
  if (typeof id === "number" || typeof id === "string") tags.add(tag(id));
}

/** Where a miss's answer may be kept: its key, and the store's epoch when it was looked up. */
export interface Miss {
  key: string;
  epoch: string;
}

/** A miss being answered. */
export interface PendingAnswer {
  /** Keeps the answer if its policy lets any cache keep it; a failure is logged, never thrown. */
  store(answer: {
    data: Record<string, unknown>;
    /** The bytes sent. */
    body: Buffer | string;
    policy: { maxAge: number; scope: "PUBLIC" | "PRIVATE" };
    operationName: string | null;
  }): Promise<void>;
}

/** A hit, as the endpoint sends it. */
export interface CachedAnswer {
  /** The bytes Apollo sent when the answer was computed. */
  body: Buffer | string;
  cacheControl: string;
  /** Seconds since it was stored. */
  age: number;
  operationName: string | null;
}

function cacheKey(queryHash: string, operationName: string | null, variables: unknown, caller: Caller): string {
  return sha256(JSON.stringify([queryHash, operationName, stableJson(variables ?? {}), caller.role, caller.clientApp?.id ?? null]));
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** Variables with object keys sorted, so `{a, b}` and `{b, a}` share an entry. */
function stableJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stableJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, stableJson((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
