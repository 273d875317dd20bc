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
 * resolver of the schema.
 */
export function cacheControlPlugins(options: { maxAge: number; allowAnonymousReads: boolean }): ApolloServerPlugin[] {
  const policies = new WeakMap<DocumentNode, Map<OperationDefinitionNode, CacheHint>>();
  const policyOf = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): CacheHint => {
    let byOperation = policies.get(document);
    if (!byOperation) policies.set(document, (byOperation = new Map()));
    let policy = byOperation.get(operation);
    if (!policy) {
      policy = operationCachePolicy(schema, document, operation, options.maxAge);
      byOperation.set(operation, policy);
    }
    return policy;
  };
  return [
    ApolloServerPluginCacheControlDisabled(),
    {
      async requestDidStart() {
        return {
          async didResolveOperation({ schema, document, operation, overallCachePolicy }) {
            if (!operation || operation.operation !== "query") {
              overallCachePolicy.restrict({ maxAge: 0 });
              return;
            }
            overallCachePolicy.restrict(policyOf(schema, document, operation));
            // A CDN does not check keys, so when every reader needs one, only the caller's own cache may keep an answer.
            if (!options.allowAnonymousReads) overallCachePolicy.restrict({ scope: "PRIVATE" });
          },
          async willSendResponse({ response, overallCachePolicy }) {
            const policy = overallCachePolicy.policyIfCacheable();
            const clean = response.body.kind === "single" && !response.body.singleResult.errors;
            response.http.headers.set(
              "cache-control",
              policy && clean ? `max-age=${policy.maxAge}, ${policy.scope.toLowerCase()}` : "no-store",
            );
          },
        };
      },
    },
  ];
}
