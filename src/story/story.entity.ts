import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

import { Node } from "../node/node.type";
import { GraphQLDateTime } from "../relay/scalars";

export enum StoryAccess {
  OPEN = "open",
  PREMIUM = "premium",
}
registerEnumType(StoryAccess, {
  name: "StoryAccess",
  description: "Whether a story is free to read or behind the publication's paywall.",
  valuesConfig: {
    OPEN: { description: "Free to read." },
    PREMIUM: { description: "Subscribers only." },
  },
});

@ObjectType({ description: "A story's lead photo." })
export class StoryImage {
  @Field(() => String, { nullable: true, description: "Where the image file lives, when known." })
  url!: string | null;

  @Field(() => String, { nullable: true, description: "The photo caption." })
  caption!: string | null;

  @Field(() => String, { nullable: true, description: 'Photographer and agency, e.g. "Ludovic Marin/AFP/Getty Images".' })
  credit!: string | null;
}

@Entity("stories")
@Index("idx_stories_published", ["publishedAt", "id"])
@ObjectType({ implements: Node, description: "A news story: a briefing, article or analysis from one publication." })
export class Story extends Node {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Field(() => String, { description: "URL-safe unique key." })
  @Column({ type: "varchar", length: 300, unique: true })
  slug!: string;

  @Index("idx_stories_publication")
  @Column({ name: "publication_id", type: "integer" })
  publicationId!: number;

  @Field(() => String, { description: "The headline." })
  @Column({ type: "varchar", length: 1000 })
  headline!: string;

  @Field(() => String, { nullable: true, description: "A one-sentence summary under the headline, when the publication gives one." })
  @Column({ type: "text", nullable: true })
  standfirst!: string | null;

  @Field(() => String, { nullable: true, description: 'The section it ran in, e.g. "World".' })
  @Column({ type: "varchar", length: 200, nullable: true })
  section!: string | null;

  @Field(() => String, { nullable: true, description: 'Who wrote it, e.g. "Guardian staff and agencies".' })
  @Column({ type: "varchar", length: 500, nullable: true })
  byline!: string | null;

  @Field(() => String, { description: 'What kind of story it is: "briefing", "article", "analysis", …' })
  @Column({ type: "varchar", length: 50 })
  kind!: string;

  @Field(() => GraphQLDateTime, { description: "When the publication first published it." })
  @Column({ name: "published_at", type: Date })
  publishedAt!: Date;

  @Field(() => GraphQLDateTime, { description: "When it last changed (in the publication or in Newsgate)." })
  @Column({ name: "updated_at", type: Date })
  updatedAt!: Date;

  @Field(() => String, { nullable: true, description: "The story's address on the publication's site." })
  @Column({ name: "canonical_url", type: "varchar", length: 2000, nullable: true, unique: true })
  canonicalUrl!: string | null;

  @Field(() => StoryAccess, { description: "Free to read or subscribers only." })
  @Column({ type: "varchar", length: 20 })
  access!: StoryAccess;

  @Column({ name: "image_url", type: "varchar", length: 2000, nullable: true })
  imageUrl!: string | null;

  @Column({ name: "image_caption", type: "text", nullable: true })
  imageCaption!: string | null;

  @Column({ name: "image_credit", type: "varchar", length: 500, nullable: true })
  imageCredit!: string | null;
}
