import { GraphQLJSON } from "graphql-scalars";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

import { Node } from "../node/node.type";
import { GraphQLDateTime } from "../relay/scalars";

export enum CorrectionKind {
  SET_QUOTE_SPEAKER = "set_quote_speaker",
  CLEAR_QUOTE_SPEAKER = "clear_quote_speaker",
  MERGE_SPEAKERS = "merge_speakers",
  RENAME_SPEAKER = "rename_speaker",
  SET_SPEAKER_ROLE = "set_speaker_role",
  LINK_STORIES = "link_stories",
  UNLINK_STORIES = "unlink_stories",
  CONFIRM_QUOTE = "confirm_quote",
  CREATE_SPEAKER = "create_speaker",
}
registerEnumType(CorrectionKind, {
  name: "CorrectionKind",
  description: "What an editorial correction changed.",
  valuesConfig: {
    SET_QUOTE_SPEAKER: { description: "A quote was given a (different) speaker." },
    CLEAR_QUOTE_SPEAKER: { description: "A quote's speaker was removed." },
    MERGE_SPEAKERS: { description: "Two speakers were found to be one; quotes and aliases moved." },
    RENAME_SPEAKER: { description: "A speaker's canonical name changed." },
    SET_SPEAKER_ROLE: { description: "A speaker's current role was set or cleared." },
    LINK_STORIES: { description: "An editor linked two stories as related." },
    UNLINK_STORIES: { description: "An editor removed a related-story link." },
    CONFIRM_QUOTE: { description: "An editor confirmed a quote's attribution as it stands." },
    CREATE_SPEAKER: { description: "An editor created a speaker from a quote the parser could not attribute." },
  },
});

/** One editorial change, kept forever so a reader can see what Newsgate changed and why. */
@Entity("corrections")
@ObjectType({ implements: Node, description: "An editorial correction: what changed, from what, to what, and when." })
export class Correction extends Node {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Field(() => CorrectionKind, { description: "What kind of change it was." })
  @Column({ type: "varchar", length: 40 })
  kind!: CorrectionKind;

  @Field(() => String, { description: 'The type of the object changed: "Quote", "Speaker" or "Story".' })
  @Column({ name: "target_type", type: "varchar", length: 30 })
  targetType!: string;

  @Column({ name: "target_id", type: "integer" })
  targetId!: number;

  @Field(() => GraphQLJSON, { description: "The changed fields before the correction." })
  @Column({ type: "simple-json" })
  before!: Record<string, unknown>;

  @Field(() => GraphQLJSON, { description: "The changed fields after the correction." })
  @Column({ type: "simple-json" })
  after!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: "Who made it: the client app's name, when known." })
  @Column({ type: "varchar", length: 200, nullable: true })
  actor!: string | null;

  @Field(() => GraphQLDateTime, { description: "When it was made." })
  @Column({ name: "created_at", type: Date })
  createdAt!: Date;
}
