import { Field, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

import { Node } from "../node/node.type";
import { GraphQLDateTime } from "../relay/scalars";

@Entity("quotes")
@Index("idx_quotes_bullet", ["bulletId", "startOffset"])
@Index("idx_quotes_story", ["storyId"])
@Index("idx_quotes_speaker_published", ["speakerId", "publishedAt", "id"])
@Index("idx_quotes_published", ["publishedAt", "id"])
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

  /**
   * A copy of the story's publishedAt: "every quote this person made, newest first" is then
   * one index range per speaker instead of a join and sort over all their stories.
   */
  @Field(() => GraphQLDateTime, { description: "When the story carrying this quote was published." })
  @Column({ name: "published_at", type: Date })
  publishedAt!: Date;
}
