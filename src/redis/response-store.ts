import type Redis from "ioredis";

import { type CachedResponse, type ResponseStore } from "../http/response-store";

/**
 * Stores only while the epoch is the one the request saw, then indexes the key under each
 * tag. A tag set lives as long as its longest-lived entry (PTTL is -1 for a new set).
 */
const SET = `
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
local ttl = tonumber(ARGV[3])
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[2])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
`;

/** Advances the epoch, then deletes every key indexed under the tags, and the tag sets. */
const INVALIDATE = `
redis.call('INCR', KEYS[1])
local dropped = 0
for i = 2, #KEYS do
  local keys = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #keys, 500 do
    dropped = dropped + redis.call('DEL', unpack(keys, j, math.min(j + 499, #keys)))
  end
  redis.call('DEL', KEYS[i])
end
return dropped
`;

/**
 * The response cache in Redis, shared by every replica: entries are strings with the
 * response's max-age as TTL, tags are sets of entry keys. Redis's own memory limit
 * (maxmemory with an LRU policy) bounds it, not RESPONSE_CACHE_SIZE. Scripts name entry keys
 * they read from sets, so this expects a single Redis (or a primary with replicas), not a
 * Redis Cluster.
 */
export class RedisResponseStore implements ResponseStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private get epochKey() {
    return `${this.prefix}response:epoch`;
  }

  private entryKey(key: string) {
    return `${this.prefix}response:${key}`;
  }

  private tagKey(tag: string) {
    return `${this.prefix}response-tag:${tag}`;
  }

  async get(key: string): Promise<{ entry: CachedResponse | null; epoch: string }> {
    const [raw, epoch] = await this.redis.mget(this.entryKey(key), this.epochKey);
    return { entry: raw ? (JSON.parse(raw) as CachedResponse) : null, epoch: epoch ?? "0" };
  }

  async set(key: string, entry: CachedResponse, tags: readonly string[], ttlMs: number, epoch: string): Promise<boolean> {
    const keys = [this.epochKey, this.entryKey(key), ...tags.map((tag) => this.tagKey(tag))];
    return Number(await this.redis.eval(SET, keys.length, ...keys, epoch, JSON.stringify(entry), Math.ceil(ttlMs))) === 1;
  }

  async invalidate(tags: readonly string[]): Promise<number> {
    const keys = [this.epochKey, ...tags.map((tag) => this.tagKey(tag))];
    return Number(await this.redis.eval(INVALIDATE, keys.length, ...keys));
  }
}
