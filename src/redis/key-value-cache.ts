import type Redis from "ioredis";

/**
 * Apollo's KeyValueCache over Redis (structurally: Apollo only calls get, set and delete),
 * used for the automatic persisted queries every replica must share. A Redis outage makes
 * every lookup a miss rather than a failed request: APQ clients then send the full text.
 */
export class RedisKeyValueCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.prefix + key)) ?? undefined;
    } catch (error) {
      this.onError(error);
      return undefined;
    }
  }

  /** `ttl` in seconds, as Apollo gives it; none keeps the value until deleted. */
  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    try {
      if (options?.ttl) await this.redis.set(this.prefix + key, value, "EX", Math.ceil(options.ttl));
      else await this.redis.set(this.prefix + key, value);
    } catch (error) {
      this.onError(error);
    }
  }

  async delete(key: string): Promise<boolean | void> {
    try {
      return (await this.redis.del(this.prefix + key)) > 0;
    } catch (error) {
      this.onError(error);
    }
  }
}
