import { Field, InputType, Int, ObjectType } from "type-graphql";

import { ARTICLE_LIMITS, FIELD_LIMITS } from "../ingestion/limits";
import { GraphQLDateTime } from "../relay/scalars";
import { Story, StoryAccess } from "./story.entity";

@InputType({ description: "An article page as an aggregator captured it, with what the page itself does not say." })
export class IngestArticleInput {
  @Field(() => String, {
    description:
      "The page text: publication line, section, byline, headline, photo caption, bullets or paragraphs. " +
      `Limits: at most ${ARTICLE_LIMITS.maxChars.toLocaleString("en")} characters, ${ARTICLE_LIMITS.maxQuotes.toLocaleString("en")} quotes, ` +
      `${ARTICLE_LIMITS.maxBullets.toLocaleString("en")} bullets and ${ARTICLE_LIMITS.maxSpeakers} speakers, no NUL character; ` +
      `a headline of at most ${FIELD_LIMITS.headline} characters and speaker names and roles of at most ${FIELD_LIMITS.speakerName} ` +
      "(longer ones are refused, not cut). Beyond any limit the page is refused with BAD_USER_INPUT and nothing is stored.",
  })
  text!: string;

  @Field(() => String, {
    nullable: true,
    description: "The publication's slug; by default the page's publication line names it (and is created if new).",
  })
  publication?: string | null;

  @Field(() => String, { nullable: true, description: "The story's address; re-ingesting the same address updates the story." })
  canonicalUrl?: string | null;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: "When it was published; defaults to now (or the stored time on re-ingest).",
  })
  publishedAt?: Date | null;

  @Field(() => StoryAccess, { nullable: true, description: "Free or subscribers only; defaults to OPEN." })
  access?: StoryAccess | null;
}

@ObjectType({ description: "What an ingest stored." })
export class IngestArticlePayload {
  @Field(() => Story, { description: "The stored story." })
  story!: Story;

  @Field(() => Boolean, { description: "True for a new story, false when an existing one was updated in place." })
  created!: boolean;

  @Field(() => Int, { description: "Bullets (or paragraphs) stored." })
  bullets!: number;

  @Field(() => Int, { description: "Quotes found and stored." })
  quotes!: number;

  @Field(() => Int, { description: "Speakers Newsgate had not seen before." })
  speakersNew!: number;

  @Field(() => Int, { description: "Speakers matched to ones already known (across stories and publications)." })
  speakersMatched!: number;
}
