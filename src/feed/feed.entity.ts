import { Directive, Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

import { Node } from "../node/node.type";
import { GraphQLDateTime } from "../relay/scalars";

export enum FeedStatus {
  OK = "ok",
  NOT_MODIFIED = "not_modified",
  PARTIAL = "partial",
  FAILED = "failed",
}
registerEnumType(FeedStatus, {
  name: "FeedStatus",
  description: "How a feed's last poll went.",
  valuesConfig: {
    OK: { description: "The feed was read and every new or updated item ingested (or skipped as already ingested)." },
    NOT_MODIFIED: { description: "The publisher answered 304 Not Modified to the conditional request." },
    PARTIAL: { description: "The feed was read but some items could not be ingested; see lastError." },
    FAILED: { description: "The feed could not be fetched or read; see lastError. Polling backs off." },
  },
});

/** A publisher's RSS or Atom feed that Newsgate polls and ingests articles from. */
@Entity("feeds")
// A feed's status changes with every poll, which announces nothing: answers showing one are not cached.
@Directive("@cacheControl(maxAge: 0)")
@ObjectType({ implements: Node, description: "An RSS or Atom feed of a publication, polled for new articles." })
export class Feed extends Node {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ name: "publication_id", type: "integer" })
  publicationId!: number;

  @Field(() => String, { description: "The feed's address." })
  @Column({ type: "varchar", length: 2000, unique: true })
  url!: string;

  @Column({ type: "varchar", length: 500, nullable: true })
  etag!: string | null;

  @Column({ name: "last_modified", type: "varchar", length: 100, nullable: true })
  lastModified!: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: "When the feed was last polled; null until the first poll." })
  @Column({ name: "last_polled_at", type: Date, nullable: true })
  lastPolledAt!: Date | null;

  @Field(() => FeedStatus, { nullable: true, description: "How the last poll went; null until the first poll." })
  @Column({ name: "last_status", type: "varchar", length: 20, nullable: true })
  lastStatus!: FeedStatus | null;

  @Field(() => String, { nullable: true, description: "Why the last poll failed or was partial; null after a clean poll." })
  @Column({ name: "last_error", type: "varchar", length: 1000, nullable: true })
  lastError!: string | null;

  @Field(() => Int, { description: "Articles ingested from this feed so far (new stories and in-place updates)." })
  @Column({ name: "items_ingested", type: "integer", default: 0 })
  itemsIngested!: number;

  @Column({ name: "consecutive_failures", type: "integer", default: 0 })
  consecutiveFailures!: number;

  @Field(() => GraphQLDateTime, { description: "When the feed is due to be polled next (later while backing off)." })
  @Column({ name: "next_poll_at", type: Date })
  nextPollAt!: Date;

  @Column({ name: "lease_owner", type: "varchar", length: 100, nullable: true })
  leaseOwner!: string | null;

  @Column({ name: "lease_expires_at", type: Date, nullable: true })
  leaseExpiresAt!: Date | null;

  @Field(() => GraphQLDateTime, { description: "When the feed was added." })
  @Column({ name: "created_at", type: Date })
  createdAt!: Date;
}

/** An item a feed announced, remembered so later polls skip it unless the feed says it changed. */
@Entity("feed_items")
export class FeedItem {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ name: "feed_id", type: "integer" })
  feedId!: number;

  @Column({ type: "varchar", length: 2000 })
  guid!: string;

  @Column({ type: "varchar", length: 2000 })
  url!: string;

  @Column({ type: "varchar", length: 64 })
  version!: string;

  /** The story it became; null when its page could not be ingested (see `lastError`). */
  @Column({ name: "story_id", type: "integer", nullable: true })
  storyId!: number | null;

  @Column({ name: "last_error", type: "varchar", length: 1000, nullable: true })
  lastError!: string | null;

  @Column({ name: "seen_at", type: Date })
  seenAt!: Date;
}
