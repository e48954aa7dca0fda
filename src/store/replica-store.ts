import type { SecondLevel, SecondLevelEntry } from './second-level.js';
import { SharedGenerations } from './generations.js';
import { Invalidation } from './invalidation.js';
import { deriveStoreSecrets, KeyNamer } from './keys.js';
import { RedisConnection, type RedisStatus, type StoreLogger } from './redis-connection.js';
import { ReplicaLock } from './replica-lock.js';
import { SharedCache } from './shared-cache.js';
import { SharedLookupRateLimit } from './shared-rate-limit.js';
import { SharedReplayMemory, type LocalReplayStore } from './shared-replay-memory.js';

export interface ReplicaStoreOptions {
  /** REDIS_URL (with its password): never logged. */
  url: string;
  keyPrefix: string;
  cacheEncryptionKey: Buffer | undefined;
  /** Every replica of one site shares it: the key-hash secret comes from it when there is no CACHE_ENCRYPTION_KEY. */
  luminateApiKey: string;
  replicaId: string;
  logger: StoreLogger;
  /** The first level's TTL: how long an invalidation's floor must be remembered. */
  firstLevelTtlMs: number;
  lookupsPerMinute: number;
  /** The replay memory this replica keeps anyway (its own repeats, and everything while Redis is away). */
  localReplays: LocalReplayStore;
  replayWindowMs: number;
}

/**
 * Everything replicas share through one Redis: the caches' second level, the per-person limit and the
 * replay memory, over one connection (plus its pub/sub one). Each part falls back by itself while Redis
 * is away; the connection logs the outage once when it starts and once when it ends.
 */
export class ReplicaStore {
  readonly secondLevel: SecondLevel;
  readonly rateLimit: SharedLookupRateLimit;
  readonly replays: SharedReplayMemory;
  readonly #connection: RedisConnection;
  readonly #lock: ReplicaLock;
  readonly #invalidation: Invalidation;
  readonly #generations: SharedGenerations;

  constructor(options: ReplicaStoreOptions) {
    const connection = new RedisConnection({ url: options.url, logger: options.logger, name: `luminate-bot:${options.replicaId}` });
    const secrets = deriveStoreSecrets({ cacheEncryptionKey: options.cacheEncryptionKey, luminateApiKey: options.luminateApiKey });
    const keys = new KeyNamer({ prefix: options.keyPrefix, keyHashSecret: secrets.keyHashSecret, eventSecret: secrets.eventSecret });
    const cache = new SharedCache({ connection, keys, valueKey: secrets.valueKey });
    const resyncs = new Set<() => void>();
    const invalidation = new Invalidation({ connection, keys, floorTtlMs: options.firstLevelTtlMs, onResync: () => resyncs.forEach((r) => r()) });
    const lock = new ReplicaLock({ connection, cache });
    this.#connection = connection;
    this.#lock = lock;
    this.#invalidation = invalidation;
    const generations = new SharedGenerations({ connection, keys, entryTtlMs: options.firstLevelTtlMs });
    this.#generations = generations;
    this.rateLimit = new SharedLookupRateLimit({ perMinute: options.lookupsPerMinute, connection, keys });
    this.replays = new SharedReplayMemory({ connection, keys, local: options.localReplays, windowMs: options.replayWindowMs });
    this.secondLevel = {
      hash: (namespace, normalisedKey) => cache.hash(namespace, normalisedKey),
      fetchOnce: (namespace, hash, fetch, budget) => lock.fetchOnce(namespace, hash, fetch, budget),
      refresh: async <T>(namespace: string, hash: string, fetch: () => Promise<T>, ttl: { ttlMs: number }): Promise<SecondLevelEntry<T>> => {
        const refreshed = await lock.refresh(namespace, hash, fetch, ttl);
        // Also while Redis is away: no answer this replica fetched before the Refresh may be kept after it.
        invalidation.note(namespace, hash, refreshed.version);
        return refreshed;
      },
      get: (namespace, hash) => cache.get(namespace, hash),
      drop: (namespace, hash, version) => invalidation.drop(namespace, hash, version),
      accepts: (namespace, hash, version) => invalidation.accepts(namespace, hash, version),
      onDrop: (listener) => invalidation.onDrop(listener),
      onResync: (listener) => {
        resyncs.add(listener);
        return () => resyncs.delete(listener);
      },
      generations,
    };
  }

  status(): RedisStatus {
    return this.#connection.status();
  }

  /** Resolves once Redis answered, or false after `timeoutMs`: only to say at start whether it did. */
  waitUntilUp(timeoutMs: number): Promise<boolean> {
    return this.#connection.waitUntilUp(timeoutMs);
  }

  async close(): Promise<void> {
    this.#lock.close();
    this.#invalidation.close();
    this.#generations.close();
    await this.#connection.close();
  }
}
