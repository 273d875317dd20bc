import { Field, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

import { Node } from "../node/node.type";

@Entity("bullets")
@Index("idx_bullets_story_position", ["storyId", "position"], { unique: true })
@ObjectType({ implements: Node, description: "One bullet point (or paragraph) of a story's body, in order." })
export class Bullet extends Node {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ name: "story_id", type: "integer" })
  storyId!: number;

  @Field(() => Int, { description: "Position in the story, starting at 0." })
  @Column({ type: "integer" })
  position!: number;

  @Field(() => String, { description: "The bullet's text, exactly as published." })
  @Column({ type: "text" })
  text!: string;
}
