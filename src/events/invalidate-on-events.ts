import { tagsOf } from "../http/cache-tags";
import { type EventBus, TOPICS } from "./event-bus";

/**
 * Writes made outside this server (`npm run ingest` with REDIS_URL set) cannot reach its
 * response cache, but they announce themselves on the event bus: each replica drops what a
 * published or updated story, or a new story's quotes (one event per story), make stale. Writes through the API invalidate
 * before they answer; hearing their events again costs a redundant, harmless invalidation.
 */
export function invalidateOnEvents(events: EventBus, invalidate: (tags: string[]) => Promise<void>): { close(): Promise<void> } {
  const iterators = [
    follow(events.pubSub.subscribe(TOPICS.storyPublished), (e) => invalidate(tagsOf({ storyIds: [e.storyId], lists: true }))),
    follow(events.pubSub.subscribe(TOPICS.storyUpdated), (e) => invalidate(tagsOf({ storyIds: [e.storyId] }))),
    follow(events.pubSub.subscribe(TOPICS.quoteAdded), (e) => invalidate(tagsOf({ storyIds: [e.storyId], speakerIds: e.speakerIds }))),
  ];
  return {
    async close() {
      await Promise.all(iterators.map((iterator) => iterator.return?.()));
    },
  };
}

function follow<T>(iterator: AsyncIterableIterator<T>, handle: (event: T) => Promise<void>): AsyncIterableIterator<T> {
  void (async () => {
    for await (const event of iterator) await handle(event).catch(() => undefined);
  })();
  return iterator;
}
