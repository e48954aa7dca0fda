import { expect, it } from 'vitest';
import { describeWithRedis, eventually } from '../../support/redis.js';
import { randomKey, useReplicas, type Replica } from './replica.js';

const NS = 'interaction';

/** A replica's first level as part 2 will keep it: by key hash, each value with its version. */
function firstLevel(r: Replica) {
  const entries = new Map<string, { value: string; version: number }>();
  r.invalidation.onDrop((ns, hash, version) => {
    const entry = entries.get(`${ns} ${hash}`);
    if (entry && entry.version < version) entries.delete(`${ns} ${hash}`);
  });
  return {
    entries,
    put: (hash: string, value: string, version: number) => {
      if (r.invalidation.accepts(NS, hash, version)) entries.set(`${NS} ${hash}`, { value, version });
    },
    get: (hash: string) => entries.get(`${NS} ${hash}`)?.value,
  };
}

describeWithRedis('Invalidation (real Redis, two connections)', () => {
  const t = useReplicas('inval');
  const open = t.open;

  /** Pub/sub subscriptions are made in the background: wait until a write is heard. */
  async function subscribed(writer: Replica, listener: Replica) {
    const hash = writer.cache.hash(NS, 'warm-up');
    let heard = false;
    const off = listener.invalidation.onDrop((_ns, h) => (heard ||= h === hash));
    await eventually(async () => {
      await writer.cache.set(NS, hash, 'x', { ttlMs: 1000, version: Date.now(), force: true });
      return heard;
    }, 'the subscription to carry messages');
    off();
  }

  it('a Refresh on one replica drops the older answer from the other first level, and the older one cannot come back', async () => {
    const a = await open();
    const b = await open();
    await subscribed(a, b);
    const hash = a.cache.hash(NS, 'email|jane@example.org|42');
    const l1b = firstLevel(b);

    // Both replicas have the answer of version 1000.
    await a.cache.set(NS, hash, 'v1', { ttlMs: 30_000, version: 1000 });
    const shared = (await b.cache.get<string>(NS, hash))!;
    l1b.put(hash, shared.value, shared.version);
    expect(l1b.get(hash)).toBe('v1');

    // B reads the shared answer once more (a lookup in flight), then A refreshes.
    const inFlight = (await b.cache.get<string>(NS, hash))!;
    const refreshed = await a.lock.refresh(NS, hash, async () => 'v2', { ttlMs: 30_000 });
    await eventually(() => l1b.get(hash) === undefined, 'B to drop its older copy');
    // The read that started before the Refresh lands now: it must not bring v1 back.
    l1b.put(hash, inFlight.value, inFlight.version);
    expect(l1b.get(hash)).toBeUndefined();
    // B's next lookup reads the new answer and keeps it.
    const next = (await b.cache.get<string>(NS, hash))!;
    expect(next).toEqual({ value: 'v2', version: refreshed.version });
    l1b.put(hash, next.value, next.version);
    expect(l1b.get(hash)).toBe('v2');
  });

  it('ignores events that are unsigned, signed by another deployment, or far ahead of its clock', async () => {
    const a = await open();
    const b = await open();
    await subscribed(a, b);
    const other = await open({ cacheEncryptionKey: randomKey(), prefix: a.keys.prefix });
    const hash = a.cache.hash(NS, 'email|jane@example.org|7');
    const heard: number[] = [];
    b.invalidation.onDrop((_ns, h, version) => void (h === hash && heard.push(version)));
    const channel = `${a.keys.prefix}events`;
    const ahead = Date.now() + 10 * 60_000;
    await t.redis.publish(channel, `set ${NS} ${hash} 9999999999999`);
    await t.redis.publish(channel, other.keys.signEvent(`set ${NS} ${hash} 8000`));
    await t.redis.publish(channel, a.keys.signEvent(`set ${NS} ${hash} ${ahead}`));
    await t.redis.publish(channel, `${a.keys.signEvent(`set ${NS} ${hash} 7000`).slice(0, -2)}AA`);
    await t.redis.publish(channel, a.keys.signEvent(`set ${NS} ${hash} 6000`));
    await eventually(() => heard.length > 0, 'the signed event');
    expect(heard).toEqual([6000]);
    expect(b.invalidation.accepts(NS, hash, 6000)).toBe(true);
  });

  it('drop() deletes the shared answer and makes other replicas forget theirs', async () => {
    const a = await open();
    const b = await open();
    await subscribed(a, b);
    const hash = a.cache.hash(NS, 'gone');
    const l1b = firstLevel(b);
    await a.cache.set(NS, hash, 'v1', { ttlMs: 30_000, version: 1000 });
    l1b.put(hash, 'v1', 1000);
    await a.invalidation.drop(NS, hash, 2000);
    await eventually(() => l1b.get(hash) === undefined, 'B to drop it');
    expect(await b.cache.get(NS, hash)).toBeUndefined();
  });

  it('asks for a resync (drop the whole first level) when pub/sub reconnects, since messages may have been lost', async () => {
    const own = await t.ownRedis();
    let resyncs = 0;
    const a = await open({ url: own.url, onResync: () => resyncs++ });
    const b = await open({ url: own.url });
    await subscribed(b, a);
    await own.restart();
    await eventually(() => resyncs === 1, 'a resync after the restart', 15_000);
  });
});
