import { tagsOf, type WriteEffects } from "../http/cache-tags";
import { type Publisher } from "./announce";
import { type QuotesEvent, type StoryEvent, TOPICS } from "./event-bus";

/** A story a write published or changed, described from inside its transaction. */
export interface StoryChange {
  kind: "published" | "updated";
  event: StoryEvent;
  /** Quotes stored with a newly published story; announced as one event, not one per quote. */
  quotes?: QuotesEvent | null;
}

/**
 * Everything a write changed, as its service returns it from inside the transaction: what
 * cached responses it made stale (`WriteEffects`) and which stories to announce.
 */
export interface Effects extends WriteEffects {
  stories?: StoryChange[];
}

/** A service's answer: the value a resolver returns, and the effects to act on after commit. */
export interface Written<T> {
  result: T;
  effects: Effects;
}

/**
 * The one post-commit step of every write (API mutations, the CLI, any new writer): drop the
 * cached responses it made stale, then announce its stories to subscribers. Call it after the
 * transaction committed, with what the service returned. It never throws for an announcement:
 * the write has happened, and a subscriber's trouble is not the writer's.
 */
export async function afterCommit(publisher: Publisher, effects: Effects): Promise<void> {
  await publisher.invalidate?.(tagsOf(effects));
  for (const change of effects.stories ?? []) {
    announce(publisher, change.kind === "published" ? TOPICS.storyPublished : TOPICS.storyUpdated, change.event);
    if (change.quotes && change.quotes.quotes > 0) announce(publisher, TOPICS.quoteAdded, change.quotes);
  }
}

function announce(publisher: Publisher, topic: string, payload: unknown): void {
  try {
    publisher.publish(topic, payload);
  } catch {
    // The event bus counts and logs its own failures; a publisher that throws anyway must not
    // turn a committed write into an error.
  }
}
