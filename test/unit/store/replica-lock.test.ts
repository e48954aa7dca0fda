import { expect, it } from 'vitest';
import { describeWithRedis, eventually, keysUnder } from '../../support/redis.js';
import { useReplicas } from './replica.js';

const NS = 'interaction';

/** A fetch that counts its calls and answers when told to (or at once). */
function upstream<T>(answer: T) {
  const gate: { open: () => void; opened: Promise<void> } = { open: () => undefined, opened: Promise.resolve() };
  gate.opened = new Promise<void>((resolve) => (gate.open = resolve));
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    release: () => gate.open(),
    fetch: async () => {
      calls++;
      await gate.opened;
      return answer;
    },
  };
}

describeWithRedis('ReplicaLock (real Redis)', () => {
  const t = useReplicas('lock');
  const open = t.open;

  it('makes one upstream call for a stampede over three replicas; the others get the answer when it lands', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    const hash = a.cache.hash(NS, 'email|jane@example.org|42');
    const luminate = upstream({ id: 42 });
    const results = Promise.all([a, b, c].map((r) => r.lock.fetchOnce(NS, hash, luminate.fetch, { budgetMs: 10_000, ttlMs: 30_000 })));
    await eventually(() => luminate.calls === 1, 'the holder to start fetching');
    await new Promise((r) => setTimeout(r, 300)); // the others are waiting, not fetching
    expect(luminate.calls).toBe(1);
    luminate.release();
    const answers = await results;
    expect(luminate.calls).toBe(1);
    expect(answers.map((x) => x.value)).toEqual([{ id: 42 }, { id: 42 }, { id: 42 }]);
    expect(answers.map((x) => x.source).sort()).toEqual(['fetched', 'waited', 'waited']);
    expect(new Set(answers.map((x) => x.version)).size).toBe(1);
    // The answer is shared now; the lock is gone; every key has a TTL.
    expect((await a.lock.fetchOnce(NS, hash, luminate.fetch, { budgetMs: 1000, ttlMs: 30_000 })).source).toBe('shared');
    const keys = await keysUnder(t.redis, t.prefix);
    expect(keys).toEqual([a.keys.name(NS, hash)]);
    for (const key of keys) expect(await t.redis.pttl(key)).toBeGreaterThan(0);
  });

  it('takes over when the holder dies: its lock expires and a waiter fetches', async () => {
    const a = await open({ lockTtlMs: 600 });
    const hash = a.cache.hash(NS, 'k');
    // A holder that took the lock and then died (no renewals, no answer).
    await t.redis.set(a.keys.name(NS, hash, ':lock'), 'dead-holder-token', 'PX', 600);
    expect(await t.redis.pttl(a.keys.name(NS, hash, ':lock'))).toBeGreaterThan(0);
    const luminate = upstream('answer');
    luminate.release();
    const started = performance.now();
    const result = await a.lock.fetchOnce(NS, hash, luminate.fetch, { budgetMs: 10_000, ttlMs: 10_000 });
    expect(result).toMatchObject({ value: 'answer', source: 'fetched' });
    expect(luminate.calls).toBe(1);
    // Not before the lock expired; well before the budget.
    expect(performance.now() - started).toBeGreaterThan(400);
    expect(performance.now() - started).toBeLessThan(8000);
  });

  it('keeps the lock while a slow fetch outlasts its TTL, so nobody else calls', async () => {
    const a = await open({ lockTtlMs: 300 });
    const b = await open({ lockTtlMs: 300 });
    const hash = a.cache.hash(NS, 'slow');
    const luminate = upstream('slow answer');
    const first = a.lock.fetchOnce(NS, hash, luminate.fetch, { budgetMs: 10_000, ttlMs: 10_000 });
    await eventually(() => luminate.calls === 1, 'the first fetch to start');
    const second = b.lock.fetchOnce(NS, hash, luminate.fetch, { budgetMs: 10_000, ttlMs: 10_000 });
    await new Promise((r) => setTimeout(r, 1200)); // four lock TTLs
    expect(luminate.calls).toBe(1);
    luminate.release();
    expect((await Promise.all([first, second])).map((r) => r.value)).toEqual(['slow answer', 'slow answer']);
    expect(luminate.calls).toBe(1);
  });

  it('does not store a failure; after it, one waiter fetches while the others keep waiting (no stampede)', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    const hash = a.cache.hash(NS, 'flaky');
    let calls = 0;
    let failNext = true;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const fetch = async () => {
      calls++;
      await gate;
      if (failNext) {
        failNext = false;
        throw new Error('Luminate timed out');
      }
      return 'second try';
    };
    const settled = [a, b, c].map((r) => r.lock.fetchOnce(NS, hash, fetch, { budgetMs: 10_000, ttlMs: 10_000 }).then((v) => v.value, (e: Error) => `error: ${e.message}`));
    await eventually(() => calls === 1, 'the first fetch');
    release();
    const outcomes = await Promise.all(settled);
    expect(outcomes.filter((o) => o === 'error: Luminate timed out')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'second try')).toHaveLength(2);
    expect(calls).toBe(2);
  });

  it('a waiter whose budget runs out fetches itself rather than fail', async () => {
    const a = await open();
    const hash = a.cache.hash(NS, 'stuck');
    await t.redis.set(a.keys.name(NS, hash, ':lock'), 'stuck-holder', 'PX', 30_000);
    const luminate = upstream('mine');
    luminate.release();
    const result = await a.lock.fetchOnce(NS, hash, luminate.fetch, { budgetMs: 300, ttlMs: 10_000 });
    expect(result).toMatchObject({ value: 'mine', source: 'fetched' });
    expect(await a.cache.get(NS, hash)).toMatchObject({ value: 'mine' });
  });

  it('refresh replaces the shared answer above any version, whoever holds the lock', async () => {
    const a = await open();
    const hash = a.cache.hash(NS, 'r');
    await a.cache.set(NS, hash, 'old', { ttlMs: 10_000, version: Date.now() + 60_000 }); // a replica whose clock runs ahead
    const result = await a.lock.refresh(NS, hash, async () => 'new', { ttlMs: 10_000 });
    expect(result.value).toBe('new');
    expect(await a.cache.get(NS, hash)).toEqual({ value: 'new', version: result.version });
  });

  it('just fetches when Redis is down', async () => {
    const own = await t.ownRedis();
    const a = await open({ url: own.url });
    await own.stop();
    await eventually(() => a.connection.status() === 'down', 'the outage to be noticed');
    const luminate = upstream('alone');
    luminate.release();
    expect(await a.lock.fetchOnce(NS, a.cache.hash(NS, 'k'), luminate.fetch, { budgetMs: 1000, ttlMs: 1000 })).toMatchObject({ value: 'alone', source: 'fetched' });
  });
});
