import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { Invalidation } from '../../../src/store/invalidation.js';
import { deriveStoreSecrets, KeyNamer } from '../../../src/store/keys.js';
import { RedisConnection } from '../../../src/store/redis-connection.js';
import { ReplicaLock } from '../../../src/store/replica-lock.js';
import { SharedCache } from '../../../src/store/shared-cache.js';
import { deleteKeysUnder, inspector, recordingLogger, SHARED_REDIS_URL, startOwnRedis, uniquePrefix, type OwnRedis } from '../../support/redis.js';

export const API_KEY = 'replica-test-luminate-api-key';

/** What one replica builds from the config: the store's building blocks over its own connections. */
export function replica({
  prefix,
  url = SHARED_REDIS_URL,
  cacheEncryptionKey,
  lockTtlMs,
  onResync = () => undefined,
}: {
  prefix: string;
  url?: string;
  cacheEncryptionKey?: Buffer;
  lockTtlMs?: number;
  onResync?: () => void;
}) {
  const logger = recordingLogger();
  const connection = new RedisConnection({ url, logger, probeIntervalMs: 100 });
  const secrets = deriveStoreSecrets({ cacheEncryptionKey, luminateApiKey: API_KEY });
  const keys = new KeyNamer({ prefix, keyHashSecret: secrets.keyHashSecret, eventSecret: secrets.eventSecret });
  const cache = new SharedCache({ connection, keys, valueKey: secrets.valueKey });
  const lock = new ReplicaLock({ connection, cache, ...(lockTtlMs ? { lockTtlMs } : {}) });
  const invalidation = new Invalidation({ connection, keys, floorTtlMs: 60_000, onResync });
  return {
    logger,
    connection,
    keys,
    cache,
    lock,
    invalidation,
    close: async () => {
      lock.close();
      invalidation.close();
      await connection.close();
    },
  };
}

export type Replica = ReturnType<typeof replica>;

export const randomKey = (): Buffer => randomBytes(32);

/**
 * Hooks for a test file whose tests open replicas on one Redis: each test gets a fresh key prefix
 * (`fresh()`), and after each the replicas are closed, own servers stopped and the prefix's keys deleted.
 */
export function useReplicas(label: string) {
  const state = { redis: undefined as unknown as Redis, prefix: uniquePrefix(label) };
  const opened: Replica[] = [];
  const servers: OwnRedis[] = [];
  beforeAll(() => {
    state.redis = inspector();
  });
  beforeEach(() => {
    state.prefix = uniquePrefix(label);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((r) => r.close()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await deleteKeysUnder(state.redis, state.prefix);
  });
  afterAll(() => state.redis.disconnect());
  return {
    get redis() {
      return state.redis;
    },
    get prefix() {
      return state.prefix;
    },
    /** A replica on this test's prefix (or `prefix`), connected. */
    open: async (options: Omit<Parameters<typeof replica>[0], 'prefix'> & { prefix?: string } = {}) => {
      const r = replica({ prefix: state.prefix, ...options });
      opened.push(r);
      await r.connection.waitUntilUp(5000);
      return r;
    },
    /** A redis-server of the test's own, stopped after it. */
    ownRedis: async (options?: { password?: string }) => {
      const server = await startOwnRedis(options);
      servers.push(server);
      return server;
    },
  };
}
