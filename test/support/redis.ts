import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, connect } from 'node:net';
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';

/** The Redis every session's machine starts (and .ci/run makes sure of). */
export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

/** Whether something answers PING at `port` within `timeoutMs`, without any client library. */
export function redisAvailable({ port = 6379, password, timeoutMs = 500 }: { port?: number; password?: string; timeoutMs?: number } = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write(`${password ? `AUTH ${password}\r\n` : ''}PING\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('+PONG')) done(true);
      else if (reply.includes('-')) done(false);
    });
  });
}

const serverOnPath = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
// Generous: a loaded machine can take over half a second to answer; with no Redis the connection is refused at once.
const sharedUp = await redisAvailable({ timeoutMs: 5000 });

const HOW_TO_RUN = 'start one with `redis-server --port 6379 --save "" --appendonly no` (redis-server must be on PATH) and run npm test again';

/**
 * `describe` for tests that need the real Redis at 127.0.0.1:6379 and `redis-server` on PATH.
 * Without them the tests are skipped with a title that says why and how to run them, except under
 * `REQUIRE_REDIS=1` (set by .ci/run), where a missing Redis is a failure instead.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (sharedUp && serverOnPath) {
    describe(name, body);
    return;
  }
  const why = !sharedUp ? 'no Redis answers at 127.0.0.1:6379' : 'redis-server is not on PATH';
  if (process.env.REQUIRE_REDIS === '1') {
    describe(name, () => {
      it('needs Redis (REQUIRE_REDIS=1)', () => {
        throw new Error(`${why}: these tests must run here; ${HOW_TO_RUN}`);
      });
    });
    return;
  }
  // stderr, not stdout (test/support/no-stdout.ts): the default reporter shows a skipped file as one line, without titles.
  process.stderr.write(`Redis tests skipped ("${name}"): ${why}; ${HOW_TO_RUN}\n`);
  describe.skip(`${name} — skipped: ${why}; ${HOW_TO_RUN}`, body);
}

/** A key prefix no other test uses, so tests sharing one Redis never see each other's keys. */
export function uniquePrefix(label = 'test'): string {
  return `lbt-${label}-${randomBytes(4).toString('hex')}:`;
}

/** Every key under `prefix` (SCAN, not KEYS), for assertions and clean-up. */
export async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}

export async function deleteKeysUnder(client: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(client, prefix);
  if (keys.length > 0) await client.del(...keys);
}

/**
 * Makes the server at `url` answer nobody for `ms` (CLIENT PAUSE ALL): a slow Redis. Resolves once the
 * pause is in force (its own reply comes first), so the next command anyone sends waits for sure.
 */
export async function pauseRedis(url: string, ms: number): Promise<void> {
  const admin = inspector(url);
  try {
    await admin.client('PAUSE', ms, 'ALL');
  } finally {
    admin.disconnect();
  }
}

/** A plain client for looking at what the code under test wrote. */
export function inspector(url = SHARED_REDIS_URL): Redis {
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

export interface OwnRedis {
  port: number;
  /** With the password, when there is one. */
  url: string;
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is saved). */
  restart(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A redis-server of this test's own on a free port, for tests that stop, slow or restart it. */
export async function startOwnRedis({ password }: { password?: string } = {}): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(password ? ['--requirepass', password] : [])];
    child = spawn('redis-server', args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await redisAvailable({ port, password, timeoutMs: 200 }))) {
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await start();
  return {
    port,
    url: `redis://${password ? `:${encodeURIComponent(password)}@` : ''}127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}

/** Resolves when `check` holds, polling; fails the test with `what` after `timeoutMs` (generous: 2 shared cores). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Lines a logger received, for asserting on log output without writing to stdout. */
export function recordingLogger(): { lines: { level: 'info' | 'warn'; msg: string; fields?: Record<string, unknown> }[]; info(msg: string, fields?: Record<string, unknown>): void; warn(msg: string, fields?: Record<string, unknown>): void } {
  const lines: { level: 'info' | 'warn'; msg: string; fields?: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (msg, fields) => void lines.push({ level: 'info', msg, ...(fields ? { fields } : {}) }),
    warn: (msg, fields) => void lines.push({ level: 'warn', msg, ...(fields ? { fields } : {}) }),
  };
}
