import { expect, it } from 'vitest';
import { describeWithRedis, eventually, keysUnder } from '../../support/redis.js';
import { randomKey, useReplicas } from './replica.js';

const DONOR = { email: 'Jane.Donor@example.org', consId: '1000123', name: 'Jane Donor' };

describeWithRedis('SharedCache (real Redis)', () => {
  const t = useReplicas('cache');
  const open = t.open;
  it('round-trips a value between two replicas, with a TTL on the key and no donor data in its name or body when encrypted', async () => {
    const key = randomKey();
    const a = await open({ cacheEncryptionKey: key });
    const b = await open({ cacheEncryptionKey: key, prefix: a.keys.prefix });
    const hash = a.cache.hash('interaction', `email|${DONOR.email.toLowerCase()}|42`);
    expect(b.cache.hash('interaction', `email|${DONOR.email.toLowerCase()}|42`)).toBe(hash);

    expect(await a.cache.set('interaction', hash, { donor: DONOR, note: 'called' }, { ttlMs: 30_000, version: 1000 })).toBe(1000);
    expect(await b.cache.get('interaction', hash)).toEqual({ value: { donor: DONOR, note: 'called' }, version: 1000 });

    const names = await keysUnder(t.redis, a.keys.prefix);
    expect(names).toEqual([`${a.keys.prefix}interaction:${hash}`]);
    for (const name of names) {
      const ttl = await t.redis.pttl(name);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30_000);
      const stored = JSON.stringify(await t.redis.hgetall(name));
      for (const plain of [...Object.values(DONOR), DONOR.email.toLowerCase(), 'called']) {
        expect(name).not.toContain(plain);
        expect(stored).not.toContain(plain);
      }
    }
  });

  it('stores readable JSON without an encryption key, still under a hashed name', async () => {
    const a = await open();
    const hash = a.cache.hash('donor', `cons|${DONOR.consId}`);
    await a.cache.set('donor', hash, DONOR, { ttlMs: 5000, version: 7 });
    const [name] = await keysUnder(t.redis, a.keys.prefix);
    expect(name).not.toContain(DONOR.consId);
    expect(await t.redis.hget(name!, 'd')).toBe(`j${JSON.stringify(DONOR)}`);
  });

  it('reads an altered, moved or foreign entry as a miss', async () => {
    const key = randomKey();
    const a = await open({ cacheEncryptionKey: key });
    const h1 = a.cache.hash('interaction', 'one');
    const h2 = a.cache.hash('interaction', 'two');
    await a.cache.set('interaction', h1, { n: 1 }, { ttlMs: 10_000, version: 1 });
    const name1 = a.keys.name('interaction', h1);
    const payload = (await t.redis.hget(name1, 'd'))!;

    // One bit flipped in the ciphertext.
    const bytes = Buffer.from(payload.slice(1), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    await t.redis.hset(name1, 'd', `g${bytes.toString('base64')}`);
    expect(await a.cache.get('interaction', h1)).toBeUndefined();

    // A valid ciphertext copied under another entry's name (the name is authenticated).
    await t.redis.hset(a.keys.name('interaction', h2), 'v', '1', 'd', payload);
    await t.redis.pexpire(a.keys.name('interaction', h2), 10_000);
    expect(await a.cache.get('interaction', h2)).toBeUndefined();

    // A readable value planted where encryption is on.
    await t.redis.hset(name1, 'd', 'j{"n":666}');
    expect(await a.cache.get('interaction', h1)).toBeUndefined();

    // Written with another key.
    const other = await open({ cacheEncryptionKey: randomKey(), prefix: a.keys.prefix });
    await other.cache.set('interaction', h1, { n: 2 }, { ttlMs: 10_000, version: 99, force: true });
    expect(await a.cache.get('interaction', h1)).toBeUndefined();
  });

  it('never lets an older version overwrite a newer one, but a forced write (Refresh) always replaces, above it', async () => {
    const a = await open();
    const hash = a.cache.hash('interaction', 'k');
    expect(await a.cache.set('interaction', hash, 'new', { ttlMs: 10_000, version: 2000 })).toBe(2000);
    expect(await a.cache.set('interaction', hash, 'old', { ttlMs: 10_000, version: 1000 })).toBeUndefined();
    expect(await a.cache.get('interaction', hash)).toEqual({ value: 'new', version: 2000 });
    expect(await a.cache.set('interaction', hash, 'refreshed', { ttlMs: 10_000, version: 1500, force: true })).toBe(2001);
    expect(await a.cache.get('interaction', hash)).toEqual({ value: 'refreshed', version: 2001 });
    await a.cache.delete('interaction', hash);
    expect(await a.cache.get('interaction', hash)).toBeUndefined();
  });

  it('seals the version and expiry with an encrypted value: a replayed, re-versioned or expired entry is a miss, and deleted', async () => {
    const a = await open({ cacheEncryptionKey: randomKey() });
    const hash = a.cache.hash('interaction', 'sealed');
    const name = a.keys.name('interaction', hash);
    expect(await a.cache.set('interaction', hash, 'new', { ttlMs: 10_000, version: 2000 })).toBe(2000);
    // A Refresh above the stored version: sealed with the version it takes, so it reads back.
    expect(await a.cache.set('interaction', hash, 'refreshed', { ttlMs: 10_000, version: 1500, force: true })).toBe(2001);
    expect(await a.cache.get('interaction', hash)).toEqual({ value: 'refreshed', version: 2001 });

    // The same ciphertext put back with another `v` (and no TTL): a miss, removed so writes land again.
    const captured = (await t.redis.hget(name, 'd'))!;
    await t.redis.del(name);
    await t.redis.hset(name, 'v', '2002', 'd', captured);
    expect(await a.cache.get('interaction', hash)).toBeUndefined();
    expect(await t.redis.exists(name)).toBe(0);

    // Past its sealed expiry, with its own `v` and no TTL: a miss.
    expect(await a.cache.set('interaction', hash, 'short', { ttlMs: 1, version: 3000 })).toBe(3000);
    const short = (await t.redis.hget(name, 'd'))!;
    await new Promise((r) => setTimeout(r, 50));
    await t.redis.hset(name, 'v', '3000', 'd', short);
    expect(await a.cache.get('interaction', hash)).toBeUndefined();

    // A version far ahead of any replica's clock holds back ordinary writes until read as a miss; a Refresh replaces it.
    await t.redis.hset(name, 'v', '9999999999999', 'd', captured);
    expect(await a.cache.set('interaction', hash, 'ordinary', { ttlMs: 10_000, version: 4000 })).toBeUndefined();
    expect(await a.cache.set('interaction', hash, 'refreshed again', { ttlMs: 10_000, version: 4000, force: true })).toBe(4000);
    expect(await a.cache.get('interaction', hash)).toEqual({ value: 'refreshed again', version: 4000 });
  });

  it('misses and skips writes without throwing while Redis is down, and works again when it is back', async () => {
    const own = await t.ownRedis();
    const a = await open({ url: own.url });
    const hash = a.cache.hash('interaction', 'k');
    await own.stop();
    await eventually(() => a.connection.status() === 'down', 'the outage to be noticed');
    expect(await a.cache.set('interaction', hash, 'v', { ttlMs: 1000, version: 1 })).toBeUndefined();
    expect(await a.cache.get('interaction', hash)).toBeUndefined();
    await expect(a.cache.delete('interaction', hash)).resolves.toBeUndefined();
    await own.restart();
    await eventually(() => a.connection.status() === 'up', 'Redis to be back', 15_000);
    expect(await a.cache.set('interaction', hash, 'v', { ttlMs: 1000, version: 1 })).toBe(1);
    expect(await a.cache.get('interaction', hash)).toEqual({ value: 'v', version: 1 });
    expect(a.logger.lines.map((l) => l.level)).toEqual(['info', 'warn', 'info']);
  });
});
