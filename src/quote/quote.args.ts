import { Field, InputType } from "type-graphql";

import { ConnectionType } from "../relay/connection";
import { GraphQLDateTime } from "../relay/scalars";
import { Quote } from "./quote.entity";

export const QuoteConnection = ConnectionType(Quote, "Quote", "A page of quotes, newest story first.");

@InputType({ description: "Narrows a list of quotes. All given conditions must hold." })
export class QuotesFilter {
  @Field(() => String, { nullable: true, description: "Only quotes by this speaker (their slug)." })
  speaker?: string | null;

  @Field(() => String, { nullable: true, description: "Only quotes from this story (its slug)." })
  story?: string | null;

  @Field(() => String, { nullable: true, description: "Only quotes matching this full-text search; see `search`." })
  search?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: "Only quotes from stories published at or after this time." })
  since?: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: "Only quotes from stories published before this time." })
  until?: Date | null;
}
