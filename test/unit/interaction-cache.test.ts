import { describe, expect, it } from 'vitest';
import type { InteractionSource } from '../../src/luminate/client.js';
import { LuminateApiError, LuminateError, LuminateUnavailableError } from '../../src/luminate/errors.js';
import type { InteractionRequest } from '../../src/luminate/identifiers.js';
import type { Interaction } from '../../src/luminate/schema.js';
import { InteractionCache, type InteractionCacheOptions } from '../../src/service/interaction-cache.js';
import { parseCommandText } from '../../src/service/requests.js';

const jane: InteractionRequest = { interactionId: 1000, identifier: { kind: 'email', email: 'jane@example.org' } };

/** A source that counts calls and answers when told to. */
function controllableSource() {
  const calls: InteractionRequest[] = [];
  const pending: { resolve: (i: Interaction) => void; reject: (e: unknown) => void }[] = [];
  const source: InteractionSource = {
    getInteraction: (lookup) =>
      new Promise((resolve, reject) => {
        calls.push(lookup);
        pending.push({ resolve, reject });
      }),
  };
  const interaction = (id: number): Interaction => ({
    interactionId: String(id),
    typeId: '0',
    categoryId: '0',
    consId: '1',
    createdBy: '1',
    creationDate: null,
    subject: `call ${calls.length}`,
    note: null,
  });
  return {
    source,
    calls,
    answerAll: () => pending.splice(0).forEach((p, i) => p.resolve(interaction(1000 + i))),
    failAll: (e: unknown) => pending.splice(0).forEach((p) => p.reject(e)),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

/** A cache over a source that answers when told to. */
function cacheOver(options: Partial<InteractionCacheOptions> = {}) {
  const s = controllableSource();
  return { s, cache: new InteractionCache({ source: s.source, ttlSeconds: 300, maxEntries: 10, ...options }) };
}

/** Looks jane up and lets the source answer: the cache holds her answer afterwards. */
async function answered({ answerAll }: ReturnType<typeof controllableSource>, cache: InteractionCache) {
  const first = cache.get(jane);
  await tick();
  answerAll();
  return first;
}

describe('InteractionCache', () => {
  it('serves a repeat lookup from the cache and says so', async () => {
    const { s, cache } = cacheOver();
    expect((await answered(s, cache)).cached).toBe(false);
    const second = await cache.get(jane);
    expect(second.cached).toBe(true);
    expect(cache.peek(jane)?.interaction).toEqual(second.interaction);
    expect(s.calls).toHaveLength(1);
  });

  it('shares one call between concurrent identical lookups', async () => {
    const { s, cache } = cacheOver();
    const all = Promise.all(Array.from({ length: 25 }, () => cache.get(jane)));
    await tick();
    expect(s.calls).toHaveLength(1);
    s.answerAll();
    const results = await all;
    expect(new Set(results.map((r) => r.interaction.subject)).size).toBe(1);
  });

  it('treats equivalent spellings as one key', async () => {
    const { s, cache } = cacheOver();
    const spellings = ['1000 jane@example.org', '01000 JANE@example.org', '1000 <mailto:Jane@Example.org|Jane@Example.org>'];
    const all = Promise.all(spellings.map((t) => cache.get((parseCommandText(t) as { request: InteractionRequest }).request)));
    await tick();
    s.answerAll();
    await all;
    expect(s.calls).toHaveLength(1);
  });

  it('does not cache failures: the next lookup asks again', async () => {
    const { s, cache } = cacheOver();
    const failing = Promise.all([cache.get(jane), cache.get(jane)]);
    await tick();
    s.failAll(new LuminateApiError('16', 'no match'));
    await expect(failing).rejects.toBeInstanceOf(LuminateApiError);
    expect(cache.peek(jane)).toBeUndefined();
    const retry = cache.get(jane);
    await tick();
    s.answerAll();
    expect((await retry).cached).toBe(false);
    expect(s.calls).toHaveLength(2);
  });

  it('expires answers after the TTL, by the injected clock', async () => {
    let now = 1_000_000;
    const { s, cache } = cacheOver({ ttlSeconds: 60, clock: () => now });
    expect((await answered(s, cache)).fetchedAt).toBe(1_000_000);
    now += 59_000;
    expect(cache.peek(jane)).toBeDefined();
    now += 2_000;
    expect(cache.peek(jane)).toBeUndefined();
  });

  it('refresh reads Luminate again even when cached', async () => {
    const { s, cache } = cacheOver();
    await answered(s, cache);
    const refreshed = cache.get(jane, { refresh: true });
    await tick();
    s.answerAll();
    expect((await refreshed).cached).toBe(false);
    expect(s.calls).toHaveLength(2);
  });

  it('a refresh that fails keeps the cached answer, returns it with the failure, and a plain lookup still hits it', async () => {
    const { s, cache } = cacheOver();
    const original = await answered(s, cache);
    const refreshed = cache.get(jane, { refresh: true });
    const joined = cache.get(jane);
    await tick();
    const failure = new LuminateUnavailableError('HTTP 503', 503);
    s.failAll(failure);
    expect(await refreshed).toMatchObject({ interaction: original.interaction, fetchedAt: original.fetchedAt, cached: true, refreshFailure: failure });
    expect(await joined).toMatchObject({ interaction: original.interaction, cached: true });
    expect((await joined).refreshFailure).toBeUndefined();
    expect(await cache.get(jane)).toMatchObject({ interaction: original.interaction, cached: true });
    expect(s.calls).toHaveLength(2);
  });

  it('a refresh that Luminate answers "not found" drops the cached answer and rejects', async () => {
    const { s, cache } = cacheOver();
    await answered(s, cache);
    const refreshed = cache.get(jane, { refresh: true });
    await tick();
    s.failAll(new LuminateApiError('27', 'Invalid interaction.'));
    await expect(refreshed).rejects.toBeInstanceOf(LuminateApiError);
    expect(cache.peek(jane)).toBeUndefined();
  });

  it('a refresh with nothing cached rejects as a lookup does', async () => {
    const { s, cache } = cacheOver();
    const refreshed = cache.get(jane, { refresh: true });
    await tick();
    s.failAll(new LuminateUnavailableError('HTTP 503', 503));
    await expect(refreshed).rejects.toBeInstanceOf(LuminateError);
    expect(cache.peek(jane)).toBeUndefined();
  });

  it('answers every lookup of a burst larger than maxEntries, keeping at most maxEntries', async () => {
    const { s, cache } = cacheOver({ maxEntries: 3 });
    const all = Promise.all(Array.from({ length: 5 }, (_, i) => cache.get({ ...jane, interactionId: i })));
    await tick();
    s.answerAll();
    expect((await all).map((r) => r.interaction.interactionId)).toEqual(['1000', '1001', '1002', '1003', '1004']);
    expect(Array.from({ length: 5 }, (_, i) => cache.peek({ ...jane, interactionId: i })).filter(Boolean)).toHaveLength(3);
  });

  it('with a TTL of 0 keeps nothing but still shares a call in flight', async () => {
    let now = 1_000_000;
    const { s, cache } = cacheOver({ ttlSeconds: 0, clock: () => now });
    const pair = Promise.all([cache.get(jane), cache.get(jane)]);
    await tick();
    expect(s.calls).toHaveLength(1);
    s.answerAll();
    await pair;
    now += 5;
    expect(cache.peek(jane)).toBeUndefined();
  });
});
