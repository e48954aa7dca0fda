import type { KeyNamer } from './keys.js';
import type { RedisConnection } from './redis-connection.js';

/** The one method of `src/access/replay-guard.ts`'s ReplayStore, asynchronous. */
export interface AsyncReplayStore {
  /** True the first time `key` is seen within the window, false on every repeat. */
  firstSeen(key: string): Promise<boolean>;
  forget(key: string): Promise<void>;
}

/** The in-memory store this falls back to (replay-guard.ts's MemoryReplayStore). */
export interface LocalReplayStore {
  firstSeen(key: string): boolean;
  forget(key: string): void;
}

/**
 * The replay memory shared by replicas: a request replayed to another replica is refused there too.
 * Each key is remembered with SET NX PX for the replay window, named by its keyed hash. The local
 * memory sees every key as well, so a repeat to this replica is refused without asking Redis, and
 * this replica's own repeats stay refused when Redis goes away mid-window. When Redis is down or slow,
 * the local memory alone decides: replays to the same replica are still refused; a replay to another
 * replica during the outage is not (the price of answering at all without Redis).
 */
export class SharedReplayMemory implements AsyncReplayStore {
  readonly #connection: RedisConnection;
  readonly #keys: KeyNamer;
  readonly #local: LocalReplayStore;
  readonly #windowMs: number;

  constructor({ connection, keys, local, windowMs }: { connection: RedisConnection; keys: KeyNamer; local: LocalReplayStore; windowMs: number }) {
    this.#connection = connection;
    this.#keys = keys;
    this.#local = local;
    this.#windowMs = windowMs;
  }

  async firstSeen(key: string): Promise<boolean> {
    if (!this.#local.firstSeen(key)) return false;
    const name = this.#keys.name('replay', this.#keys.hash('replay', key));
    const result = await this.#connection.run((c) => c.set(name, '1', 'PX', this.#windowMs, 'NX'));
    // null: another replica set it first. Not ok: Redis is away, and the local memory has said first.
    return !result.ok || result.value === 'OK';
  }

  /** Releases `key` on every replica: a write that certainly did not happen may be tried again. */
  async forget(key: string): Promise<void> {
    this.#local.forget(key);
    await this.#connection.run((c) => c.del(this.#keys.name('replay', this.#keys.hash('replay', key))));
  }
}
