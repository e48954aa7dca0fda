import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { MemoryReplayStore } from '../../../src/access/replay-guard.js';
import type { DonorSource, InteractionSource, InteractionSummary } from '../../../src/luminate/client.js';
import { isNotFound, LuminateApiError } from '../../../src/luminate/errors.js';
import type { InteractionRequest } from '../../../src/luminate/identifiers.js';
import type { Interaction } from '../../../src/luminate/schema.js';
import { createCaches, type Caches } from '../../../src/service/caches.js';
import { ReplicaStore } from '../../../src/store/replica-store.js';
import { deleteKeysUnder, describeWithRedis, eventually, inspector, keysUnder, recordingLogger, SHARED_REDIS_URL, uniquePrefix } from '../../support/redis.js';

const jane: InteractionRequest = { interactionId: 1000, identifier: { kind: 'email', email: 'jane@example.org' } };

/** Luminate as far as these caches see it: answers with the current subject, counting calls. */
function luminate() {
  const state = { subject: 'first', calls: 0, gone: false, rows: 1, listCalls: 0 };
  const source: InteractionSource & Pick<DonorSource, 'getUserInteractions'> = {
    getUserInteractions: async () => {
      state.listCalls += 1;
      await new Promise((r) => setTimeout(r, 20));
      return Array.from({ length: state.rows }, (_, i) => ({ interactionId: String(2000 + state.rows - i), typeId: '0', consId: '1', creationDate: null, subject: `row ${state.rows - i}` }) as InteractionSummary);
    },
    getInteraction: async (request) => {
      state.calls += 1;
      await new Promise((r) => setTimeout(r, 20));
      if (state.gone) throw new LuminateApiError('27', 'Invalid interaction.');
      return { interactionId: String(request.interactionId), typeId: '0', categoryId: '0', consId: '1', createdBy: '1', creationDate: null, subject: state.subject, note: null } as Interaction;
    },
  };
  return { state, source };
}

