import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

import { GraphQLDateTime } from "../relay/scalars";

/** A role a speaker held, as a story stated it on a date: people change jobs. */
@Entity("speaker_roles")
@Index("idx_speaker_roles_speaker", ["speakerId", "seenAt"])
@ObjectType({ description: "A role a speaker was given in a story, with when that was." })
export class SpeakerRole {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ name: "speaker_id", type: "integer" })
  speakerId!: number;

  @Field(() => String, { description: 'The role as stated, e.g. "finance minister".' })
  @Column({ type: "varchar", length: 300 })
  role!: string;

  @Field(() => GraphQLDateTime, { description: "When it was seen: the publication time of the story that stated it." })
  @Column({ name: "seen_at", type: Date })
  seenAt!: Date;

  @Column({ name: "story_id", type: "integer", nullable: true })
  storyId!: number | null;
}
