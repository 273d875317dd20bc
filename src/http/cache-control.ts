import { type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControl } from "@apollo/server/plugin/cacheControl";
import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLEnumType, GraphQLInt } from "graphql";

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
 */
export function cacheControlPlugins(options: { maxAge: number; allowAnonymousReads: boolean }): ApolloServerPlugin[] {
  return [
    ApolloServerPluginCacheControl({ defaultMaxAge: options.maxAge }),
    {
      async requestDidStart() {
        return {
          async didResolveOperation({ operation, overallCachePolicy }) {
            if (operation?.operation !== "query") overallCachePolicy.restrict({ maxAge: 0 });
          },
          async executionDidStart({ overallCachePolicy }) {
            return {
              // After the fields have given their hints (restricting earlier would stop Apollo
              // from collecting them): a CDN does not check keys, so when every reader needs
              // one, only the caller's own cache may keep an answer.
              async executionDidEnd() {
                if (!options.allowAnonymousReads) overallCachePolicy.restrict({ scope: "PRIVATE" });
              },
            };
          },
        };
      },
    },
  ];
}
