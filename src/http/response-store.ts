/**
 * One cached GraphQL response: its body as sent (a string: a hit is written out as is, and a
 * string costs a fraction of the memory of the object graph it encodes) and the cache policy
 * it was computed with.
 */
export interface CachedResponse {
  /** The bytes to send; this process's store keeps them as a Buffer, outside V8's heap. */
  body: string | Buffer;
  policy: { maxAge: number; scope: "PUBLIC" | "PRIVATE" };
  /** Date.now() when stored, for the Age header. */
  storedAt: number;
  /** The operation's name (the request may not have given it), for logs and metrics of hits. */
  operationName?: string | null;
}

/**
 * Where cached responses live: this process's memory, or Redis shared by every replica.
 * Every invalidation advances an epoch; a response is stored only if no invalidation
 * happened since its request looked the key up, so an answer computed from data that a
 * concurrent write just changed is never kept.
 */
export interface ResponseStore {
  /** The fresh entry under `key`, if any, and the current epoch, in one round trip. */
  get(key: string): Promise<{ entry: CachedResponse | null; epoch: string }>;
  /** Stores `entry` under `key` and its tags unless the epoch moved on; true when stored. */
  set(key: string, entry: CachedResponse, tags: readonly string[], ttlMs: number, epoch: string): Promise<boolean>;
  /** Drops every entry carrying one of `tags`; resolves how many were dropped. */
  invalidate(tags: readonly string[]): Promise<number>;
}

interface Slot {
  entry: CachedResponse;
  tags: readonly string[];
  expiresAt: number;
}

/**
 * An LRU of at most `maxEntries` responses and `maxBytes` of response bodies in this process,
 * with a tag → keys index. The byte bound is what keeps memory flat: a thousand front pages
 * of a hundred stories would otherwise be a gigabyte.
 */
export class InProcessResponseStore implements ResponseStore {
  private readonly slots = new Map<string, Slot>();
  private readonly byTag = new Map<string, Set<string>>();
  private epoch = 0;
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bytes of the bodies held. */
  get heldBytes(): number {
    return this.bytes;
  }

  get size(): number {
    return this.slots.size;
  }

  async get(key: string): Promise<{ entry: CachedResponse | null; epoch: string }> {
    const slot = this.slots.get(key);
    if (slot && slot.expiresAt <= this.now()) this.remove(key);
    else if (slot) {
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.slots.delete(key);
      this.slots.set(key, slot);
      return { entry: slot.entry, epoch: String(this.epoch) };
    }
    return { entry: null, epoch: String(this.epoch) };
  }

  async set(key: string, entry: CachedResponse, tags: readonly string[], ttlMs: number, epoch: string): Promise<boolean> {
    if (epoch !== String(this.epoch) || this.maxEntries <= 0) return false;
    // As UTF-8 bytes outside the heap: a large string kept for minutes makes V8 grow its heap
    // (and the process) by a multiple of it, and the budget then counts real bytes.
    const kept = { ...entry, body: typeof entry.body === "string" ? Buffer.from(entry.body) : entry.body };
    if (kept.body.length > this.maxBytes) return false;
    this.remove(key);
    this.slots.set(key, { entry: kept, tags, expiresAt: this.now() + ttlMs });
    this.bytes += kept.body.length;
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    while (this.slots.size > this.maxEntries || this.bytes > this.maxBytes) this.remove(this.slots.keys().next().value!);
    return true;
  }

  async invalidate(tags: readonly string[]): Promise<number> {
    this.epoch++;
    let dropped = 0;
    for (const tag of tags) {
      for (const key of [...(this.byTag.get(tag) ?? [])]) if (this.remove(key)) dropped++;
    }
    return dropped;
  }

  private remove(key: string): boolean {
    const slot = this.slots.get(key);
    if (!slot) return false;
    this.slots.delete(key);
    this.bytes -= slot.entry.body.length;
    for (const tag of slot.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
    return true;
  }
}
