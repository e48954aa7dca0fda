import { randomBytes } from 'node:crypto';
import { eventsChannel, readEvent } from './events.js';
import type { RedisConnection } from './redis-connection.js';
import { SET_IF_NEWER_LUA, type SharedCache } from './shared-cache.js';

export interface FetchOnceOptions {
  /** How long this replica waits for another's fetch before fetching itself. Give it the lookup's own budget. */
  budgetMs: number;
  /** The shared entry's TTL. */
  ttlMs: number;
}

export interface FetchOnceResult<T> {
  value: T;
  /** The entry's version, for the first level (see invalidation.ts). */
  version: number;
  /** `shared`: in Redis already; `waited`: another replica fetched it for us; `fetched`: fetched here. */
  source: 'shared' | 'fetched' | 'waited';
}

/** One step: the answer if there is one, else the lock if it is free. `{1, v, d}` answer, `{2}` lock taken, `{3}` held elsewhere. */
const ACQUIRE_LUA = `
local e = redis.call('HMGET', KEYS[1], 'v', 'd')
if e[2] then return {1, e[1], e[2]} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2} end
return {3}
`;
const RELEASE_LUA = `if redis.call('GET', KEYS[2]) == ARGV[7] then redis.call('DEL', KEYS[2]) end`;
/** Store the answer, release our lock and announce, in one round trip. */
const COMPLETE_LUA = `${RELEASE_LUA}\n${SET_IF_NEWER_LUA}`;
const FAIL_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('PUBLISH', ARGV[2], ARGV[3])
`;
const RENEW_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * Cross-replica coalescing: concurrent lookups of one key on several replicas make one upstream call.
 * In-process coalescing stays in front of this, so each replica brings at most one waiter per key.
 *
 * - The first replica takes a short lock (SET NX PX, renewed while its fetch runs), fetches, and in one
 *   script stores the answer with its TTL, releases the lock and publishes `set`.
 * - The others wait, woken by that event or by polling every `pollMs`, until the answer is there or
 *   their budget is spent. If the holder dies, its lock expires within `lockTtlMs` and the next poll
 *   takes it over.
 * - A failed fetch is not stored: the holder releases the lock and publishes `fail`. Waiters then try
 *   the lock again, so exactly one of them fetches (with its own error handling, for its own person)
 *   while the others keep waiting: a failure is retried one replica at a time, never by all at once.
 * - A waiter whose budget runs out fetches itself rather than fail its person over a lock.
 * - Redis down or failing: fetch, as a single replica would.
 */
export class ReplicaLock {
  readonly #connection: RedisConnection;
  readonly #cache: SharedCache;
  readonly #clock: () => number;
  readonly #lockTtlMs: number;
  readonly #pollMs: number;
  readonly #waiters = new Map<string, Set<() => void>>();
  #unsubscribe: (() => void) | undefined;

  constructor({
    connection,
    cache,
    clock = Date.now,
    lockTtlMs = 3000,
    pollMs = 100,
  }: {
    connection: RedisConnection;
    cache: SharedCache;
    clock?: () => number;
    lockTtlMs?: number;
    pollMs?: number;
  }) {
    this.#connection = connection;
    this.#cache = cache;
    this.#clock = clock;
    this.#lockTtlMs = lockTtlMs;
    this.#pollMs = pollMs;
  }

  /** The shared answer for `hash`, or one fetch over all replicas to make it. Rejects only with `fetch`'s own error. */
  async fetchOnce<T>(namespace: string, hash: string, fetch: () => Promise<T>, { budgetMs, ttlMs }: FetchOnceOptions): Promise<FetchOnceResult<T>> {
    if (this.#connection.status() !== 'up') return this.#fetchAlone(fetch);
    this.#listen();
    const names = { entry: this.#cache.keys.name(namespace, hash), lock: this.#cache.keys.name(namespace, hash, ':lock') };
    const token = randomBytes(12).toString('hex');
    const deadline = this.#clock() + budgetMs;
    const waitKey = `${namespace} ${hash}`;
    let waited = false;
    for (;;) {
      // Registered before asking, so an event that lands between the answer and the wait still wakes us.
      const wake = this.#wakeOn(waitKey);
      const step = await this.#connection.run((c) => c.eval(ACQUIRE_LUA, 2, names.entry, names.lock, token, this.#lockTtlMs) as Promise<[number, string?, string?]>);
      if (!step.ok) {
        wake.cancel();
        return this.#fetchAlone(fetch);
      }
      const [state, version, payload] = step.value;
      if (state === 1) {
        wake.cancel();
        const entry = this.#cache.decodeEntry<T>(names.entry, version ?? null, payload ?? null);
        if (entry) return { ...entry, source: waited ? 'waited' : 'shared' };
        // Not ours to read (altered, or another key's): drop it and go round again.
        await this.#connection.run((c) => c.del(names.entry));
        continue;
      }
      if (state === 2) {
        wake.cancel();
        return this.#fetchAsHolder(namespace, hash, names, token, fetch, ttlMs);
      }
      const remaining = deadline - this.#clock();
      if (remaining <= 0) {
        wake.cancel();
        const alone = await this.#fetchAlone(fetch);
        const stored = await this.#cache.set(namespace, hash, alone.value, { ttlMs, version: alone.version });
        return { ...alone, version: stored ?? alone.version };
      }
      waited = true;
      await wake.within(Math.min(this.#pollMs, remaining));
    }
  }

  /**
   * A Refresh: fetch now, whoever holds the lock, and replace the shared answer with a version above
   * any stored, announced to every replica. Rejects with `fetch`'s error, leaving the shared answer.
   */
  async refresh<T>(namespace: string, hash: string, fetch: () => Promise<T>, { ttlMs }: { ttlMs: number }): Promise<FetchOnceResult<T>> {
    const version = this.#clock();
    const value = await fetch();
    const stored = await this.#cache.set(namespace, hash, value, { ttlMs, version, force: true });
    return { value, version: stored ?? version, source: 'fetched' };
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const wakes of this.#waiters.values()) for (const wake of wakes) wake();
    this.#waiters.clear();
  }

  async #fetchAlone<T>(fetch: () => Promise<T>): Promise<FetchOnceResult<T>> {
    const version = this.#clock();
    return { value: await fetch(), version, source: 'fetched' };
  }

  async #fetchAsHolder<T>(namespace: string, hash: string, names: { entry: string; lock: string }, token: string, fetch: () => Promise<T>, ttlMs: number): Promise<FetchOnceResult<T>> {
    const version = this.#clock();
    const channel = eventsChannel(this.#cache.keys.prefix);
    // A fetch may outlast the lock's TTL (a slow Luminate): keep it ours while we work, so nobody else calls too.
    const renew = setInterval(() => void this.#connection.run((c) => c.eval(RENEW_LUA, 1, names.lock, token, this.#lockTtlMs)), Math.max(10, Math.floor(this.#lockTtlMs / 3)));
    renew.unref();
    let value: T;
    try {
      value = await fetch();
    } catch (error) {
      clearInterval(renew);
      await this.#connection.run((c) => c.eval(FAIL_LUA, 1, names.lock, token, channel, this.#cache.keys.signEvent(`fail ${namespace} ${hash}`)));
      throw error;
    }
    clearInterval(renew);
    const payload = this.#cache.encode(names.entry, value, { version, ttlMs });
    // Not awaited: the person's answer is here, and a write without `force` keeps `version` (or is
    // dropped for a newer one, which the floor then announces). Commands on one connection run in
    // order, so this replica's next command sees the answer stored; other replicas are woken by its
    // event. `run` never rejects, and a failed write leaves the lock to expire, as a dead holder's would.
    const event = this.#cache.keys.signEvent(`set ${namespace} ${hash} ${Math.floor(version)}`);
    void this.#connection.run((c) => c.eval(COMPLETE_LUA, 2, names.entry, names.lock, version, payload, Math.max(1, Math.ceil(ttlMs)), '0', channel, event, token));
    return { value, version, source: 'fetched' };
  }

  #listen(): void {
    this.#unsubscribe ??= this.#connection.subscribe(eventsChannel(this.#cache.keys.prefix), (message) => {
      const event = readEvent(this.#cache.keys, message, this.#clock());
      if (!event) return;
      const wakes = this.#waiters.get(`${event.namespace} ${event.hash}`);
      if (wakes) for (const wake of [...wakes]) wake();
    });
  }

  #wakeOn(waitKey: string): { within(ms: number): Promise<void>; cancel(): void } {
    let wakes = this.#waiters.get(waitKey);
    if (!wakes) this.#waiters.set(waitKey, (wakes = new Set()));
    const set = wakes;
    let resolveWait: (() => void) | undefined;
    let woken = false;
    const wake = () => {
      woken = true;
      resolveWait?.();
    };
    set.add(wake);
    const cancel = () => {
      set.delete(wake);
      if (set.size === 0 && this.#waiters.get(waitKey) === set) this.#waiters.delete(waitKey);
    };
    return {
      cancel,
      within: (ms) =>
        new Promise<void>((resolve) => {
          if (woken) {
            cancel();
            resolve();
            return;
          }
          const timer = setTimeout(() => {
            cancel();
            resolve();
          }, ms);
          resolveWait = () => {
            clearTimeout(timer);
            cancel();
            resolve();
          };
        }),
    };
  }
}