describeWithRedis('the caches over a shared second level (two replicas in one process, real Redis)', () => {
  let redis: Redis;
  let prefix = uniquePrefix('two-level');
  const stores: ReplicaStore[] = [];
  beforeAll(() => {
    redis = inspector();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await deleteKeysUnder(redis, prefix);
    prefix = uniquePrefix('two-level');
  });
  afterAll(() => redis.disconnect());

  async function replica(source: InteractionSource & Partial<DonorSource>, { ttlSeconds = 60 } = {}): Promise<Caches> {
    const store = new ReplicaStore({
      url: SHARED_REDIS_URL,
      keyPrefix: prefix,
      cacheEncryptionKey: undefined,
      luminateApiKey: 'two-level-test-key',
      replicaId: 'test',
      logger: recordingLogger(),
      firstLevelTtlMs: ttlSeconds * 1000,
      lookupsPerMinute: 30,
      localReplays: new MemoryReplayStore(),
      replayWindowMs: 60_000,
    });
    stores.push(store);
    expect(await store.waitUntilUp(5000)).toBe(true);
    return createCaches(source, { ttlSeconds, maxEntries: 100, shared: { store: store.secondLevel, budgetMs: 2000 } });
  }

  it('serves on one replica what the other fetched, and a repeat from its own first level without Redis', async () => {
    const { state, source } = luminate();
    const [a, b] = [await replica(source), await replica(source)];
    expect((await a.interactions.get(jane)).cached).toBe(false);
    const fromB = await b.interactions.get(jane);
    expect(fromB).toMatchObject({ cached: true, interaction: { subject: 'first' } });
    expect(state.calls).toBe(1);
    // The first level answers now: even with every shared key gone, B still has it without a call.
    await deleteKeysUnder(redis, prefix);
    expect(b.interactions.peek(jane)?.interaction.subject).toBe('first');
  });

  it('makes one call for concurrent lookups over both replicas', async () => {
    const { state, source } = luminate();
    const [a, b] = [await replica(source), await replica(source)];
    const answers = await Promise.all([a, b, a, b, a, b].map((r) => r.interactions.get(jane)));
    expect(new Set(answers.map((x) => x.interaction.subject))).toEqual(new Set(['first']));
    expect(state.calls).toBe(1);
  });

  it('drops the older answer from the other replica’s first level on a Refresh, and everywhere on "not found"', async () => {
    const { state, source } = luminate();
    const [a, b] = [await replica(source), await replica(source)];
    await a.interactions.get(jane);
    await b.interactions.get(jane);
    expect(b.interactions.peek(jane)?.interaction.subject).toBe('first');
    state.subject = 'second';
    expect((await a.interactions.get(jane, { refresh: true })).interaction.subject).toBe('second');
    await eventually(() => b.interactions.peek(jane) === undefined, 'B to drop its older copy');
    expect((await b.interactions.get(jane)).interaction.subject).toBe('second');
    expect(state.calls).toBe(2);

    state.gone = true;
    expect(isNotFound(await b.interactions.get(jane, { refresh: true }).catch((error: unknown) => error))).toBe(true);
    await eventually(() => a.interactions.peek(jane) === undefined, 'A to drop the answer Luminate no longer has');
    expect(await keysUnder(redis, `${prefix}interaction:`)).toEqual([]);
  });

  it('shares nothing with CACHE_TTL_SECONDS=0', async () => {
    const { state, source } = luminate();
    const [a, b] = [await replica(source, { ttlSeconds: 0 }), await replica(source, { ttlSeconds: 0 })];
    await a.interactions.get(jane);
    await b.interactions.get(jane);
    expect(state.calls).toBe(2);
    expect(await keysUnder(redis, prefix)).toEqual([]);
  });

  it('a log on one replica retires the donor’s cached lists on every replica and in Redis, whatever their filters', async () => {
    const { state, source } = luminate();
    const [a, b] = [await replica(source), await replica(source)];
    const byEmail = { identifier: jane.identifier, filters: {}, page: 0 };
    const since = { identifier: jane.identifier, filters: { since: '2024-01-01' }, page: 0 };
    for (const request of [byEmail, since]) {
      await a.lists.page(request);
      expect(await b.lists.page(request)).toMatchObject({ cached: true, rows: [{ subject: 'row 1' }] });
    }
    expect(b.lists.peek(byEmail)).toBeDefined();
    expect(state.listCalls).toBe(2);

    state.rows = 2; // the write
    await a.lists.dropDonor([jane.identifier]);
    await eventually(() => b.lists.peek(byEmail) === undefined, 'B to hear the donor’s lists are stale');
    expect(await b.lists.page(byEmail)).toMatchObject({ cached: false, rows: [{ subject: 'row 2' }, { subject: 'row 1' }] });
    expect(await b.lists.page(since)).toMatchObject({ cached: false, rows: [{ subject: 'row 2' }, { subject: 'row 1' }] });
    // A reads what B fetched after the write, through Redis: one call per page over both replicas.
    expect(await a.lists.page(byEmail)).toMatchObject({ cached: true, rows: [{ subject: 'row 2' }, { subject: 'row 1' }] });
    expect(state.listCalls).toBe(4);
    // A replica that heard nothing of the raise reads the generation from Redis, not the older pages still there.
    const c = await replica(source);
    expect(await c.lists.page(since)).toMatchObject({ cached: true, rows: [{ subject: 'row 2' }, { subject: 'row 1' }] });
    expect(state.listCalls).toBe(4);
    // Under a keyed hash, with a TTL: no donor in the name.
    const counters = await keysUnder(redis, `${prefix}list-gen:`);
    expect(counters).toHaveLength(1);
    expect(counters[0]).toMatch(/^[^@]*:[\da-f]{64}$/);
    expect(await redis.pttl(counters[0]!)).toBeGreaterThan(0);
  });

  it('with Redis away, a log still retires the lists on its own replica', async () => {
    const { state, source } = luminate();
    const a = await replica(source);
    const byEmail = { identifier: jane.identifier, filters: {}, page: 0 };
    await a.lists.page(byEmail);
    const store = stores.at(-1)!;
    await store.close(); // every command now fails at once, as when Redis is down
    state.rows = 2;
    await a.lists.dropDonor([jane.identifier]);
    expect(a.lists.peek(byEmail)).toBeUndefined();
    expect(await a.lists.page(byEmail)).toMatchObject({ cached: false, rows: [{ subject: 'row 2' }, { subject: 'row 1' }] });
  });
});
