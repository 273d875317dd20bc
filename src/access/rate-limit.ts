import type Redis from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Requests per minute, counted per key (`app:<id>` for a client app, whatever transport it
 * uses; `ip:<address>` for anonymous callers). Each key gets a one-minute window from its
 * first request: up to `perMinute` requests in it, then refusals until the window ends.
 */
export interface RateLimit {
  /**
   * Spends one request from `key`'s allowance of `perMinute` (0 means no limit). Resolves 0
   * when the request may go ahead, else the whole seconds until the next one will. Rejects
   * when the store cannot answer (Redis down); the caller decides what that means.
   */
  take(key: string, perMinute: number): Promise<number>;
}

/** In this process's memory: each replica counts on its own. */
export function memoryRateLimit(): RateLimit {
  return new FlexibleRateLimit((points, keyPrefix) => new RateLimiterMemory({ points, duration: 60, keyPrefix }));
}

/**
 * In Redis, so a client's limit spans every replica. rate-limiter-flexible counts with one
 * atomic command per request, and the window expires with the key in Redis.
 */
export function redisRateLimit(redis: Redis, prefix: string): RateLimit {
  return new FlexibleRateLimit(
    (points, keyPrefix) =>
      // Not ready means an outage: fail at once rather than queue the request behind reconnects.
      new RateLimiterRedis({ storeClient: redis, points, duration: 60, keyPrefix: `${prefix}${keyPrefix}`, rejectIfRedisNotReady: true }),
  );
}

/**
 * rate-limiter-flexible fixes the number of points per limiter, while every client app has its
 * own rate: one limiter per distinct rate (a handful, set by operators), each with its own key
 * prefix so a changed rate starts a fresh window instead of reading a count made for another.
 */
class FlexibleRateLimit implements RateLimit {
  private readonly limiters = new Map<number, RateLimiterAbstract>();

  constructor(private readonly make: (points: number, keyPrefix: string) => RateLimiterAbstract) {}

  async take(key: string, perMinute: number): Promise<number> {
    if (perMinute <= 0) return 0;
    let limiter = this.limiters.get(perMinute);
    if (!limiter) {
      limiter = this.make(perMinute, `rate:${perMinute}`);
      this.limiters.set(perMinute, limiter);
    }
    try {
      await limiter.consume(key);
      return 0;
    } catch (refusal) {
      // The library rejects with its result when the key is out of points, with an Error when the store failed.
      if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw refusal;
    }
  }
}
