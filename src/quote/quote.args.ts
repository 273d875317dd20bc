import { Field, InputType, Int, ObjectType } from "type-graphql";

import { ConnectionType, type Lazy } from "../relay/connection";
import { GraphQLDateTime } from "../relay/scalars";
import { AttributionRule, Quote } from "./quote.entity";

/** Fields QuoteEdge inherits; never returned itself, so it stays out of the schema. */
@ObjectType("QuoteEdgeFields")
class QuoteEdgeFields {
  // `simple: false`: may hold a promise, which a field read directly (readPlainFieldsDirectly) would not await.
  @Field(() => Int, {
    simple: false,
    description:
      "How many reports of this statement there are, this one included, in lists of distinct statements (`Speaker.quotes(distinct: true)`); 1 elsewhere.",
  })
  reportCount!: Lazy<number>;
}

export const QuoteConnection = ConnectionType(
  Quote,
  "Quote",
  "A page of quotes, newest story first unless the field says otherwise.",
  QuoteEdgeFields,
);

@InputType({ description: "Narrows the review queue. All given conditions must hold." })
export class ReviewQueueFilter {
  @Field(() => String, { nullable: true, description: "Only quotes from this publication (its slug or global id)." })
  publication?: string | null;

  @Field(() => String, { nullable: true, description: "Only quotes attributed to this speaker (their slug or global id)." })
  speaker?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: "Only quotes from stories published at or after this time." })
  since?: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: "Only quotes from stories published before this time." })
  until?: Date | null;

  @Field(() => AttributionRule, { nullable: true, description: "Only quotes attributed by this rule." })
  rule?: AttributionRule | null;

  @Field(() => Boolean, { nullable: true, description: "Include quotes an editor already confirmed or corrected (default false)." })
  includeReviewed?: boolean | null;
}

@InputType({ description: "Narrows a list of quotes. All given conditions must hold." })
export class QuotesFilter {
  @Field(() => String, { nullable: true, description: "Only quotes by this speaker: their global id, or their slug." })
  speaker?: string | null;

  @Field(() => String, { nullable: true, description: "Only quotes from this story: its global id, or its slug." })
  story?: string | null;

  @Field(() => String, { nullable: true, description: "Only quotes matching this full-text search; see `search`." })
  search?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: "Only quotes from stories published at or after this time." })
  since?: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: "Only quotes from stories published before this time." })
  until?: Date | null;
}
