import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub } from "@graphql-yoga/subscription";
import Redis from "ioredis";

/** What subscribers are told. Ids only: each subscriber loads what its selection needs. */
export interface StoryEvent {
  storyId: number;
  publication: string;
  section: string | null;
  topics: string[];
}

export interface QuoteEvent {
  quoteId: number;
  storyId: number;
  speakerId: number | null;
  speakerSlug: string | null;
}

/** A client app was disabled, re-enabled, changed or had its key rotated: open sockets re-check their keys. */
export interface ClientAppEvent {
  clientAppId: number;
}

export const TOPICS = {
  storyPublished: "STORY_PUBLISHED",
  storyUpdated: "STORY_UPDATED",
  quoteAdded: "QUOTE_ADDED",
  clientAppChanged: "CLIENT_APP_CHANGED",
} as const;

type Channels = {
  [TOPICS.storyPublished]: [StoryEvent];
  [TOPICS.storyUpdated]: [StoryEvent];
  [TOPICS.quoteAdded]: [QuoteEvent];
  [TOPICS.clientAppChanged]: [ClientAppEvent];
};

/**
 * Live-update events. In one process they stay in memory; with Redis every replica publishes
 * to and hears from the same channels, so a subscriber on one replica sees an ingest made
 * through another (or through the CLI).
 */
export class EventBus {
  readonly pubSub;

  private constructor(private readonly clients: Redis[]) {
    this.pubSub = createPubSub<Channels>(
      clients.length === 2
        ? { eventTarget: createRedisEventTarget({ publishClient: clients[0], subscribeClient: clients[1] }) }
        : undefined,
    );
  }

  static inProcess(): EventBus {
    return new EventBus([]);
  }

  /** Two connections: a Redis connection that subscribes cannot publish. */
  static async redis(url: string): Promise<EventBus> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false };
    const clients = [new Redis(url, options), new Redis(url, options)];
    try {
      await Promise.all(clients.map((client) => client.connect()));
    } catch (error) {
      // Otherwise the connection that failed second keeps retrying and holds the process open.
      for (const client of clients) client.disconnect();
      throw error;
    }
    return new EventBus(clients);
  }

  storyPublished(event: StoryEvent): void {
    this.pubSub.publish(TOPICS.storyPublished, event);
  }

  storyUpdated(event: StoryEvent): void {
    this.pubSub.publish(TOPICS.storyUpdated, event);
  }

  quoteAdded(event: QuoteEvent): void {
    this.pubSub.publish(TOPICS.quoteAdded, event);
  }

  clientAppChanged(event: ClientAppEvent): void {
    this.pubSub.publish(TOPICS.clientAppChanged, event);
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}
