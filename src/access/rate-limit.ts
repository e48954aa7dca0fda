import { LRUCache } from 'lru-cache';
import type { Clock } from '../lookup/interaction-lookups.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

const MINUTE_MS = 60_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Lookups per person per minute (`LOOKUP_RATE_PER_MINUTE`), as a token bucket:
 * a full minute's allowance may be used at once, then it refills evenly
 * (30 a minute: one every 2 s). Cached answers count too: the limit is there
 * so that one compromised account cannot page through the donor base,
 * however fast the cache is. O(1) per lookup, on the hot path.
 */
export class LookupRateLimit {
  readonly #perMinute: number;
  readonly #clock: Clock;
  /** People idle for a minute have a full bucket again, so they can be forgotten. */
  readonly #buckets: LRUCache<string, Bucket>;

  constructor({ perMinute, clock = Date.now, maxPeople = 50_000 }: { perMinute: number; clock?: Clock; maxPeople?: number }) {
    this.#perMinute = perMinute;
    this.#clock = clock;
    this.#buckets = new LRUCache<string, Bucket>({ max: maxPeople, ttl: MINUTE_MS, ttlResolution: 0, perf: { now: clock } });
  }

  get perMinute(): number {
    return this.#perMinute;
  }

  /** Counts one lookup for `userId` if the limit allows it. */
  take(userId: string): RateDecision {
    const now = this.#clock();
    let bucket = this.#buckets.get(userId);
    if (!bucket) {
      bucket = { tokens: this.#perMinute, updatedAt: now };
      this.#buckets.set(userId, bucket);
    } else {
      bucket.tokens = Math.min(this.#perMinute, bucket.tokens + ((now - bucket.updatedAt) * this.#perMinute) / MINUTE_MS);
      bucket.updatedAt = now;
    }
    if (bucket.tokens < 1) return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) * MINUTE_MS) / this.#perMinute) };
    bucket.tokens -= 1;
    // Refreshes the TTL: forgotten only after a whole idle minute, when the bucket would be full anyway.
    this.#buckets.set(userId, bucket);
    return { allowed: true };
  }
}
