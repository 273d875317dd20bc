import "reflect-metadata";

import {
  type GraphQLFieldResolver,
  type GraphQLSchema,
  isObjectType,
  lexicographicSortSchema,
  printSchema,
  specifiedDirectives,
} from "graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import { buildSchema, getMetadataStorage, type PubSub } from "type-graphql";

import { BulletResolver } from "./bullet/bullet.resolver";
import { BULLET } from "./bullet/bullet.render";
import { type RenderedType, Renderer } from "./db/render";
import { PUBLICATION } from "./publication/publication.render";
import { QUOTE } from "./quote/quote.render";
import { related } from "./relation/relation.render";
import { SPEAKER, SPEAKER_QUERIES } from "./speaker/speaker.render";
import { STORY, STORY_IMAGE, STORY_QUERIES } from "./story/story.render";
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
    }).then((schema) => {
      callFieldResolversDirectly(schema);
      return schema;
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

/**
 * type-graphql calls each @FieldResolver through a wrapper that, on every call, builds a
 * resolver-data object, asks its container for the resolver instance, runs the (empty)
 * middleware chain and sorts and maps the parameters; a front page makes thousands of these
 * calls. A field resolver that takes only `@Root()` and `@Ctx()`, with no @Authorized and no
 * middleware, is called directly instead. The schema is built without a DI container, so
 * type-graphql too makes one instance per resolver class. A root that is not an instance of
 * its declared type, which type-graphql would convert first, still goes through the wrapper.
 */
export function callFieldResolversDirectly(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const instances = new Map<Function, Record<string, (...args: unknown[]) => unknown>>();
  for (const resolver of storage.fieldResolvers) {
    // `roles` is set (maybe to []) by any @Authorized; middleware lists are set by @UseMiddleware.
    if (resolver.kind !== "external" || resolver.roles !== undefined || resolver.middlewares?.length) continue;
    const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
    const kinds = params.map((param) => (param.kind === "root" || param.kind === "context") && !param.propertyName && param.kind);
    if (kinds.length === 0 || kinds.length > 2 || kinds.includes(false)) continue;
    const objectClass = resolver.getObjectType?.();
    const typeName = storage.objectTypes.find((type) => type.target === objectClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    const field = isObjectType(type) ? type.getFields()[resolver.schemaName] : undefined;
    const wrapped = field?.resolve;
    if (!field || !wrapped) continue;
    type Instance = Record<string, (...args: unknown[]) => unknown>;
    let target = instances.get(resolver.target);
    if (!target) instances.set(resolver.target, (target = new (resolver.target as new () => Instance)()));
    const method = target[resolver.methodName];
    const self = target;
    const rootParam = params.find((param) => param.kind === "root");
    const rootType = rootParam?.kind === "root" ? rootParam.getType?.() : undefined;
    const call =
      kinds.length === 1
        ? (root: unknown, context: unknown) => method.call(self, kinds[0] === "root" ? root : context)
        : kinds[0] === "root"
          ? (root: unknown, context: unknown) => method.call(self, root, context)
          : (root: unknown, context: unknown) => method.call(self, context, root);
    const direct: GraphQLFieldResolver<unknown, unknown> = (root, args, context, info) =>
      typeof rootType === "function" && root != null && !(root instanceof rootType)
        ? wrapped(root, args, context, info)
        : call(root, context);
    field.resolve = direct;
  }
}

/** How types render in SQL (db/render.ts), by GraphQL type name; `Query` holds the root fields. */
const RENDERED_TYPES: Record<string, RenderedType> = {
  Query: { fields: { ...STORY_QUERIES, ...SPEAKER_QUERIES } },
  Story: { ...STORY, fields: { ...STORY.fields, related } },
  StoryImage: STORY_IMAGE,
  Publication: PUBLICATION,
  Bullet: BULLET,
  Quote: QUOTE,
  Speaker: SPEAKER,
};

/**
 * "Type.field" of every field under @Authorized or middleware (plain fields, field resolvers
 * and queries), from type-graphql's metadata.
 */
export function guardedFields(): Set<string> {
  const storage = getMetadataStorage();
  const typeName = (target: Function) => storage.objectTypes.find((type) => type.target === target)?.name;
  const guarded = new Set<string>();
  for (const guard of [...storage.authorizedFields, ...storage.middlewares]) guarded.add(`${typeName(guard.target)}.${guard.fieldName}`);
  for (const resolver of [...storage.fieldResolvers, ...storage.queries]) {
    if (resolver.roles === undefined && !resolver.middlewares?.length) continue;
    const type = "getObjectType" in resolver && resolver.getObjectType ? typeName(resolver.getObjectType() as Function) : "Query";
    guarded.add(`${type}.${resolver.schemaName}`);
  }
  return guarded;
}

/**
 * The SQL renderer over `schema`. A field under @Authorized or middleware is never rendered,
 * whatever its type declares: its guard must run, so a query selecting it is resolved.
 */
export function sqlRenderer(
  schema: GraphQLSchema,
  onUnprepared?: (error: unknown, operationName: string | null) => void,
  rendered: Record<string, RenderedType> = RENDERED_TYPES,
): Renderer {
  const guarded = guardedFields();
  const types: Record<string, RenderedType> = {};
  for (const [name, type] of Object.entries(rendered)) {
    const fields = Object.fromEntries(Object.entries(type.fields).filter(([field]) => !guarded.has(`${name}.${field}`)));
    types[name] = { ...type, fields };
  }
  return new Renderer(schema, types, onUnprepared);
}

/** The SDL committed as schema/schema.graphql, sorted so diffs stay readable. */
export async function printSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
