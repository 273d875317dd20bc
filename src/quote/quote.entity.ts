import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

import { Node } from "../node/node.type";
import { GraphQLDateTime } from "../relay/scalars";

/** Which rule attributed a quote; `EDITOR` when a person set the speaker. */
export enum AttributionRule {
  TAG_AFTER = "tag-after",
  TAG_BEFORE = "tag-before",
  SENTENCE_SUBJECT = "sentence-subject",
  PRONOUN = "pronoun",
  DESCRIPTION = "description",
  CONTINUATION = "continuation",
  NONE = "none",
  EDITOR = "editor",
}
registerEnumType(AttributionRule, {
  name: "AttributionRule",
  description: "How a quote's speaker was found.",
  valuesConfig: {
    TAG_AFTER: { description: "A speaker tag after the quote: “…,” X said." },
    TAG_BEFORE: { description: "A speaker tag before the quote: X said: “…”, X said that “…”." },
    SENTENCE_SUBJECT: { description: "The subject of the sentence holding the quote, with no speech verb." },
    PRONOUN: { description: "A pronoun (he said, she added) resolved to the person last spoken of." },
    DESCRIPTION: { description: "A description (the minister, the 24-year-old) resolved to a person named earlier." },
    CONTINUATION: { description: "A bare quote continuing the previous speaker." },
    NONE: { description: "No speaker found; the quote has none." },
    EDITOR: { description: "Set by an editor (or curated content); certain." },
  },
});

/** Whether an editor has looked at a quote's attribution. */
export enum QuoteReviewState {
  UNREVIEWED = "unreviewed",
  CONFIRMED = "confirmed",
  CORRECTED = "corrected",
}
registerEnumType(QuoteReviewState, {
  name: "QuoteReviewState",
  description: "Whether an editor has reviewed who said a quote.",
  valuesConfig: {
    UNREVIEWED: { description: "No editor has looked at it; the attribution is the parser's." },
    CONFIRMED: { description: "An editor confirmed the speaker (or that there is none)." },
    CORRECTED: { description: "An editor set a different speaker, a new one, or none." },
  },
});

@Entity("quotes")
@Index("idx_quotes_bullet", ["bulletId", "startOffset"])
@Index("idx_quotes_story", ["storyId"])
@Index("idx_quotes_speaker_published", ["speakerId", "publishedAt", "id"])
@Index("idx_quotes_published", ["publishedAt", "id"])
@Index("idx_quotes_review", ["reviewState", "attributionConfidence", "id"])
@Index("idx_quotes_statement", ["statementId", "publishedAt", "id"])
@ObjectType({ implements: Node, description: "Words someone said, exactly as quoted in a story's bullet." })
export class Quote extends Node {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ name: "story_id", type: "integer" })
  storyId!: number;

  @Column({ name: "bullet_id", type: "integer" })
  bulletId!: number;

  @Column({ name: "speaker_id", type: "integer", nullable: true })
  speakerId!: number | null;

  @Field(() => String, { description: "The quoted words: exactly the text between the quotation marks." })
  @Column({ type: "text" })
  text!: string;

  @Field(() => Int, { description: "Offset in the bullet text of the first quoted character (UTF-16 code units)." })
  @Column({ name: "start_offset", type: "integer" })
  startOffset!: number;

  @Field(() => Int, { description: "Offset in the bullet text just past the last quoted character." })
  @Column({ name: "end_offset", type: "integer" })
  endOffset!: number;

  @Field(() => String, { description: "The sentence around the quote, for showing it in context." })
  @Column({ type: "text" })
  context!: string;

  @Field(() => AttributionRule, { description: "The rule that attributed the quote to its speaker (or found none)." })
  @Column({ name: "attribution_rule", type: "varchar", length: 30, default: AttributionRule.EDITOR })
  attributionRule!: AttributionRule;

  @Field(() => Float, { description: "How sure that rule is, from 0 to 1; 1 for an editor's attribution." })
  @Column({ name: "attribution_confidence", type: "real", default: 1 })
  attributionConfidence!: number;

  /**
   * A copy of the story's publishedAt: "every quote this person made, newest first" is then
   * one index range per speaker instead of a join and sort over all their stories.
   */
  @Field(() => GraphQLDateTime, { description: "When the story carrying this quote was published." })
  @Column({ name: "published_at", type: Date })
  publishedAt!: Date;

  @Field(() => QuoteReviewState, {
    description:
      "UNREVIEWED until an editor acts: CONFIRMED after `confirmQuote`, CORRECTED after `setQuoteSpeaker` or `createSpeakerForQuote`.",
  })
  @Column({ name: "review_state", type: "varchar", length: 20, default: QuoteReviewState.UNREVIEWED })
  reviewState!: QuoteReviewState;

  @Field(() => GraphQLDateTime, { nullable: true, description: "When an editor last reviewed it; null while UNREVIEWED." })
  @Column({ name: "reviewed_at", type: Date, nullable: true })
  reviewedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The client app (editor) that last reviewed it; null while UNREVIEWED." })
  @Column({ name: "reviewed_by", type: "varchar", length: 200, nullable: true })
  reviewedBy!: string | null;

  /**
   * The statement this quote reports: the id of its earliest report, shared by every quote
   * of the same words by the same speaker (see ingestion/statements.ts). Kept by
   * quote/statements.ts after every write that adds quotes or changes their speaker.
   */
  @Column({ name: "statement_id", type: "integer", nullable: true })
  statementId!: number | null;
}
