import { describe, expect, it } from 'vitest';
import { answerKind } from '../../dev/bench/answer-kind.js';
import { LuminateTimeoutError } from '../../src/luminate/errors.js';
import type { InteractionRequest } from '../../src/luminate/identifiers.js';
import { lookupFailureMessage } from '../../src/slack/render/failure-messages.js';
import { lookingUpMessage } from '../../src/slack/render/help-messages.js';
import { renderInteractionCard } from '../../src/slack/render/interaction-card.js';
import { replicasSection, withReplicasSection } from '../../dev/bench/report.js';
import { formatBench, runBench } from '../../dev/bench/run-bench.js';
import { describeWithRedis, inspector, keysUnder, SHARED_REDIS_URL } from '../support/redis.js';

// The benchmark itself is not part of npm test (shared CI machines are noisy); this smoke run
// keeps it from rotting: both processes start, every workload completes, the report is whole.
describe('npm run bench (smoke)', () => {
  it('runs every workload against the bot and the bare app and reports the targets', async () => {
    const result = await runBench({ concurrency: 4, latencyMs: 10, hotRequests: 20, coldRequests: 12, stampede: 8, fillCards: 20, maxConnections: 8, luminateTimeoutMs: 60_000 });
    for (const workload of Object.values(result.workloads)) {
      for (const figures of [workload.bot, workload.bare]) {
        expect(figures.failures).toBe(0);
        expect(figures.rps).toBeGreaterThan(0);
        expect(figures.cardP99).toBeGreaterThanOrEqual(figures.cardP50);
        // Read from /proc in 10 ms ticks: a round this short may read zero, never less or NaN.
        expect(Number.isFinite(figures.cpuUsPerRequest)).toBe(true);
        expect(figures.cpuUsPerRequest).toBeGreaterThanOrEqual(0);
      }
    }
    // Over all the workloads each app has verified, parsed and answered 72 signed requests: tens of ms of CPU,
    // several ticks. Zero here means the figure is not measuring the app at all.
    for (const app of ['bot', 'bare'] as const) {
      const all = Object.values(result.workloads).map((w) => w[app]);
      const cpuUs = all.reduce((t, f) => t + f.cpuUsPerRequest * f.requests, 0);
      expect(Number.isFinite(cpuUs)).toBe(true);
      expect(cpuUs, app).toBeGreaterThan(0);
    }
    const { hot, cold, stampede, listHot, listCold } = result.workloads;
    expect(hot.bot.upstreamRequests).toBe(0);
    // A cold card of a donor not seen yet: its interaction and the donor's name, one call each.
    expect(cold.bot.upstreamByMethod).toEqual({ getInteraction: 12, getUser: 12, getUserInteractions: 0 });
    expect(cold.bot.maxUpstreamInFlight).toBeLessThanOrEqual(8);
    expect(stampede.bot.upstreamByMethod).toEqual({ getInteraction: 1, getUser: 1, getUserInteractions: 0 });
    // A cached page is answered in the ack; each distinct page is one call.
    expect(listHot.bot.upstreamRequests).toBe(0);
    expect(listHot.bot.requests).toBe(20);
    expect(listCold.bot.upstreamByMethod).toEqual({ getInteraction: 0, getUser: 0, getUserInteractions: 12 });
    const sockets = Number(result.targets.find((t) => t.name.startsWith('cold: sockets opened'))?.measured);
    expect(sockets).toBeGreaterThan(0);
    expect(sockets).toBeLessThanOrEqual(8);
    expect(result.memory.botMb).toBeGreaterThan(10);
    const report = formatBench(result, 'npm run bench -- --quick');
    expect(report).toContain('| hot | bot |');
    expect(report).toContain('| CPU µs/request |');
    expect(report).toContain('| list hot | bot |');
    expect(report).toContain('| list cold | bare Bolt |');
    expect(report).toContain('| stampede: getInteraction requests | 1 | = 1 | yes |');
    expect(report).toContain('| stampede: getUser requests | 1 | = 1 | yes |');
    expect(report).toContain('| cold: getInteraction + getUser requests | 12 + 12 | = 12 + 12 | yes |');
    expect(report).toContain('| list hot: upstream requests | 0 | = 0 | yes |');
    expect(report).toContain('| list cold: getUserInteractions requests = distinct pages | 12 | = 12 | yes |');
    expect(report).toMatch(/\| cold: card p50 ≤ latency \+ 20\.9 ms \(one call's cost\) \+ 5 ms \| [\d.]+ ms \| ≤ 35\.9 ms \|/);
    expect(result.targets).toHaveLength(13);
  }, 60_000);
});

// `npm run bench -- --replicas 2`: two more bot processes sharing the real Redis, driven in turn, beside the same
// bot and bare app. Only what a tiny run can show for sure: every card arrives, and the counts that prove sharing.
describeWithRedis('npm run bench -- --replicas 2 (smoke)', () => {
  it('drives both replicas round robin over one Redis and reports their targets', async () => {
    const result = await runBench({ concurrency: 4, latencyMs: 10, hotRequests: 20, coldRequests: 12, stampede: 8, fillCards: 20, maxConnections: 8, replicas: 2, redisUrl: SHARED_REDIS_URL, luminateTimeoutMs: 60_000 });
    const { hot, cold, stampede, listHot } = result.workloads;
    for (const figures of [hot.replicas, cold.replicas, stampede.replicas]) {
      expect(figures?.failures).toBe(0);
      expect(figures?.rps).toBeGreaterThan(0);
      expect(Number.isFinite(figures?.cpuUsPerRequest)).toBe(true);
    }
    // The lists and the memory reading stay the single bot's.
    expect(listHot.replicas).toBeUndefined();
    expect(hot.replicas!.upstreamRequests).toBe(0);
    // Distinct keys, split over both replicas: one call per key and method, none repeated by the other replica.
    expect(cold.replicas!.upstreamByMethod).toEqual({ getInteraction: 12, getUser: 12, getUserInteractions: 0 });
    // Eight requests for one cold card, four to each replica: one call per method over both.
    expect(stampede.replicas!.upstreamByMethod).toEqual({ getInteraction: 1, getUser: 1, getUserInteractions: 0 });
    expect(result.targets).toHaveLength(13 + 6);
    const report = formatBench(result, 'npm run bench -- --replicas 2');
    expect(report).toContain('| hot | 2 replicas + Redis |');
    expect(report).toContain('| 2 replicas + Redis, cold: getInteraction + getUser requests = distinct keys | 12 + 12 | = 12 + 12 | yes |');
    expect(report).toContain('| 2 replicas + Redis, stampede over all: getInteraction requests | 1 | = 1 | yes |');
    expect(report).toMatch(/\| 2 replicas \+ Redis, cold: card p50 added by Redis \(vs in-memory\) \| [+-][\d.]+ ms \| ≤ 2 ms \|/);
    // The run's keys are gone afterwards.
    const redis = inspector();
    try {
      expect(await keysUnder(redis, 'luminate-bench-')).toEqual([]);
    } finally {
      redis.disconnect();
    }
  }, 90_000);
});

describe('BENCHMARKS.md "Several replicas" section', () => {
  const report = '| target | measured |\n|---|---:|';
  it('is appended when missing and replaced, not repeated, when present', () => {
    const once = withReplicasSection('# Benchmarks\n\nTable.\n\n## Targets\n\nProse.\n', report, 'npm run bench -- --replicas 2');
    expect(once).toMatch(/^# Benchmarks\n\nTable\.\n\n## Targets\n\nProse\.\n\n## Several replicas\n\n.*\n\n\| target \| measured \|\n\|---\|---:\|\n$/);
    const twice = withReplicasSection(`${once}\n## Later\n\nKept.\n`, '| new |', 'npm run bench -- --replicas 2');
    expect(twice.match(/## Several replicas/g)).toHaveLength(1);
    expect(twice).toContain('| new |');
    expect(twice).not.toContain('| target | measured |');
    expect(twice).toContain('## Later\n\nKept.\n');
    expect(replicasSection(twice)).toMatch(/^## Several replicas\n[\s\S]*\| new \|$/);
    expect(replicasSection('# Benchmarks\n\n## Other\n')).toBeUndefined();
  });
});

describe('the bench driver', () => {
  it('counts a lookup that failed as a failure, not as a card', () => {
    const lookup: InteractionRequest = { interactionId: 1000, identifier: { kind: 'email', email: 'jane@example.org' } };
    const interaction = { interactionId: '1000', typeId: '1', categoryId: null, consId: '1001001', createdBy: null, creationDate: null, subject: 'Call', note: null };
    const card = renderInteractionCard(interaction, { fetchedAt: 0, cached: false, now: 0, typeNames: new Map() });
    expect(answerKind(card)).toBe('answer');
    expect(answerKind(lookingUpMessage(lookup))).toBe('looking-up');
    expect(answerKind(lookupFailureMessage(new LuminateTimeoutError(10_000), lookup))).toBe('notice');
  });
});
