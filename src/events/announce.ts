import { type EntityManager } from "typeorm";

import { type StoryEvent } from "./event-bus";

export interface Publisher {
  publish(routingKey: string, ...args: unknown[]): void;
  /**
   * Drops cached responses that show what a write changed; the server's publisher has it,
   * scripts and subscriptions do not. Resolves once the (shared) cache no longer holds them,
   * so the writer's next read, on any replica, sees the change.
   */
  invalidate?(tags: string[]): Promise<void>;
}

/**
 * What subscribers are told about a story, read inside the write's transaction so the event
 * describes exactly what was committed.
 */
export async function readStoryEvent(manager: EntityManager, storyId: number): Promise<StoryEvent | null> {
  const row = await manager
    .createQueryBuilder()
    .select(["s.id AS id", "s.section AS section", "p.slug AS publication"])
    .from("stories", "s")
    .innerJoin("publications", "p", "p.id = s.publication_id")
    .where("s.id = :storyId", { storyId })
    .getRawOne<{ id: number; section: string | null; publication: string }>();
  if (!row) return null;
  const topics: Array<{ topic: string }> = await manager
    .createQueryBuilder()
    .select("t.topic", "topic")
    .from("story_topics", "t")
    .where("t.story_id = :storyId", { storyId })
    .orderBy("t.position")
    .getRawMany();
  return { storyId, publication: row.publication, section: row.section, topics: topics.map((t) => t.topic) };
}
