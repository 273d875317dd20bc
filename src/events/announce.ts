import { type DataSource } from "typeorm";

import { type QuoteEvent, type StoryEvent, TOPICS } from "./event-bus";

export interface Publisher {
  publish(routingKey: string, ...args: unknown[]): void;
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
