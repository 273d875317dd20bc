import { Field, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

import { Node } from "../node/node.type";

@Entity("publications")
@ObjectType({ implements: Node, description: 'A publication edition, e.g. "The Guardian - AU": a brand plus an edition.' })
export class Publication extends Node {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Field(() => String, { description: 'URL-safe unique key, e.g. "the-guardian-au".' })
  @Column({ type: "varchar", length: 200, unique: true })
  slug!: string;

  @Field(() => String, { description: 'Display name as readers see it, e.g. "The Guardian - AU".' })
  @Column({ type: "varchar", length: 300 })
  name!: string;

  @Field(() => String, { description: 'The brand without edition, e.g. "The Guardian".' })
  @Column({ type: "varchar", length: 300 })
  brand!: string;

  @Field(() => String, { nullable: true, description: 'The edition, e.g. "AU"; null for single-edition brands.' })
  @Column({ type: "varchar", length: 100, nullable: true })
  edition!: string | null;

  @Field(() => String, { nullable: true, description: "The publication's homepage." })
  @Column({ name: "homepage_url", type: "varchar", length: 2000, nullable: true })
  homepageUrl!: string | null;
}
