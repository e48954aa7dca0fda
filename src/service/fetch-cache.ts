import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';

export interface FetchCacheOptions<V, C> {
  /** 0 keeps no answers but still lets concurrent identical requests share one call. */
  ttlSeconds: number;
  maxEntries: number;
  clock: Clock;
  fetch: (context: C) => Promise<V>;
  /**
   * Whether a failed Refresh keeps the value already cached (and says why) rather than dropping it.
   * By default it always does.
   */
  keepOnRefreshFailure?: (error: unknown) => boolean;
}

export interface Fetched<V> {
  value: V;
  /** Served from the cache rather than a call made for this request. */
  cached: boolean;
  /** Set when a Refresh failed and `value` is what was already cached: why Luminate could not refresh it. */
  refreshFailure?: unknown;
}

/**
 * One Luminate read, cached and coalesced. lru-cache's `fetch()` already shares one in-flight promise
 * between identical keys and drops a key whose fetch rejected: "concurrent requests share a call;
 * failures are not cached".
 */
export class FetchCache<V extends object, C> {
  /** Context typed `unknown` here: lru-cache's types cannot resolve a generic one; `fetch` takes only a C. */
  readonly #cache: LRUCache<string, V, unknown>;
  readonly #keep: (error: unknown) => boolean;

  constructor({ ttlSeconds, maxEntries, clock, fetch, keepOnRefreshFailure = () => true }: FetchCacheOptions<V, C>) {
    this.#keep = keepOnRefreshFailure;
    this.#cache = new LRUCache<string, V, unknown>({
      max: maxEntries,
      // lru-cache reads ttl 0 as "never expires"; 1 ms is "keep nothing" while a fetch is still shared.
      ttl: Math.max(1, ttlSeconds * 1000),
      perf: { now: clock },
      // Read the clock on every check rather than lru-cache's default 1 ms cached reading, so an injected clock rules.
      ttlResolution: 0,
      // A burst of more distinct requests than maxEntries evicts entries still being fetched; the person
      // waiting on one should still get their answer, so the fetch is neither aborted nor rejected.
      ignoreFetchAbort: true,
      fetchMethod: (_key, _stale, { context }) => fetch(context as C),
    });
  }

  /** The cached value, if there is a fresh one, without waiting. */
  peek(key: string): V | undefined {
    return this.#cache.get(key);
  }

  /** Drops every entry whose key starts with `prefix`: O(entries), for what is rare (a write). */
  dropPrefix(prefix: string): number {
    let dropped = 0;
    for (const key of [...this.#cache.keys()]) {
      if (key.startsWith(prefix) && this.#cache.delete(key)) dropped += 1;
    }
    return dropped;
  }

  /**
   * @param refresh read Luminate again even when a cached value is fresh. If that read fails, the cached
   *   value stays cached and is returned with `refreshFailure`, unless `keepOnRefreshFailure` says otherwise.
   * @throws whatever the read threw, when there is no value to keep.
   */
  async fetch(key: string, context: C, refresh = false): Promise<Fetched<V>> {
    // What the cache held before this call (also while another call is fetching it): the same object
    // coming back means the value was not fetched for this request.
    const before = this.#cache.peek(key, { allowStale: true });
    const status: LRUCache.Status<string, V, unknown> = {};
    // allowStaleOnFetchRejection: lru-cache keeps the previous value when the refresh rejects (by default it
    // deletes the key) and resolves with it, putting the rejection in status.fetchError.
    const value = await this.#cache.fetch(key, { context, forceRefresh: refresh, status, allowStaleOnFetchRejection: refresh });
    if (status.fetchRejected) {
      if (!value || !this.#keep(status.fetchError)) {
        if (value) this.#cache.delete(key);
        throw status.fetchError;
      }
      return { value, cached: true, refreshFailure: status.fetchError };
    }
    if (!value) throw new Error('lru-cache fetch resolved without a value'); // only with abort options we do not set
    return { value, cached: value === before };
  }
}

