import { MemoryReplayStore, REPLAY_WINDOW_MS } from './access/replay-guard.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { StoreLogger } from './store/redis-connection.js';
import { ReplicaStore } from './store/replica-store.js';

/**
 * The store a deployment's config asks for, or undefined without REDIS_URL (each process then keeps its
 * own, in memory). Here rather than in store/: config is read at the top, and store/ stays below it.
 */
export function replicaStoreFromConfig(config: Config, logger: StoreLogger, clock: Clock = Date.now): ReplicaStore | undefined {
  const { url, keyPrefix, cacheEncryptionKey } = config.redis;
  if (url === undefined) return undefined;
  return new ReplicaStore({
    url,
    keyPrefix,
    cacheEncryptionKey,
    luminateApiKey: config.luminate.apiKey,
    replicaId: config.replicaId,
    logger,
    firstLevelTtlMs: config.cache.ttlSeconds * 1000,
    lookupsPerMinute: config.access.lookupsPerMinute,
    localReplays: new MemoryReplayStore({ clock }),
    replayWindowMs: REPLAY_WINDOW_MS,
  });
}
