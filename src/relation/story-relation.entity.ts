import { registerEnumType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export enum RelationReason {
  EDITORIAL = "editorial",
  SHARED_SPEAKER = "shared_speaker",
  SHARED_TOPIC = "shared_topic",
}
registerEnumType(RelationReason, {
  name: "RelationReason",
  description: "Why one story is listed as related to another.",
  valuesConfig: {
    EDITORIAL: { description: "An editor linked them." },
    SHARED_SPEAKER: { description: "Both quote the same speaker." },
    SHARED_TOPIC: { description: "Both carry the same topic." },
  },
});

/** An ordered, typed link from a story to a related one. */
@Entity("story_relations")
@Index("idx_story_relations_pair", ["storyId", "relatedStoryId"], { unique: true })
@Index("idx_story_relations_rank", ["storyId", "rank", "id"])
@Index("idx_story_relations_related", ["relatedStoryId"])
export class StoryRelation {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ name: "story_id", type: "integer" })
  storyId!: number;

  @Column({ name: "related_story_id", type: "integer" })
  relatedStoryId!: number;

  @Column({ type: "varchar", length: 30 })
  reason!: RelationReason;

  /** Lower ranks are shown first. */
  @Column({ type: "integer" })
  rank!: number;
}
