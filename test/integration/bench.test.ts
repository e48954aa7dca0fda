import { describe, expect, it } from 'vitest';
import { formatBench, runBench } from '../../dev/bench/run-bench.js';

// The benchmark itself is not part of npm test (shared CI machines are noisy); this smoke run
// keeps it from rotting: both processes start, every workload completes, the report is whole.
describe('npm run bench (smoke)', () => {
  it('runs every workload against the bot and the bare app and reports the targets', async () => {
    const result = await runBench({ concurrency: 4, latencyMs: 10, hotRequests: 20, coldRequests: 12, stampede: 8, fillCards: 20, maxConnections: 4 });
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
    // Over all the workloads each app has verified, parsed and answered 40 signed requests: tens of ms of CPU,
    // several ticks. Zero here means the figure is not measuring the app at all.
    for (const app of ['bot', 'bare'] as const) {
      const all = Object.values(result.workloads).map((w) => w[app]);
      const cpuUs = all.reduce((t, f) => t + f.cpuUsPerRequest * f.requests, 0);
      expect(Number.isFinite(cpuUs)).toBe(true);
      expect(cpuUs, app).toBeGreaterThan(0);
    }
    expect(result.workloads.hot.bot.upstreamRequests).toBe(0);
    expect(result.workloads.cold.bot.upstreamRequests).toBe(12);
    expect(result.workloads.cold.bot.maxUpstreamInFlight).toBeLessThanOrEqual(4);
    expect(result.workloads.stampede.bot.upstreamRequests).toBe(1);
    const sockets = Number(result.targets.find((t) => t.name.startsWith('cold: sockets opened'))?.measured);
    expect(sockets).toBeGreaterThan(0);
    expect(sockets).toBeLessThanOrEqual(4);
    expect(result.memory.botMb).toBeGreaterThan(10);
    const report = formatBench(result, 'npm run bench -- --quick');
    expect(report).toContain('| hot | bot |');
    expect(report).toContain('| CPU µs/request |');
    expect(report).toContain('| stampede: upstream requests | 1 | = 1 | yes |');
    expect(result.targets).toHaveLength(7);
  }, 60_000);
});
