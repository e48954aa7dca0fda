import { randomBytes } from 'node:crypto';
import { Invalidation } from '../../../src/store/invalidation.js';
import { deriveStoreSecrets, KeyNamer } from '../../../src/store/keys.js';
import { RedisConnection } from '../../../src/store/redis-connection.js';
import { ReplicaLock } from '../../../src/store/replica-lock.js';
import { SharedCache } from '../../../src/store/shared-cache.js';
import { recordingLogger, SHARED_REDIS_URL } from '../../support/redis.js';

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
  const keys = new KeyNamer({ prefix, keyHashSecret: secrets.keyHashSecret });
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
