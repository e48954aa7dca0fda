import { afterEach, describe, expect, it } from 'vitest';
import { RedisConnection } from '../../../src/store/redis-connection.js';
import { describeWithRedis, eventually, pauseRedis, recordingLogger, startOwnRedis, type OwnRedis } from '../../support/redis.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function connect(url: string, options: Partial<ConstructorParameters<typeof RedisConnection>[0]> = {}) {
  const logger = recordingLogger();
  const connection = new RedisConnection({ url, logger, probeIntervalMs: 100, ...options });
  cleanups.push(() => connection.close());
  return { connection, logger };
}

async function ownRedis(options?: { password?: string }): Promise<OwnRedis> {
  const redis = await startOwnRedis(options);
  cleanups.push(() => redis.stop());
  return redis;
}

describeWithRedis('RedisConnection', () => {
  it('logs one info line when connected, then one warn line per outage and one info line when back, however many commands fail', async () => {
    const redis = await ownRedis();
    const { connection, logger } = connect(redis.url);
    expect(await connection.waitUntilUp(5000)).toBe(true);
    expect(logger.lines.map((l) => l.level)).toEqual(['info']);

    await redis.stop();
    await eventually(() => connection.status() === 'down', 'the connection to notice Redis went away');
    // Many requests during the outage: each falls back at once, none logs.
    const results = await Promise.all(Array.from({ length: 50 }, () => connection.run((c) => c.get('k'))));
    expect(results.every((r) => !r.ok)).toBe(true);
    // Reconnect attempts keep failing meanwhile; give them time to (not) log.
    await new Promise((r) => setTimeout(r, 500));
    expect(logger.lines.map((l) => l.level)).toEqual(['info', 'warn']);
    expect(logger.lines[1]!.msg).toMatch(/Redis is unreachable: this replica answers on its own/);

    await redis.restart();
    await eventually(() => connection.status() === 'up', 'the connection to come back by itself', 15_000);
    expect((await connection.run((c) => c.set('k', 'v', 'PX', 1000))).ok).toBe(true);
    expect(logger.lines.map((l) => l.level)).toEqual(['info', 'warn', 'info']);
    expect(logger.lines[2]!.msg).toMatch(/Redis is back/);
  });

  it('starts when Redis is unreachable, says so once, and connects when it appears', async () => {
    const redis = await ownRedis();
    await redis.stop();
    const { connection, logger } = connect(redis.url);
    await eventually(() => logger.lines.length > 0, 'a log line about Redis at start');
    expect(connection.status()).toBe('down');
    expect(await connection.run((c) => c.ping())).toEqual({ ok: false });
    await new Promise((r) => setTimeout(r, 500));
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({ level: 'warn', msg: expect.stringMatching(/unreachable at start/) });

    await redis.restart();
    await eventually(() => connection.status() === 'up', 'the connection to come up by itself', 15_000);
    expect(logger.lines.map((l) => l.level)).toEqual(['warn', 'info']);
  });

  it('bounds a slow Redis by the command timeout, skips it while slow, and notices when it answers again', async () => {
    const redis = await ownRedis();
    const { connection, logger } = connect(redis.url, { commandTimeoutMs: 250 });
    expect(await connection.waitUntilUp(5000)).toBe(true);
    // The server stops answering anyone for 3 s, from before the command below is sent.
    await pauseRedis(redis.url, 3000);

    const started = performance.now();
    expect(await connection.run((c) => c.get('k'))).toEqual({ ok: false });
    const took = performance.now() - started;
    // 250 ms plus generous room for a loaded machine; without the timeout this takes 3 s.
    expect(took).toBeLessThan(2000);
    expect(connection.status()).toBe('down');
    // While down, commands are not even tried.
    let tried = false;
    const skipped = await connection.run((c) => {
      tried = true;
      return c.get('k');
    });
    expect(skipped).toEqual({ ok: false });
    expect(tried).toBe(false);

    await eventually(() => connection.status() === 'up', 'the probe to find Redis answering again', 10_000);
    expect(logger.lines.map((l) => [l.level, l.fields?.reason])).toEqual([
      ['info', undefined],
      ['warn', 'timed out'],
      ['info', undefined],
    ]);
  });

  it('authenticates with the password in the URL and never logs it', async () => {
    const password = 'sw0rdfish-redis-pass';
    const redis = await ownRedis({ password });
    const { connection, logger } = connect(redis.url);
    expect(await connection.waitUntilUp(5000)).toBe(true);
    expect((await connection.run((c) => c.ping())).ok).toBe(true);

    const wrong = connect(redis.url.replace(password, 'not-the-password'));
    await eventually(() => wrong.logger.lines.length > 0, 'a log line about the refused password');
    expect(wrong.connection.status()).toBe('down');
    expect(wrong.logger.lines[0]!.fields).toEqual({ reason: 'authentication failed' });
    const everything = JSON.stringify([...logger.lines, ...wrong.logger.lines]);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('not-the-password');
    expect(everything).not.toContain(String(redis.port));
  });

  it('delivers published messages to subscribers on another connection, and announces a resync after pub/sub reconnects', async () => {
    const redis = await ownRedis();
    const a = connect(redis.url).connection;
    const b = connect(redis.url).connection;
    const received: string[] = [];
    let resyncs = 0;
    b.subscribe('chan', (m) => received.push(m));
    b.onResync(() => resyncs++);
    expect(await a.waitUntilUp(5000)).toBe(true);
    await eventually(async () => (await a.publish('chan', 'ping')) && received.includes('ping'), 'the subscriber to receive');
    expect(resyncs).toBe(0);

    await redis.restart();
    await eventually(() => resyncs === 1, 'the subscriber to reconnect and ask for a resync', 15_000);
    await eventually(() => a.status() === 'up', 'the publisher to reconnect', 15_000);
    await eventually(async () => (await a.publish('chan', 'again')) && received.includes('again'), 'delivery after the restart (resubscribed)');
  });
});

describe('RedisConnection without Redis', () => {
  it('never throws from run() and never hangs while nothing listens', async () => {
    const { connection } = connect('redis://127.0.0.1:1');
    const started = performance.now();
    expect(await connection.run((c) => c.get('k'))).toEqual({ ok: false });
    expect(performance.now() - started).toBeLessThan(500);
  });
});
