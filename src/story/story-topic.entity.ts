import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** A topic tag on a story; a table of its own so `stories(filter: {topic})` is an index lookup. */
@Entity("story_topics")
@Index("idx_story_topics_topic", ["topic", "storyId"])
export class StoryTopic {
  @PrimaryColumn({ name: "story_id", type: "integer" })
  storyId!: number;

  @PrimaryColumn({ type: "varchar", length: 200 })
  topic!: string;

  @Column({ type: "integer", default: 0 })
  position!: number;
}
