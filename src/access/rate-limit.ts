import type { Clock } from '../clock.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

const MINUTE_MS = 60_000;

/**
 * What the service needs of a limit: this in-memory one answers at once; the one shared by replicas
 * (src/store/shared-rate-limit.ts) asks Redis. Callers await either.
 */
export interface RateLimit {
  readonly perMinute: number;
  peek(userId: string): RateDecision | Promise<RateDecision>;
  take(userId: string): RateDecision | Promise<RateDecision>;
}

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
export class LookupRateLimit implements RateLimit {
  readonly #perMinute: number;
  readonly #clock: Clock;
  /**
   * Only people seen in the last minute or two. A plain Map rather than an LRU: lru-cache sizes its
   * arrays for `max` up front, which for any cap generous enough for a workspace cost more memory
   * than all the buckets of a busy day.
   */
  readonly #buckets = new Map<string, Bucket>();
  #sweptAt: number;

  constructor({ perMinute, clock = Date.now }: { perMinute: number; clock?: Clock }) {
    this.#perMinute = perMinute;
    this.#clock = clock;
    this.#sweptAt = clock();
  }

  get perMinute(): number {
    return this.#perMinute;
  }

  /** People with a bucket in memory: those who looked something up within about the last two minutes. */
  get tracked(): number {
    return this.#buckets.size;
  }

  /** Whether `take` would allow a lookup now, without counting one (e.g. before opening a form that may never be sent). */
  peek(userId: string): RateDecision {
    const bucket = this.#buckets.get(userId);
    if (!bucket) return { allowed: true };
    const tokens = Math.min(this.#perMinute, bucket.tokens + ((this.#clock() - bucket.updatedAt) * this.#perMinute) / MINUTE_MS);
    return tokens < 1 ? { allowed: false, retryAfterMs: Math.ceil(((1 - tokens) * MINUTE_MS) / this.#perMinute) } : { allowed: true };
  }

  /** Counts one lookup for `userId` if the limit allows it. */
  take(userId: string): RateDecision {
    const now = this.#clock();
    if (now - this.#sweptAt >= MINUTE_MS) this.#forgetIdle(now);
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
    return { allowed: true };
  }

  /** A bucket idle for a whole minute has refilled completely, so dropping it changes nothing. At most once a minute: O(1) amortised. */
  #forgetIdle(now: number): void {
    this.#sweptAt = now;
    for (const [userId, bucket] of this.#buckets) if (now - bucket.updatedAt >= MINUTE_MS) this.#buckets.delete(userId);
  }
}
