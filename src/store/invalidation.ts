import { LRUCache } from 'lru-cache';
import { eventsChannel, readEvent } from './events.js';
import type { KeyNamer } from './keys.js';
import type { RedisConnection } from './redis-connection.js';

/** Drop first-level entries of `hash` whose version is below `version`. */
export type DropListener = (namespace: string, hash: string, version: number) => void;

const DROP_LUA = `
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[1], ARGV[2])
`;

/**
 * Keeps each replica's in-process first level honest. Every write to the shared cache publishes
 * `set <ns> <hash> <version>` from the script that wrote it, so the event can only arrive once the
 * new value is readable. On that event a replica:
 *  1. drops its first-level entries of that hash older than `version`, and
 *  2. remembers `version` as the hash's floor: {@link accepts} refuses any older value from then on.
 * The floor closes the race that dropping alone leaves open: a replica that read the old shared
 * value just before the write, and puts it in its first level just after the event, would otherwise
 * keep it for a whole TTL. With both, once a Refresh's write is done, no replica serves the older
 * answer (as long as the pub/sub connection is up; when it comes back after an outage, messages may
 * have been lost, so every first-level entry is dropped: {@link onResync}).
 *
 * Versions are the fetching replica's clock at the start of its fetch; a Refresh's write takes a
 * version above whatever is stored, so clock skew between replicas can reorder two ordinary fetches
 * of one key (both answers are fresh then) but never put an answer older than a Refresh above it.
 */
export class Invalidation {
  readonly #connection: RedisConnection;
  readonly #keys: KeyNamer;
  readonly #floors: LRUCache<string, number>;
  readonly #dropListeners = new Set<DropListener>();
  readonly #unsubscribe: () => void;
  readonly #unresync: () => void;

  constructor({
    connection,
    keys,
    floorTtlMs,
    maxFloors = 100_000,
    onResync,
    clock = Date.now,
  }: {
    connection: RedisConnection;
    keys: KeyNamer;
    /** Versions far ahead of it are refused (see events.ts). */
    clock?: () => number;
    /** How long a floor is kept: the first level's TTL, after which any entry it guards is gone anyway. */
    floorTtlMs: number;
    maxFloors?: number;
    /** Messages may have been lost while pub/sub was away: drop the whole first level. */
    onResync: () => void;
  }) {
    this.#connection = connection;
    this.#keys = keys;
    this.#floors = new LRUCache<string, number>({ max: maxFloors, ttl: Math.max(1, floorTtlMs) });
    this.#unsubscribe = connection.subscribe(eventsChannel(keys.prefix), (message) => {
      const event = readEvent(keys, message, clock());
      if (event?.kind === 'set') this.#raise(event.namespace, event.hash, event.version);
    });
    this.#unresync = connection.onResync(() => {
      this.#floors.clear();
      onResync();
    });
  }

  onDrop(listener: DropListener): () => void {
    this.#dropListeners.add(listener);
    return () => this.#dropListeners.delete(listener);
  }

  /** Whether a value of `version` may enter the first level (no newer write has been announced). */
  accepts(namespace: string, hash: string, version: number): boolean {
    const floor = this.#floors.get(`${namespace} ${hash}`);
    return floor === undefined || version >= floor;
  }

  /** This replica wrote `version` itself (its own event will follow; this also covers Redis being down). */
  note(namespace: string, hash: string, version: number): void {
    this.#raise(namespace, hash, version);
  }

  /**
   * The answer is gone (Luminate said "not found" on a Refresh): delete the shared entry and make
   * every replica drop its copies older than `version`.
   */
  async drop(namespace: string, hash: string, version: number): Promise<void> {
    this.#raise(namespace, hash, version);
    await this.#connection.run((c) => c.eval(DROP_LUA, 1, this.#keys.name(namespace, hash), eventsChannel(this.#keys.prefix), this.#keys.signEvent(`set ${namespace} ${hash} ${Math.floor(version)}`)));
  }

  close(): void {
    this.#unsubscribe();
    this.#unresync();
    this.#dropListeners.clear();
  }

  #raise(namespace: string, hash: string, version: number): void {
    const key = `${namespace} ${hash}`;
    const floor = this.#floors.get(key);
    if (floor === undefined || version > floor) this.#floors.set(key, version);
    for (const listener of this.#dropListeners) listener(namespace, hash, version);
  }
}
