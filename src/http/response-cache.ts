import { createHash } from "node:crypto";

import { type ApolloServerPlugin, type GraphQLResponse, HeaderMap } from "@apollo/server";
import { getNamedType } from "graphql";
import { type Logger } from "pino";
import { Counter, type Registry } from "prom-client";

import { type Caller } from "../access/caller";
import { CORRECTIONS_TAG, LISTS_TAG, speakerTag, storyTag } from "./cache-tags";
import { type ResponseStore } from "./response-store";

interface Row {
  id?: unknown;
  storyId?: unknown;
  speakerId?: unknown;
}

/**
 * The full-response cache. Only query responses whose overall cache policy is PUBLIC with a
 * max-age are kept (the same answer any cache may keep, as Cache-Control says), keyed by
 * the document's hash, the operation name, the variables and the caller's role: a response
 * differs between roles only through @Authorized fields, and anything that depends on the
 * caller itself is PRIVATE. A hit is answered before execution (no resolver, no SQL) with
 * the stored policy, so Cache-Control and the ETag come out as on a miss, plus an Age header.
 *
 * Tags come from the fields as they resolve rather than from the result: the result only has
 * the ids a client selected, while every resolved field sees its parent object. A Story or
 * Speaker tags itself; a Quote or Bullet tags its story and speaker; a connection outside a
 * story or speaker (front page, search, speakers, publication stories) is a list a new story
 * can join; a query root field answered null (a story not ingested yet) is too.
 */
export class ResponseCache {
  private readonly results: Counter<"result">;
  private readonly dropped: Counter;

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

  plugin(): ApolloServerPlugin<{ caller: Caller }> {
    const cache = this;
    return {
      async requestDidStart() {
        let key: string | null = null;
        let epoch = "";
        let hit = false;
        const tags = new Set<string>();
        return {
          async responseForOperation({ operation, queryHash, operationName, request, contextValue, overallCachePolicy }) {
            if (operation?.operation !== "query" || !queryHash) return null;
            key = cacheKey(queryHash, operationName, request.variables, contextValue.caller.role);
            let found;
            try {
              found = await cache.store.get(key);
            } catch (error) {
              cache.logger.warn({ err: error }, "response cache lookup failed");
              key = null;
              return null;
            }
            epoch = found.epoch;
            cache.results.inc({ result: found.entry ? "hit" : "miss" });
            if (!found.entry) return null;
            hit = true;
            overallCachePolicy.replace(found.entry.policy);
            const age = Math.max(0, Math.floor((Date.now() - found.entry.storedAt) / 1000));
            const response: GraphQLResponse = {
              http: { status: undefined, headers: new HeaderMap([["age", String(age)]]) },
              body: { kind: "single", singleResult: { data: found.entry.data } },
            };
            return response;
          },
          async executionDidStart() {
            // Only an answer that may be kept needs to know what it shows.
            if (key === null) return;
            return {
              willResolveField({ source, info }) {
                const row = (source ?? {}) as Row;
                const parent = info.parentType.name;
                if (parent === "Story") addId(tags, storyTag, row.id);
                else if (parent === "Speaker") addId(tags, speakerTag, row.id);
                else if (parent === "Quote" || parent === "Bullet") {
                  addId(tags, storyTag, row.storyId);
                  addId(tags, speakerTag, row.speakerId);
                }
                const returns = getNamedType(info.returnType).name;
                if (returns.startsWith("Correction")) tags.add(CORRECTIONS_TAG);
                else if (returns.endsWith("Connection") && parent !== "Story" && parent !== "Speaker") tags.add(LISTS_TAG);
              },
            };
          },
          async willSendResponse({ response, overallCachePolicy }) {
            if (hit || key === null || response.body.kind !== "single") return;
            const { data, errors } = response.body.singleResult;
            const policy = overallCachePolicy.policyIfCacheable();
            if (errors || !data || !policy || policy.scope !== "PUBLIC" || policy.maxAge <= 0) return;
            if (Object.values(data).some((value) => value === null)) tags.add(LISTS_TAG);
            const entry = { data, policy: { maxAge: policy.maxAge, scope: policy.scope }, storedAt: Date.now() };
            try {
              await cache.store.set(key, entry, [...tags], policy.maxAge * 1000, epoch);
            } catch (error) {
              cache.logger.warn({ err: error }, "response cache write failed");
            }
          },
        };
      },
    };
  }
}

function addId(tags: Set<string>, tag: (id: number | string) => string, id: unknown): void {
  if (typeof id === "number" || typeof id === "string") tags.add(tag(id));
}

function cacheKey(queryHash: string, operationName: string | null, variables: unknown, role: string): string {
  return createHash("sha256")
    .update(JSON.stringify([queryHash, operationName, stableJson(variables ?? {}), role]))
    .digest("hex");
}

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
