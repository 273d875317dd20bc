import "reflect-metadata";

import { type GraphQLSchema, lexicographicSortSchema, printSchema, specifiedDirectives } from "graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import { buildSchema, getMetadataStorage, type PubSub } from "type-graphql";

import { BulletResolver } from "./bullet/bullet.resolver";
import { authChecker } from "./access/auth-checker";
import { ClientAppResolver } from "./access/client-app.resolver";
import { CacheControlDirective } from "./http/cache-control";
import { CorrectionResolver } from "./correction/correction.resolver";
import { EventsResolver, QuotesAddedResolver } from "./events/events.resolver";
import { FeedResolver } from "./feed/feed.resolver";
import { NodeResolver } from "./node/node.resolver";
import { PublicationResolver } from "./publication/publication.resolver";
import { SearchResolver } from "./search/search.resolver";
import { QuoteResolver } from "./quote/quote.resolver";
import { StoryRelationResolver } from "./relation/relation.resolver";
import { SpeakerResolver } from "./speaker/speaker.resolver";
import { IngestResolver } from "./story/ingest.resolver";
import { StoryResolver } from "./story/story.resolver";

export const resolvers = [
  NodeResolver,
  PublicationResolver,
  StoryResolver,
  StoryRelationResolver,
  BulletResolver,
  SpeakerResolver,
  QuoteResolver,
  IngestResolver,
  CorrectionResolver,
  SearchResolver,
  EventsResolver,
  QuotesAddedResolver,
  ClientAppResolver,
  FeedResolver,
] as const;

const built = new WeakMap<PubSub, Promise<GraphQLSchema>>();
const quiet = createPubSub();

/**
 * The schema is built once per event bus (subscriptions are wired to it when it is built);
 * in a server process there is one. Without a bus (schema:emit, tests of the SDL), a private
 * in-memory one.
 */
export function getSchema(pubSub: PubSub = quiet): Promise<GraphQLSchema> {
  let schema = built.get(pubSub);
  if (!schema) {
    readPlainFieldsDirectly();
    schema = buildSchema({
      resolvers: [...resolvers],
      validate: false,
      authChecker,
      pubSub,
      directives: [...specifiedDirectives, CacheControlDirective],
    });
    built.set(pubSub, schema);
  }
  return schema;
}

/**
 * A plain field (a property, no @FieldResolver) is read by GraphQL's default resolver.
 * type-graphql would otherwise wrap each one in a resolver of its own (an object and a
 * middleware pass per field per row), which also keeps graphql-jit from inlining the read:
 * about 6% of a story page's CPU. type-graphql skips @Authorized and middleware on a field
 * read directly, so a plain field that has either keeps its wrapper. A field read directly must
 * hold its value, not a promise (graphql-jit inlines the read): lazy fields say `simple: false`.
 */
export function readPlainFieldsDirectly(): void {
  const storage = getMetadataStorage();
  const guarded = [...storage.authorizedFields, ...storage.middlewares];
  for (const field of storage.fields) {
    if (field.simple !== undefined) continue;
    field.simple = !guarded.some(
      (guard) => guard.fieldName === field.name && (guard.target === field.target || field.target.prototype instanceof guard.target),
    );
  }
}

/** The SDL committed as schema/schema.graphql, sorted so diffs stay readable. */
export async function printSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
