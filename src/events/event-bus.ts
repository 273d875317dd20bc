import type Redis from "ioredis";
import { Counter } from "prom-client";

/** What subscribers are told. Ids only: each subscriber loads what its selection needs. */
export interface StoryEvent {
  storyId: number;
  publication: string;
  section: string | null;
  topics: string[];
}

/**
 * One event per newly published story with quotes, never one per quote: an article may hold
 * thousands, and a burst that size would flood every subscriber and the Redis channel.
 * `bySpeaker` counts the quotes by speaker slug and `speakerIds` names the speakers quoted
 * (each at most MAX_SPEAKERS_PER_ARTICLE entries), so the speaker filter and other replicas'
 * cache invalidation need no query.
 */
export interface QuotesEvent {
  storyId: number;
  quotes: number;
  bySpeaker: Record<string, number>;
  speakerIds: number[];
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
  [TOPICS.storyPublished]: StoryEvent;
  [TOPICS.storyUpdated]: StoryEvent;
  [TOPICS.quoteAdded]: QuotesEvent;
  [TOPICS.clientAppChanged]: ClientAppEvent;
};

type Topic = keyof Channels;

/**
 * Events a subscriber has not taken yet, past which new ones are dropped (and counted in
 * newsgate_events_dropped_total) instead of queued: a slow or stuck socket costs its own
 * updates, never the process's memory.
 */
export const SUBSCRIBER_QUEUE_LIMIT = 256;

/**
 * Live-update events. In one process they stay in memory; with Redis every replica publishes
 * to and hears from the same channels, so a subscriber on one replica sees an ingest made
 * through another (or through the CLI).
 *
 * Delivery never throws at the publisher: a write that committed has succeeded whatever a
 * subscriber or Redis does. Each subscriber has a bounded queue; what overflows is dropped
 * and counted.
 */
export class EventBus {
  /** Counts events not delivered; the server adds it to its /metrics registry. */
  readonly dropped = new Counter({
    name: "newsgate_events_dropped_total",
    help: "Live-update events not delivered: a subscriber's queue was full, or Redis refused the publish.",
    labelNames: ["topic", "reason"] as const,
    registers: [],
  });
  /** The interface type-graphql's @Subscription and the rest of the server use. */
  readonly pubSub = {
    publish: (topic: string, payload?: unknown): void => this.publish(topic as Topic, payload as Channels[Topic]),
    subscribe: <T extends Topic>(topic: T): AsyncIterableIterator<Channels[T]> => this.subscribe(topic),
  };
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private onError: (error: unknown) => void = () => undefined;

  private constructor(private readonly redis: { publish: Redis; subscribe: Redis } | null) {
    redis?.subscribe.on("message", (channel: string, message: string) => {
      let payload: unknown;
      try {
        payload = JSON.parse(message);
      } catch (error) {
        this.onError(error);
        return;
      }
      this.deliver(channel, payload);
    });
  }

  static inProcess(): EventBus {
    return new EventBus(null);
  }

  /** Two connections: a Redis connection that subscribes cannot publish. */
  static async redis(url: string): Promise<EventBus> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false };
    // Loaded here: a server without Redis does not carry the client's modules.
    const Client = (require("ioredis") as typeof import("ioredis")).default;
    const [publish, subscribe] = [new Client(url, options), new Client(url, options)];
    try {
      await Promise.all([publish.connect(), subscribe.connect()]);
    } catch (error) {
      // Otherwise the connection that failed second keeps retrying and holds the process open.
      publish.disconnect();
      subscribe.disconnect();
      throw error;
    }
    const bus = new EventBus({ publish, subscribe });
    await subscribe.subscribe(...Object.values(TOPICS));
    return bus;
  }

  /** Where failed deliveries are reported (the server's logger); they are counted either way. */
  reportErrorsTo(onError: (error: unknown) => void): void {
    this.onError = onError;
  }

  publish<T extends Topic>(topic: T, payload: Channels[T]): void {
    if (!this.redis) return this.deliver(topic, payload);
    let message: string;
    try {
      message = JSON.stringify(payload);
    } catch (error) {
      this.dropped.inc({ topic, reason: "publish" });
      return this.onError(error);
    }
    this.redis.publish.publish(topic, message).catch((error: unknown) => {
      this.dropped.inc({ topic, reason: "publish" });
      this.onError(error);
    });
  }

  subscribe<T extends Topic>(topic: T): AsyncIterableIterator<Channels[T]> {
    let listeners = this.listeners.get(topic);
    if (!listeners) this.listeners.set(topic, (listeners = new Set()));
    const subscribed = listeners;
    const queue = new BoundedQueue<Channels[T]>(
      SUBSCRIBER_QUEUE_LIMIT,
      () => this.dropped.inc({ topic, reason: "queue_full" }),
      () => subscribed.delete(push),
    );
    const push = (payload: unknown) => queue.push(payload as Channels[T]);
    subscribed.add(push);
    return queue;
  }

  /** Subscriptions still open (for tests and the shutdown log). */
  get subscriberCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  clientAppChanged(event: ClientAppEvent): void {
    this.publish(TOPICS.clientAppChanged, event);
  }

  async close(): Promise<void> {
    for (const set of this.listeners.values()) set.clear();
    if (!this.redis) return;
    await Promise.all(
      [this.redis.publish, this.redis.subscribe].map((client) =>
        client.quit().then(
          () => undefined,
          () => client.disconnect(),
        ),
      ),
    );
  }

  private deliver(topic: string, payload: unknown): void {
    for (const listener of this.listeners.get(topic) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}

/**
 * An async iterator over pushed values that holds at most `limit` of them: a push beyond it
 * is dropped and reported, never buffered or thrown back at the pusher.
 */
class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private readonly values: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;

  constructor(
    private readonly limit: number,
    private readonly onDrop: () => void,
    private readonly onClose: () => void,
  ) {}

  push(value: T): void {
    if (this.done) return;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = null;
      wake({ value, done: false });
    } else if (this.values.length < this.limit) this.values.push(value);
    else this.onDrop();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.values.length > 0) return Promise.resolve({ value: this.values.shift()!, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.values.length = 0;
      this.onClose();
      this.waiting?.({ value: undefined, done: true });
      this.waiting = null;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
