import "reflect-metadata";

import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";

import { BulletResolver } from "./bullet/bullet.resolver";
import { authChecker } from "./client/auth-checker";
import { ClientAppResolver } from "./client/client-app.resolver";
import { CorrectionResolver } from "./correction/correction.resolver";
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
  ClientAppResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The schema is the same for every server in a process, so it is built once. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers: [...resolvers], validate: false, authChecker });
  return built;
}

/** The SDL committed as schema/schema.graphql, sorted so diffs stay readable. */
export async function printSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
