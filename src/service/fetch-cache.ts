import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { SecondLevel } from '../store/second-level.js';

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
  /** Another level shared by replicas, behind this one (absent: this process alone). */
  shared?: SharedLevel;
}

export interface SharedLevel {
  store: SecondLevel;
  /** This cache's own kind of answer: `interaction`, `donor`, `list`. */
  namespace: string;
  /** How long a lookup waits for another replica's fetch of the same key before fetching itself. */
  budgetMs: number;
}

export interface Fetched<V> {
  value: V;
  /** Served from the cache rather than a call made for this request. */
  cached: boolean;
  /** Set when a Refresh failed and `value` is what was already cached: why Luminate could not refresh it. */
  refreshFailure?: unknown;
}

/** A first-level entry: the value, its version in the shared level (0 without one), and whether a call was made for it here. */
interface Held<V> {
  value: V;
  version: number;
  fetched: boolean;
  /** Older than an answer another replica announced meanwhile: given to its own request, never kept. */
  stale?: true;
}

interface FetchContext<C> {
  context: C;
  refresh: boolean;
}

/**
 * One Luminate read, cached and coalesced. lru-cache's `fetch()` already shares one in-flight promise
 * between identical keys and drops a key whose fetch rejected: "concurrent requests share a call;
 * failures are not cached". With a shared level, this in-process cache stays the first level (a hot
 * lookup never leaves the process) and its coalescing stays in front of the shared one.
 */
export class FetchCache<V extends object, C> {
  /** Context typed `unknown` here: lru-cache's types cannot resolve a generic one; `fetch` takes only a FetchContext<C>. */
  readonly #cache: LRUCache<string, Held<V>, unknown>;
  readonly #keep: (error: unknown) => boolean;
  readonly #shared: SharedLevel | undefined;
  readonly #clock: Clock;
  /**
   * Keys with a fetch in flight, by that fetch: lru-cache's `keys()` leaves them out, and a write that
   * drops a donor's entries must drop one still being fetched too, or it lands after the write and is kept.
   */
  readonly #inFlight = new Map<string, Promise<Held<V>>>();

  constructor({ ttlSeconds, maxEntries, clock, fetch, keepOnRefreshFailure = () => true, shared }: FetchCacheOptions<V, C>) {
    this.#keep = keepOnRefreshFailure;
    this.#shared = shared;
    this.#clock = clock;
    const ttlMs = ttlSeconds * 1000;
    this.#cache = new LRUCache<string, Held<V>, unknown>({
      max: maxEntries,
      // lru-cache reads ttl 0 as "never expires"; 1 ms is "keep nothing" while a fetch is still shared.
      ttl: Math.max(1, ttlMs),
      perf: { now: clock },
      // Read the clock on every check rather than lru-cache's default 1 ms cached reading, so an injected clock rules.
      ttlResolution: 0,
      // A burst of more distinct requests than maxEntries evicts entries still being fetched; the person
      // waiting on one should still get their answer, so the fetch is neither aborted nor rejected.
      ignoreFetchAbort: true,
      fetchMethod: (key, _stale, { context }) => {
        const { context: c, refresh } = context as FetchContext<C>;
        const fetching = shared ? this.#fetchShared(shared, key, () => fetch(c), refresh, ttlMs) : fetch(c).then((value) => ({ value, version: 0, fetched: true }));
        this.#inFlight.set(key, fetching);
        const settled = () => {
          if (this.#inFlight.get(key) === fetching) this.#inFlight.delete(key);
        };
        fetching.then(settled, settled);
        return fetching;
      },
    });
    if (shared) {
      const { store, namespace } = shared;
      store.onDrop((ns, hash, version) => {
        if (ns !== namespace) return;
        const held = this.#cache.peek(hash, { allowStale: true });
        if (held && held.version < version) this.#cache.delete(hash);
      });
      store.onResync(() => this.#cache.clear());
    }
  }

  /** The cached value, if there is a fresh one, without waiting. */
  peek(key: string): V | undefined {
    return this.#cache.get(this.#key(key))?.value;
  }

  /**
   * Drops every entry whose key starts with `prefix`, those still being fetched included (their caller gets
   * its answer, which is not kept): O(entries), for what is rare (a write).
   */
  dropPrefix(prefix: string): number {
    let dropped = 0;
    for (const key of new Set([...this.#cache.keys(), ...this.#inFlight.keys()])) {
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
    const name = this.#key(key);
    // What the cache held before this call (also while another call is fetching it): the same object
    // coming back means the value was not fetched for this request.
    const before = this.#cache.peek(name, { allowStale: true });
    const status: LRUCache.Status<string, Held<V>, unknown> = {};
    // allowStaleOnFetchRejection: lru-cache keeps the previous value when the refresh rejects (by default it
    // deletes the key) and resolves with it, putting the rejection in status.fetchError.
    const fetchContext: FetchContext<C> = { context, refresh };
    const held = await this.#cache.fetch(name, { context: fetchContext, forceRefresh: refresh, status, allowStaleOnFetchRejection: refresh });
    if (status.fetchRejected) {
      if (!held || !this.#keep(status.fetchError)) {
        if (held) {
          this.#cache.delete(name);
          // Luminate says it is gone: no replica may go on showing it.
          await this.#shared?.store.drop(this.#shared.namespace, name, this.#clock());
        }
        throw status.fetchError;
      }
      return { value: held.value, cached: true, refreshFailure: status.fetchError };
    }
    if (!held) throw new Error('lru-cache fetch resolved without a value'); // only with abort options we do not set
    if (held.stale && this.#cache.peek(name, { allowStale: true }) === held) this.#cache.delete(name);
    return { value: held.value, cached: held === before || !held.fetched };
  }

  #key(key: string): string {
    return this.#shared ? this.#shared.store.hash(this.#shared.namespace, key) : key;
  }

  async #fetchShared(shared: SharedLevel, hash: string, fetch: () => Promise<V>, refresh: boolean, ttlMs: number): Promise<Held<V>> {
    const { store, namespace, budgetMs } = shared;
    const got = refresh ? await store.refresh(namespace, hash, fetch, { ttlMs }) : await store.fetchOnce(namespace, hash, fetch, { budgetMs, ttlMs });
    if (store.accepts(namespace, hash, got.version)) return { value: got.value, version: got.version, fetched: got.source === 'fetched' };
    // A Refresh elsewhere announced a newer answer while this one was on its way: that one is shared by now.
    const newer = await store.get<V>(namespace, hash);
    if (newer && store.accepts(namespace, hash, newer.version)) return { value: newer.value, version: newer.version, fetched: false };
    return { value: got.value, version: got.version, fetched: got.source === 'fetched', stale: true };
  }
}
