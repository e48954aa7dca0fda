import { LRUCache } from 'lru-cache';
import type { Clock } from '../lookup/interaction-lookups.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

const WINDOW_MS = 60_000;

/**
 * Lookups per person per rolling minute (`LOOKUP_RATE_PER_MINUTE`). Cached
 * answers count too: the limit is there so that one compromised account
 * cannot page through the donor base, however fast the cache is.
 */
export class LookupRateLimit {
  readonly #perMinute: number;
  readonly #clock: Clock;
  /** Each person's lookup times within the last minute; people idle for a minute drop out. */
  readonly #recent: LRUCache<string, number[]>;

  constructor({ perMinute, clock = Date.now, maxPeople = 50_000 }: { perMinute: number; clock?: Clock; maxPeople?: number }) {
    this.#perMinute = perMinute;
    this.#clock = clock;
    this.#recent = new LRUCache<string, number[]>({ max: maxPeople, ttl: WINDOW_MS, ttlResolution: 0, perf: { now: clock } });
  }

  get perMinute(): number {
    return this.#perMinute;
  }

  /** Counts one lookup for `userId` if the limit allows it. */
  take(userId: string): RateDecision {
    const now = this.#clock();
    const times = (this.#recent.get(userId) ?? []).filter((t) => now - t < WINDOW_MS);
    if (times.length >= this.#perMinute) {
      this.#recent.set(userId, times, { noUpdateTTL: true });
      return { allowed: false, retryAfterMs: WINDOW_MS - (now - times[0]!) };
    }
    times.push(now);
    this.#recent.set(userId, times);
    return { allowed: true };
  }
}
