import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Where `--replicas` looks for Redis unless REDIS_URL says otherwise: the one every session's machine starts. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** `--replicas` was asked for and no Redis answered: said in one line, without a stack. */
export class NoRedisError extends Error {}

/** The URL without its password or database, for messages. */
const where = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'REDIS_URL (malformed)';
  }
};

const client = (url: string) =>
  new Redis(url, { lazyConnect: true, connectTimeout: 1000, commandTimeout: 2000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });

/**
 * The Redis the replicas will share, checked before anything starts: a benchmark of replicas whose
 * Redis is missing would measure each replica's fallback to its own memory, not sharing.
 * @throws {NoRedisError} saying where it looked and how to start one.
 */
export async function checkRedis(url: string): Promise<void> {
  const redis = client(url);
  // The socket's own error (ECONNREFUSED, a timeout) says more than the "Connection is closed" that follows it.
  let cause: Error | undefined;
  redis.on('error', (error: Error) => (cause ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new NoRedisError(
      `npm run bench -- --replicas needs Redis, and none answered at ${where(url)} (${(cause ?? (error as Error)).message.split('\n')[0]}). ` +
        'Start one (redis-server --port 6379 --save "" --appendonly no) or set REDIS_URL, then run it again.',
    );
  } finally {
    redis.disconnect();
  }
}

/** A key prefix of this run's own, so that nothing else's keys are read or removed. */
export const benchKeyPrefix = () => `luminate-bench-${randomBytes(4).toString('hex')}:`;

/** Removes this run's keys (SCAN, not KEYS: the Redis may be shared). Best effort: every key has a TTL anyway. */
export async function removeKeys(url: string, prefix: string): Promise<void> {
  const redis = client(url);
  redis.on('error', () => {});
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Left to expire.
  } finally {
    redis.disconnect();
  }
}
