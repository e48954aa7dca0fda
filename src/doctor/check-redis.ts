import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';

export interface RedisCheck {
  ok: boolean;
  detail: string;
}

/**
 * Can this replica use the Redis in `REDIS_URL`? Connects once (no retries), authenticates, times a
 * PING, reads the server version, and writes a key under the prefix with a TTL, reads it back and
 * deletes it. Says what to fix; never prints the URL (it holds the password), only host and port.
 */
export async function checkRedis({ url, keyPrefix, timeoutMs = 3000 }: { url: string; keyPrefix: string; timeoutMs?: number }): Promise<RedisCheck> {
  const { hostname, port, protocol } = new URL(url);
  const where = `${hostname}:${port || 6379}${protocol === 'rediss:' ? ' (TLS)' : ''}`;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  // connect() rejects with a bare "Connection is closed"; the reason (refused, wrong password) comes as an event.
  let lastError: unknown;
  client.on('error', (error: unknown) => (lastError = error));
  try {
    try {
      await client.connect();
    } catch (error) {
      return { ok: false, detail: connectProblem(lastError ?? error, where) };
    }
    const started = performance.now();
    await client.ping();
    const roundTripMs = performance.now() - started;
    const version = /^redis_version:([\w.-]{1,32})\s*$/m.exec(await client.info('server'))?.[1] ?? 'unknown';
    const key = `${keyPrefix}doctor:${randomBytes(6).toString('hex')}`;
    const value = randomBytes(6).toString('hex');
    await client.set(key, value, 'PX', 10_000);
    const [readBack, ttl] = await Promise.all([client.get(key), client.pttl(key)]);
    await client.del(key);
    if (readBack !== value || ttl <= 0) {
      return { ok: false, detail: `Redis at ${where} did not keep a test key under ${keyPrefix} with its TTL: is it a read-only replica, or full with an eviction policy of noeviction?` };
    }
    return {
      ok: true,
      detail: `Redis ${version} at ${where} answers (round trip ${roundTripMs.toFixed(1)} ms); a key under "${keyPrefix}" was written with a TTL, read back and deleted`,
    };
  } catch (error) {
    return { ok: false, detail: commandProblem(error, where) };
  } finally {
    client.disconnect();
  }
}

function connectProblem(error: unknown, where: string): string {
  if (/WRONGPASS|NOAUTH|NOPERM|invalid password|invalid username/i.test(error instanceof Error ? error.message : '')) return commandProblem(error, where);
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the Redis host in REDIS_URL (${where}) does not resolve: check the host name`;
  return `could not reach Redis at ${where}${typeof code === 'string' && /^[A-Z]{2,20}$/.test(code) ? ` (${code})` : ''}: check the host and port in REDIS_URL, that Redis runs, and that this machine may connect to it`;
}

function commandProblem(error: unknown, where: string): string {
  const message = error instanceof Error ? error.message : '';
  if (/WRONGPASS|invalid password|invalid username/i.test(message)) return `Redis at ${where} refused the password in REDIS_URL: check it (redis://:PASSWORD@host:port/db)`;
  if (/NOAUTH/.test(message)) return `Redis at ${where} requires a password: put it in REDIS_URL (redis://:PASSWORD@host:port/db)`;
  if (/NOPERM/.test(message)) return `Redis at ${where} refused a command to this user (ACL): it needs GET, SET, DEL, EVAL, PUBLISH and SUBSCRIBE on keys under the prefix`;
  if (/timed out|timeout/i.test(message)) return `Redis at ${where} did not answer within the check's time: check the host and port in REDIS_URL, and the network between here and Redis`;
  return `Redis at ${where} failed the check: check REDIS_URL and the Redis server's log`;
}
