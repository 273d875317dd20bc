interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Buckets kept before idle ones are dropped: bounds memory under a flood of new IP addresses. */
const MAX_BUCKETS = 50_000;

/**
 * Token buckets, one per client app or anonymous IP address, in this process's memory: a
 * bucket holds a minute's worth of requests and refills continuously, so a client may burst
 * up to its limit and then sustain its rate. Several Newsgate processes behind one load
 * balancer each keep their own buckets.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Spends one request from `key`'s bucket of `perMinute` (0 means no limit). Returns 0 when
   * the request may go ahead, else the whole seconds until the next one will.
   */
  take(key: string, perMinute: number): number {
    if (perMinute <= 0) return 0;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.updatedAt) * perMinute) / 60_000);
      bucket.updatedAt = now;
    } else {
      if (this.buckets.size >= MAX_BUCKETS) this.prune(now, perMinute);
      bucket = { tokens: perMinute, updatedAt: now };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / perMinute));
  }

  /** Drops buckets idle for a minute (they would be full again); if none are, the oldest. */
  private prune(now: number, perMinute: number): void {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt >= 60_000 || bucket.tokens + ((now - bucket.updatedAt) * perMinute) / 60_000 >= perMinute)
        this.buckets.delete(key);
    }
    if (this.buckets.size >= MAX_BUCKETS) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
}
