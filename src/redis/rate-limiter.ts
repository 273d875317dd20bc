import type Redis from "ioredis";

/**
 * The same token bucket as the in-process RateLimiter, kept in Redis so a client's limit
 * spans every replica. One Lua script per request: atomic, and timed by Redis's own clock so
 * replicas with drifting clocks agree.
 */
const TAKE = `
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local bucket = redis.call('HMGET', key, 'tokens', 'ts')
local tokens = tonumber(bucket[1]) or rate
local ts = tonumber(bucket[2]) or now
tokens = math.min(rate, tokens + (now - ts) * rate / 60000)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) * 60 / rate)
end
redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', key, 61000)
return wait
`;

export class RedisRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "newsgate:rate:",
  ) {}

  /** Spends one request; resolves 0 when it may go ahead, else the seconds to wait. */
  async take(key: string, perMinute: number): Promise<number> {
    if (perMinute <= 0) return 0;
    return Number(await this.redis.eval(TAKE, 1, `${this.prefix}${key}`, perMinute));
  }
}
