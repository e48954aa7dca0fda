import { LRUCache } from 'lru-cache';
import type { InteractionSource } from '../luminate/client.js';
import { isNotFound } from '../luminate/errors.js';
import { lookupKey, type InteractionLookup } from '../luminate/lookup.js';
import type { Interaction } from '../luminate/schema.js';

/** Milliseconds since the epoch; injected so tests control cache age and freshness text. */
export type Clock = () => number;

export interface LookupResult {
  interaction: Interaction;
  /** When Luminate produced this answer (ms since the epoch). */
  fetchedAt: number;
  /** True when the answer came from the cache rather than a call made for this request. */
  cached: boolean;
  /** Set when a refresh failed and this is the answer already cached: why Luminate could not refresh it. */
  refreshFailure?: unknown;
}

export interface InteractionLookupsOptions {
  source: InteractionSource;
  /** 0 keeps no answers but still lets concurrent identical lookups share one call. */
  ttlSeconds: number;
  maxEntries: number;
  clock?: Clock;
}

interface Entry {
  interaction: Interaction;
  fetchedAt: number;
}

/**
 * Cached, coalesced `getInteraction`. lru-cache's `fetch()` already shares one
 * in-flight promise between identical keys and drops a key whose fetch
 * rejected, which is exactly "concurrent lookups share a call; failures are
 * not cached".
 */
export class InteractionLookups {
  readonly #cache: LRUCache<string, Entry, InteractionLookup>;
  readonly #clock: Clock;

  constructor({ source, ttlSeconds, maxEntries, clock = Date.now }: InteractionLookupsOptions) {
    this.#clock = clock;
    this.#cache = new LRUCache<string, Entry, InteractionLookup>({
      max: maxEntries,
      // lru-cache reads ttl 0 as "never expires"; 1 ms is "keep nothing" while a fetch is still shared.
      ttl: Math.max(1, ttlSeconds * 1000),
      perf: { now: clock },
      // Read the clock on every check rather than lru-cache's default 1 ms cached reading, so an injected clock rules.
      ttlResolution: 0,
      // A burst of more distinct lookups than maxEntries evicts entries still being fetched; the person
      // waiting on one should still get their answer, so the fetch is neither aborted nor rejected.
      ignoreFetchAbort: true,
      fetchMethod: async (_key, _stale, { context }) => {
        const interaction = await source.getInteraction(context);
        return { interaction, fetchedAt: this.#clock() };
      },
    });
  }

  /** The cached answer, if there is a fresh one: lets a listener answer in its ack. */
  peek(lookup: InteractionLookup): LookupResult | undefined {
    const entry = this.#cache.get(lookupKey(lookup));
    return entry && { ...entry, cached: true };
  }

  /**
   * @param options.refresh read Luminate again even when a cached answer is fresh. If that read fails,
   *   the cached answer stays cached and is returned with `refreshFailure`, so the person keeps their card
   *   and the next lookup is still served from the cache; only "not found" drops it, since Luminate has
   *   then said the record is gone or hidden from the bot.
   * @throws {import('../luminate/errors.js').LuminateError} when Luminate fails and there is no answer to keep.
   */
  async lookup(lookup: InteractionLookup, { refresh = false }: { refresh?: boolean } = {}): Promise<LookupResult> {
    const key = lookupKey(lookup);
    // What the cache held before this call (also while another call is fetching it): the same object
    // coming back means the answer was not fetched for this request.
    const before = this.#cache.peek(key, { allowStale: true });
    const status: LRUCache.Status<string, Entry, InteractionLookup> = {};
    // allowStaleOnFetchRejection: lru-cache keeps the previous value when the refresh rejects (by default it
    // deletes the key) and resolves with it, putting the rejection in status.fetchError.
    const entry = await this.#cache.fetch(key, { context: lookup, forceRefresh: refresh, status, allowStaleOnFetchRejection: refresh });
    if (status.fetchRejected) {
      const notFound = isNotFound(status.fetchError);
      if (!entry || notFound) {
        if (entry) this.#cache.delete(key);
        throw status.fetchError;
      }
      return { ...entry, cached: true, refreshFailure: status.fetchError };
    }
    if (!entry) throw new Error('lru-cache fetch resolved without a value'); // only with abort options we do not set
    return { ...entry, cached: entry === before };
  }

  get size(): number {
    return this.#cache.size;
  }
}
