import { expect, it, vi } from 'vitest';
import { MemoryReplayStore } from '../../../src/access/replay-guard.js';
import { SharedLookupRateLimit } from '../../../src/store/shared-rate-limit.js';
import { SharedReplayMemory } from '../../../src/store/shared-replay-memory.js';
import { describeWithRedis, eventually, inspector, keysUnder, pauseRedis } from '../../support/redis.js';
import { useReplicas, type Replica } from './replica.js';

describeWithRedis('Shared rate limit and replay memory (real Redis)', () => {
  const t = useReplicas('limits');
  const open = t.open;
  const limiter = (r: Replica, perMinute: number) => new SharedLookupRateLimit({ perMinute, connection: r.connection, keys: r.keys });
  const replay = (r: Replica) => new SharedReplayMemory({ connection: r.connection, keys: r.keys, local: new MemoryReplayStore(), windowMs: 600_000 });

  it('holds LOOKUP_RATE_PER_MINUTE across two replicas, under a hashed key with a TTL', async () => {
    const [a, b] = [limiter(await open(), 5), limiter(await open(), 5)];
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await (i % 2 ? b : a).take('U0ALICE'));
    expect(decisions.slice(0, 5)).toEqual(Array(5).fill({ allowed: true }));
    expect(decisions[5]).toMatchObject({ allowed: false });
    const refused = decisions[5] as { retryAfterMs: number };
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(await b.peek('U0ALICE')).toMatchObject({ allowed: false });
    // Someone else is not affected.
    expect(await b.take('U0BOB')).toEqual({ allowed: true });
    expect(await a.peek('U0CAROL')).toEqual({ allowed: true });

    const keys = await keysUnder(t.redis, t.prefix);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).not.toMatch(/ALICE|BOB/);
      expect(await t.redis.pttl(key)).toBeGreaterThan(0);
    }
  });

  it('falls back to a per-replica limit when Redis is killed, and shares again when it is back', async () => {
    const own = await t.ownRedis();
    const ra = await open({ url: own.url });
    const rb = await open({ url: own.url });
    const [a, b] = [limiter(ra, 3), limiter(rb, 3)];
    await own.stop();
    await eventually(() => ra.connection.status() === 'down' && rb.connection.status() === 'down', 'both to notice');
    // Each replica counts on its own: 3 each, and nobody is refused for Redis being away.
    for (let i = 0; i < 3; i++) {
      expect(await a.take('U0ALICE')).toEqual({ allowed: true });
      expect(await b.take('U0ALICE')).toEqual({ allowed: true });
    }
    expect(await a.take('U0ALICE')).toMatchObject({ allowed: false });
    expect(ra.logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1);

    await own.restart();
    await eventually(() => ra.connection.status() === 'up' && rb.connection.status() === 'up', 'both to reconnect', 15_000);
    // Redis came back empty: one shared count again.
    for (let i = 0; i < 3; i++) expect(await (i % 2 ? b : a).take('U0DAVE')).toEqual({ allowed: true });
    expect(await b.take('U0DAVE')).toMatchObject({ allowed: false });
  });

  it('a slow Redis costs the limiter at most its timeout, then it counts in memory until Redis answers', async () => {
    const own = await t.ownRedis();
    const ra = await open({ url: own.url });
    const a = limiter(ra, 100);
    // Redis answers nobody for 3 s, from before the first take is sent.
    await pauseRedis(own.url, 3000);
    const started = performance.now();
    expect(await a.take('U0ALICE')).toEqual({ allowed: true });
    // The 250 ms timeout plus generous room for a loaded machine; waiting for Redis would take 3 s.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(ra.connection.status()).toBe('down');
    // Counted in memory without trying Redis (the connection's own PING probe aside).
    const sent = vi.spyOn(ra.connection.client, 'sendCommand');
    expect(await a.take('U0ALICE')).toEqual({ allowed: true });
    expect(sent.mock.calls.map(([command]) => command.name).filter((name) => name !== 'ping')).toEqual([]);
  });

  it('shares the replay memory: a request replayed to the other replica is refused there, with the window as TTL', async () => {
    const [a, b] = [replay(await open()), replay(await open())];
    const key = 'block_actions|T0TEAM|U0ALICE|trigger-1|1700000000.1/blk/act';
    expect(await a.firstSeen(key)).toBe(true);
    expect(await b.firstSeen(key)).toBe(false);
    expect(await a.firstSeen(key)).toBe(false);
    expect(await b.firstSeen('another')).toBe(true);
    const keys = await keysUnder(t.redis, t.prefix);
    expect(keys).toHaveLength(2);
    for (const name of keys) {
      expect(name).not.toMatch(/ALICE|trigger/);
      const ttl = await t.redis.pttl(name);
      expect(ttl).toBeGreaterThan(590_000);
      expect(ttl).toBeLessThanOrEqual(600_000);
    }
  });

  it('falls back to this replica\'s memory for the replay memory when Redis is down', async () => {
    const own = await t.ownRedis();
    const r = await open({ url: own.url });
    const a = replay(r);
    await own.stop();
    await eventually(() => r.connection.status() === 'down', 'the outage to be noticed');
    expect(await a.firstSeen('k1')).toBe(true);
    expect(await a.firstSeen('k1')).toBe(false);
  });

  it('claims a log once across replicas, and fails closed (holding nothing) when Redis is down', async () => {
    const [a, b] = [replay(await open()), replay(await open())];
    expect(await a.claimOnce('log-view|x')).toBe('first');
    expect(await b.claimOnce('log-view|x')).toBe('repeat');
    expect(await a.claimOnce('log-view|x')).toBe('repeat');

    const own = await t.ownRedis();
    const r = await open({ url: own.url });
    const c = replay(r);
    await own.stop();
    await eventually(() => r.connection.status() === 'down', 'the outage to be noticed');
    expect(await c.claimOnce('log-view|y')).toBe('unconfirmed');
    // Not remembered locally either: the person's retry is not a "repeat" of a log never sent.
    expect(await c.claimOnce('log-view|y')).toBe('unconfirmed');
  });

  it('releases a log claim that reached a slow Redis after its timeout, so the retry on any replica is first', async () => {
    const own = await t.ownRedis();
    const [ra, rb] = [await open({ url: own.url }), await open({ url: own.url })];
    // The first release waits until the late SET is surely visible, so the test sees it land, then go.
    const a = new SharedReplayMemory({ connection: ra.connection, keys: ra.keys, local: new MemoryReplayStore(), windowMs: 600_000, releaseRetryMs: [6000, 1000, 1000, 1000] });
    const b = replay(rb);
    const admin = inspector(own.url);
    try {
      // CLIENT PAUSE is in force once it answers (a DEBUG SLEEP sent just before may not have started yet).
      await pauseRedis(own.url, 2000);
      expect(await a.claimOnce('log-view|late')).toBe('unconfirmed');
      // The SET landed once Redis woke up; until it is released, the other replica sees a repeat.
      await eventually(() => ra.connection.status() === 'up' && rb.connection.status() === 'up', 'both to see Redis again', 15_000);
      expect(await keysUnder(admin, t.prefix)).toHaveLength(1);
      expect(await b.claimOnce('log-view|late')).toBe('repeat');
      await eventually(async () => (await keysUnder(admin, t.prefix)).length === 0, 'the late claim to be released', 15_000);
      expect(await b.claimOnce('log-view|late')).toBe('first');
    } finally {
      admin.disconnect();
    }
  });
});
