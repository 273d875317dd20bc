import { type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import {
  DirectiveLocation,
  type DocumentNode,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLInt,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";

import { type CacheHint, operationCachePolicy } from "./cache-policy";

/**
 * Apollo's `@cacheControl` hint, declared so resolvers can put it on fields and types with
 * type-graphql's `@Directive("@cacheControl(maxAge: 0, scope: PRIVATE)")`. Apollo reads it
 * from the schema to compute each response's `Cache-Control` header.
 */
export const CacheControlScope = new GraphQLEnumType({
  name: "CacheControlScope",
  description: "Who may cache a response: any cache (a CDN), or only the caller's own.",
  values: {
    PUBLIC: { description: "Shared caches (CDNs, proxies) may keep it." },
    PRIVATE: { description: "Only the caller's own cache may keep it." },
  },
});

export const CacheControlDirective = new GraphQLDirective({
  name: "cacheControl",
  description: "How long, and by whom, a field's value may be cached; the response takes the strictest hint of its fields.",
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.UNION],
  args: {
    maxAge: { type: GraphQLInt, description: "Seconds the value stays fresh." },
    scope: { type: CacheControlScope, description: "PUBLIC or PRIVATE." },
    inheritMaxAge: { type: GraphQLBoolean, description: "Take the parent field's maxAge." },
  },
});

/**
 * `Cache-Control` on every GraphQL response: published content (everything without a
 * hint) is `public` for `maxAge` seconds, so CDNs and browsers can keep it; a field hinted
 * PRIVATE or maxAge 0 (the caller's own client app, admin data) makes the response private
 * or `no-store`; responses with errors and mutations are never cached. With
 * ALLOW_ANONYMOUS_READS=false every cacheable response is private.
 *
 * The policy comes from the document once (`operationCachePolicy`), not from a hook on every
 * resolved field: Apollo's own plugin is switched off, as its per-field hook would wrap every
 * resolver of the schema. Apollo's requests get it through `plugins()`, prepared operations
 * (src/http/prepared-operations.ts) through `of()` and `cacheControlHeader()`.
 */
export class CachePolicies {
  private readonly policies = new WeakMap<DocumentNode, Map<OperationDefinitionNode, CacheHint>>();

  constructor(private readonly options: { maxAge: number; allowAnonymousReads: boolean }) {}

  /** The operation's whole policy: what its fields allow, and what the server's settings add. */
  of(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): CacheHint {
    let byOperation = this.policies.get(document);
    if (!byOperation) this.policies.set(document, (byOperation = new Map()));
    let policy = byOperation.get(operation);
    if (!policy) {
      policy = operation.operation === "query" ? operationCachePolicy(schema, document, operation, this.options.maxAge) : { maxAge: 0 };
      // A CDN does not check keys, so when every reader needs one, only the caller's own cache may keep an answer.
      if (!this.options.allowAnonymousReads) policy = { ...policy, scope: "PRIVATE" };
      byOperation.set(operation, policy);
    }
    return policy;
  }

  plugins(): ApolloServerPlugin[] {
    return [
      ApolloServerPluginCacheControlDisabled(),
      {
        requestDidStart: async () => ({
          didResolveOperation: async ({ schema, document, operation, overallCachePolicy }) => {
            overallCachePolicy.restrict(operation ? this.of(schema, document, operation) : { maxAge: 0 });
          },
          willSendResponse: async ({ response, overallCachePolicy }) => {
            const clean = response.body.kind === "single" && !response.body.singleResult.errors;
            // An answer with errors is never kept.
            response.http.headers.set("cache-control", cacheControlHeader(clean ? overallCachePolicy.policyIfCacheable() : null));
          },
        }),
      },
    ];
  }
}

/** The `Cache-Control` of an answer under a cacheable `policy`; null: no cache may keep it. */
export function cacheControlHeader(policy: { maxAge: number; scope: string } | null): string {
  return policy ? `max-age=${policy.maxAge}, ${policy.scope.toLowerCase()}` : "no-store";
}
