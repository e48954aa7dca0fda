import { randomBytes } from 'node:crypto';
import type { OnceClaim } from '../service/log-once.js';
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
/** Deletes a claim only if it is still the one this replica made (never another replica's). */
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
/** When to try again to release a claim that may have landed after its timeout: Redis is back within these, usually. */
const RELEASE_RETRY_MS = [1_000, 5_000, 15_000, 30_000, 60_000];

export class SharedReplayMemory implements AsyncReplayStore {
  readonly #connection: RedisConnection;
  readonly #keys: KeyNamer;
  readonly #local: LocalReplayStore;
  readonly #windowMs: number;
  readonly #releaseRetryMs: readonly number[];

  constructor({
    connection,
    keys,
    local,
    windowMs,
    releaseRetryMs = RELEASE_RETRY_MS,
  }: {
    connection: RedisConnection;
    keys: KeyNamer;
    local: LocalReplayStore;
    windowMs: number;
    /** When to try to release an unconfirmed log claim, one delay an attempt. */
    releaseRetryMs?: readonly number[];
  }) {
    this.#connection = connection;
    this.#keys = keys;
    this.#local = local;
    this.#windowMs = windowMs;
    this.#releaseRetryMs = releaseRetryMs;
  }

  async firstSeen(key: string): Promise<boolean> {
    if (!this.#local.firstSeen(key)) return false;
    const name = this.#keys.name('replay', this.#keys.hash('replay', key));
    const result = await this.#connection.run((c) => c.set(name, '1', 'PX', this.#windowMs, 'NX'));
    // null: another replica set it first. Not ok: Redis is away, and the local memory has said first.
    return !result.ok || result.value === 'OK';
  }

  /**
   * The log's guard: like {@link firstSeen}, but without the local fallback. `unconfirmed` when Redis
   * did not answer: this replica holds nothing then (its local mark is released), and a SET that
   * reaches a slow Redis after its timeout is released later by its token, so the person's retry is
   * not taken for a repeat of a log that was never sent.
   */
  async claimOnce(key: string): Promise<OnceClaim> {
    if (!this.#local.firstSeen(key)) return 'repeat';
    const name = this.#keys.name('replay', this.#keys.hash('replay', key));
    const token = randomBytes(16).toString('base64url');
    const result = await this.#connection.run((c) => c.set(name, token, 'PX', this.#windowMs, 'NX'));
    if (result.ok && result.value === 'OK') return 'first';
    // Redis is the truth for the log: a local mark kept on a repeat would outlive a claim released later.
    this.#local.forget(key);
    if (result.ok) return 'repeat';
    this.#release(name, token, 0);
    return 'unconfirmed';
  }

  #release(name: string, token: string, attempt: number): void {
    const delay = this.#releaseRetryMs[attempt];
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      void this.#connection.run((c) => c.eval(RELEASE_LUA, 1, name, token)).then((result) => {
        if (!result.ok) this.#release(name, token, attempt + 1);
      });
    }, delay);
    timer.unref();
  }

  /** Releases `key` on every replica: a write that certainly did not happen may be tried again. */
  async forget(key: string): Promise<void> {
    this.#local.forget(key);
    await this.#connection.run((c) => c.del(this.#keys.name('replay', this.#keys.hash('replay', key))));
  }
}
