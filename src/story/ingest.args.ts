import { Field, InputType, Int, ObjectType } from "type-graphql";

import { ARTICLE_LIMITS, FIELD_LIMITS } from "../ingestion/limits";
import { GraphQLDateTime } from "../relay/scalars";
import { Story, StoryAccess } from "./story.entity";

@InputType({
  description:
    "An article page, as an aggregator captured it (`text`) or as the publisher published it (`html`): exactly one of the two, with what the page itself does not say.",
})
export class IngestArticleInput {
  @Field(() => String, {
    nullable: true,
    description:
      "The page text: publication line, section, byline, headline, photo caption, bullets or paragraphs. " +
      `Limits: at most ${ARTICLE_LIMITS.maxChars.toLocaleString("en")} characters, ${ARTICLE_LIMITS.maxQuotes.toLocaleString("en")} quotes, ` +
      `${ARTICLE_LIMITS.maxBullets.toLocaleString("en")} bullets and ${ARTICLE_LIMITS.maxSpeakers} speakers, no NUL character; ` +
      `a headline of at most ${FIELD_LIMITS.headline} characters and speaker names and roles of at most ${FIELD_LIMITS.speakerName} ` +
      "(longer ones are refused, not cut). Beyond any limit the page is refused with BAD_USER_INPUT and nothing is stored. " +
      "An HTML page (`html`) is held to the same limits once its article is extracted.",
  })
  text?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The publisher's HTML article page (at most 5 MB). Headline, byline, section, publication (brand and edition), dates, canonical URL and lead image come from its schema.org JSON-LD, Open Graph and <meta> tags, then its markup; the body paragraphs from the article text.",
  })
  html?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Where the HTML page was fetched from: resolves its relative links, and is the story's address when neither canonicalUrl nor the page names one.",
  })
  url?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The publication's slug; by default the page's publication line (or an HTML page's publisher and edition) names it, and is created if new.",
  })
  publication?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The story's address; re-ingesting the same address updates the story. Defaults to an HTML page's canonical URL.",
  })
  canonicalUrl?: string | null;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: "When it was published; defaults to an HTML page's datePublished, else now (or the stored time on re-ingest).",
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
