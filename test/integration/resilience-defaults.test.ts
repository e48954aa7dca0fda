import { describe, expect, it } from 'vitest';
import type { LuminateFault } from '../../dev/stand-ins/luminate.js';
import { startStandInSystem, type StandInSystem } from '../../dev/stand-ins/harness.js';
import { commandAnswer, expectNoSecretLeaked } from '../support/system.js';

// The bot as a deployment runs it: the client's own retry and circuit-breaker defaults (3 attempts,
// breaker open after 5 failed lookups for 30 s) and LUMINATE_TIMEOUT_MS unset (10 s). Other suites
// shorten the retries and never open the breaker; these check the defaults themselves, end to end.
// Only failures that say Luminate itself is unwell are used: timeouts, connection resets, 5xx.

async function withProductionBot(env: Record<string, string>, test: (system: StandInSystem) => Promise<void>): Promise<void> {
  const system = await startStandInSystem({ resilience: 'production', env });
  try {
    await test(system);
    expectNoSecretLeaked(system);
  } finally {
    await system.stop();
  }
}

const NOT_ANSWERING = /^Luminate Online is not answering right now\. .*Try again in a minute\.$/;

describe('the circuit breaker at its production threshold', () => {
  it.each<[string, LuminateFault, Record<string, string>]>([
    ['HTTP 500', { kind: 'status', status: 500 }, {}],
    ['HTTP 503 on every attempt', { kind: 'status', status: 503 }, {}],
    ['a connection reset on every attempt', { kind: 'reset' }, {}],
    // A short budget only so that five timed-out lookups take about a second instead of 50 s: the breaker counts lookups, not time.
    ['a Luminate that never answers', { kind: 'hang' }, { LUMINATE_TIMEOUT_MS: '300' }],
  ])('five lookups failing with %s open it; the sixth is told at once, without a call to Luminate', async (_what, fault, env) => {
    await withProductionBot(env, async (system) => {
      system.luminate.fault = fault;
      for (let i = 0; i < 5; i++) {
        const before = system.luminate.requests.length;
        const { answer } = await commandAnswer(system, `${2000 + i} cons:1001001`);
        expect(answer.text).toMatch(/unavailable right now|did not answer within/);
        // Each of the five still reached Luminate: the breaker is not open before the fifth failure.
        expect(system.luminate.requests.length).toBeGreaterThan(before);
      }
      expect(system.logLines.some((l) => l.includes('Luminate keeps failing: pausing calls'))).toBe(true);
      const calls = system.luminate.requests.length;
      system.luminate.fault = null;
      const started = Date.now();
      const { answer } = await commandAnswer(system, '1000 cons:1001001');
      expect(answer.text).toMatch(NOT_ANSWERING);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(system.luminate.requests.length).toBe(calls);
    });
  });

  it('four failures do not open it: the next lookup reaches Luminate and is answered', async () => {
    await withProductionBot({}, async (system) => {
      system.luminate.fault = { kind: 'status', status: 500 };
      for (let i = 0; i < 4; i++) expect((await commandAnswer(system, `${2100 + i} cons:1001001`)).answer.text).toMatch(/unavailable right now/);
      system.luminate.fault = null;
      expect((await commandAnswer(system, '1000 cons:1001001')).answer.text).toBe('Interaction 1000: Sample Subject');
      expect(system.logLines.some((l) => l.includes('Luminate keeps failing'))).toBe(false);
    });
  });

  it('a Luminate that is down for every method (the donor name too) opens it within five cards, and then nobody waits on it', async () => {
    const system = await startStandInSystem({ resilience: 'production', luminate: { sparedByFaults: [] } });
    try {
      system.luminate.fault = { kind: 'status', status: 500 };
      let failedCards = 0;
      while (!system.logLines.some((l) => l.includes('Luminate keeps failing: pausing calls'))) {
        expect((await commandAnswer(system, `${2200 + failedCards} cons:1001001`)).answer.text).toMatch(/unavailable right now/);
        failedCards += 1;
        expect(failedCards).toBeLessThanOrEqual(5);
      }
      // Each card's two calls count: the breaker opens before five cards have failed.
      expect(failedCards).toBeLessThan(5);
      const calls = system.luminate.requests.length;
      const { answer } = await commandAnswer(system, '1000 cons:1001001');
      expect(answer.text).toMatch(NOT_ANSWERING);
      expect(system.luminate.requests.length).toBe(calls);
      expectNoSecretLeaked(system);
    } finally {
      await system.stop();
    }
  });
});

describe('retries at their production defaults', () => {
  it('a 503 twice is retried and the third attempt answered: the person sees only the card', async () => {
    await withProductionBot({}, async (system) => {
      system.luminate.nextFaults.push({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
      const { answer } = await commandAnswer(system, '1001 cons:1001001');
      expect(answer.text).toBe('Interaction 1001: Phone call: Gift Aid question');
      expect(system.luminate.lookupCount).toBe(3);
      expect(system.logLines.filter((l) => l.includes('retrying a Luminate call'))).toHaveLength(2);
    });
  });

  it('a 503 on every attempt gives up after the default three attempts', async () => {
    await withProductionBot({}, async (system) => {
      system.luminate.fault = { kind: 'status', status: 503 };
      const { answer } = await commandAnswer(system, '1001 cons:1001001');
      expect(answer.text).toMatch(/unavailable right now/);
      expect(system.luminate.lookupCount).toBe(3);
    });
  });

  it('retries stop when the budget ends: no attempt is started or awaited past LUMINATE_TIMEOUT_MS', async () => {
    // Each answer (a 503) takes 600 ms; within a 1 s budget only the first returns and a second starts.
    // A short budget so the test takes a second: at the 10 s default the same arithmetic holds with 6 s answers.
    await withProductionBot({ LUMINATE_TIMEOUT_MS: '1000' }, async (system) => {
      system.luminate.latencyMs = 600;
      system.luminate.fault = { kind: 'status', status: 503 };
      const started = Date.now();
      const { answer } = await commandAnswer(system, '1001 cons:1001001');
      const took = Date.now() - started;
      expect(answer.text).toMatch(/did not answer within|unavailable right now/);
      expect(took).toBeGreaterThanOrEqual(600);
      expect(took).toBeLessThan(1000 + 500);
      expect(system.luminate.requests.length).toBeLessThanOrEqual(2);
    });
  });
});
