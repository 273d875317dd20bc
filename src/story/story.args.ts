import { Field, InputType } from "type-graphql";

import { ConnectionType } from "../relay/connection";
import { GraphQLDateTime } from "../relay/scalars";
import { Story } from "./story.entity";

export const StoryConnection = ConnectionType(Story, "Story", "A page of stories, newest first.");

@InputType({ description: "Narrows a list of stories. All given conditions must hold." })
export class StoriesFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Only stories from this publication: its global id, or its slug (e.g. "the-guardian-au").',
  })
  publication?: string | null;

  @Field(() => String, { nullable: true, description: 'Only stories in this section, e.g. "World" (case-insensitive).' })
  section?: string | null;

  @Field(() => String, { nullable: true, description: "Only stories tagged with this topic." })
  topic?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Only stories quoting this speaker: their global id (as a response gave it), or their slug.",
  })
  speaker?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Only stories matching this full-text search (headline, standfirst, bullets); see `search`.",
  })
  search?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: "Only stories published at or after this time." })
  since?: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: "Only stories published before this time." })
  until?: Date | null;
}
