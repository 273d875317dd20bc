import { type DataSource } from "typeorm";

import { tagsOf, type WriteEffects } from "../http/cache-tags";
import { type QuoteEvent, type StoryEvent, TOPICS } from "./event-bus";

export interface Publisher {
  publish(routingKey: string, ...args: unknown[]): void;
  /**
   * Drops cached responses that show what a write changed; the server's publisher has it,
   * scripts and subscriptions do not. Resolves once the (shared) cache no longer holds them,
   * so the writer's next read, on any replica, sees the change.
   */
  invalidate?(tags: string[]): Promise<void>;
}

/** Tells the response cache what a write made stale. Call after the write committed. */
export async function announceInvalidation(publisher: Publisher, effects: WriteEffects): Promise<void> {
  await publisher.invalidate?.(tagsOf(effects));
}

/**
 * Tells subscribers about a story that was just written (after its transaction committed):
 * a new story and its quotes, or an update.
 */
export async function announceStory(
  dataSource: DataSource,
  publisher: Publisher,
  storyId: number,
  kind: "published" | "updated",
): Promise<void> {
  const event = await storyEvent(dataSource, storyId);
  if (!event) return;
  publisher.publish(kind === "published" ? TOPICS.storyPublished : TOPICS.storyUpdated, event);
  if (kind !== "published") return;
  const quotes: Array<{ id: number; speaker_id: number | null; slug: string | null }> = await dataSource
    .createQueryBuilder()
    .select(["q.id AS id", "q.speaker_id AS speaker_id", "s.slug AS slug"])
    .from("quotes", "q")
    .leftJoin("speakers", "s", "s.id = q.speaker_id")
    .where("q.story_id = :storyId", { storyId })
    .orderBy("q.id")
    .getRawMany();
  for (const quote of quotes) {
    const payload: QuoteEvent = {
      quoteId: Number(quote.id),
      storyId,
      speakerId: quote.speaker_id === null ? null : Number(quote.speaker_id),
      speakerSlug: quote.slug,
    };
    publisher.publish(TOPICS.quoteAdded, payload);
  }
}

async function storyEvent(dataSource: DataSource, storyId: number): Promise<StoryEvent | null> {
  const row = await dataSource
    .createQueryBuilder()
    .select(["s.id AS id", "s.section AS section", "p.slug AS publication"])
    .from("stories", "s")
    .innerJoin("publications", "p", "p.id = s.publication_id")
    .where("s.id = :storyId", { storyId })
    .getRawOne<{ id: number; section: string | null; publication: string }>();
  if (!row) return null;
  const topics: Array<{ topic: string }> = await dataSource
    .createQueryBuilder()
    .select("t.topic", "topic")
    .from("story_topics", "t")
    .where("t.story_id = :storyId", { storyId })
    .getRawMany();
  return { storyId, publication: row.publication, section: row.section, topics: topics.map((t) => t.topic) };
}
