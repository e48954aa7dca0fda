import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { freePort, startProcess, waitForHealthy } from '../stand-ins/child-process.js';
import { benchDonorId } from './bench-donors.js';
import { drive } from './driver.js';
import { combine, peakRssMb, type Samples, type Target, type TargetName } from './figures.js';
import { benchKeyPrefix, checkRedis, DEFAULT_REDIS_URL, removeKeys } from './replicas.js';
import { botTargets, replicaTargets, type BenchOptions, type BenchResult, type WorkloadPair } from './report.js';
import { StandIns } from './stand-ins-client.js';

export { COLD_CARD_ONE_CALL_COST_MS, formatBench, type BenchOptions, type BenchResult } from './report.js';

// The repository root, whether this module runs built (build/dev/bench) or from source under vitest (dev/bench).
const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, HERE.includes(`${sep}build${sep}dev${sep}`) ? '../../..' : '../..');
/** The production build: the bot as `npm start` runs it. */
const DIST = join(ROOT, 'dist');
/** The tooling's build (`npm run build:dev`): the stand-ins' process and the bare Bolt app. */
const DEV_BUILD = join(ROOT, 'build', 'dev');

/** Until `/healthz` says Redis is up: replicas that measured their fallback to their own memory would show no sharing. */
async function waitForRedisUp(base: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const body = await fetch(`${base}/healthz`).then((r) => r.text(), () => '');
    if (body.includes('"redis":"up"')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${base} did not connect to Redis within ${timeoutMs} ms`);
}

/**
 * `npm run bench`: the bot as a real process beside a bare Bolt app (the floor), both against the same
 * stand-ins and driver, in one run; with `replicas` of 2 or more, also that many bot processes sharing
 * one Redis, for the cards' workloads.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.progress ?? (() => {});
  const replicas = options.replicas ?? 1;
  const redisUrl = options.redisUrl ?? DEFAULT_REDIS_URL;
  if (replicas > 1) await checkRedis(redisUrl);
  const keyPrefix = benchKeyPrefix();
  const signingSecret = randomBytes(16).toString('hex');
  const botToken = `xoxb-bench-${randomBytes(8).toString('hex')}`;
  const apiKey = randomBytes(8).toString('hex');
  const loginPassword = randomBytes(8).toString('hex');
  const ROUNDS = 4;
  const perRound = (n: number) => Math.max(1, Math.ceil(n / ROUNDS));
  const targetCount = replicas > 1 ? 3 : 2;
  // Donors of their own for each target's warm-up and cold cards, and one per target for the stampede.
  const donorCount = targetCount * (options.concurrency + ROUNDS * perRound(options.coldRequests) + 1);
  const standIns = await StandIns.start(DEV_BUILD, {
    BENCH_DONORS: String(donorCount),
    LUMINATE_API_KEY: apiKey,
    LUMINATE_LOGIN_NAME: 'bench',
    LUMINATE_LOGIN_PASSWORD: loginPassword,
    SLACK_BOT_TOKEN: botToken,
    LATENCY_MS: String(options.latencyMs),
  });
  const common = { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: standIns.slackApiUrl };
  const botEnv = (port: number, maxConnections: number) => ({
    ...common,
    PORT: String(port),
    LUMINATE_URL: standIns.luminateUrl,
    LUMINATE_API_KEY: apiKey,
    LUMINATE_LOGIN_NAME: 'bench',
    LUMINATE_LOGIN_PASSWORD: loginPassword,
    LUMINATE_MAX_CONNECTIONS: String(maxConnections),
    ...(options.luminateTimeoutMs === undefined ? {} : { LUMINATE_TIMEOUT_MS: String(options.luminateTimeoutMs) }),
    CACHE_MAX_ENTRIES: String(Math.max(5000, options.fillCards + options.coldRequests + 10)),
    // One driver plays many people; the limit is not what is measured.
    LOOKUP_RATE_PER_MINUTE: '100000',
    LOG_LEVEL: options.botLogFile ? 'info' : 'warn',
  });

  const targets: Target[] = [];
  const pool = (port: number) => new Pool(`http://127.0.0.1:${port}`, { connections: Math.max(options.concurrency, options.stampede), pipelining: 1 });
  try {
    const [botPort, barePort] = [await freePort(), await freePort()];
    const bot = startProcess(join(DIST, 'index.js'), botEnv(botPort, options.maxConnections), {
      nodeArgs: [...(options.nodeArgs ?? []), ...(options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [])],
      keepOutput: options.botLogFile !== undefined,
    });
    const bare = startProcess(join(DEV_BUILD, 'bench', 'bare-app.js'), { ...common, PORT: String(barePort) }, { keepOutput: false, nodeArgs: options.nodeArgs ?? [] });
    for (const [name, proc, port] of [['bot', bot, botPort], ['bare', bare, barePort]] as const) {
      targets.push({ name, processes: [proc], pools: [pool(port)] });
      await waitForHealthy(`http://127.0.0.1:${port}/healthz`);
    }
    if (replicas > 1) {
      // README → Running several replicas: the connection budget divided among the replicas.
      const each = Math.ceil(options.maxConnections / replicas);
      const group: Target = { name: 'replicas', processes: [], pools: [] };
      targets.push(group);
      for (let k = 0; k < replicas; k++) {
        const port = await freePort();
        const env = { ...botEnv(port, each), REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix, REPLICA_ID: `bench-${k + 1}` };
        group.processes.push(startProcess(join(DIST, 'index.js'), env, { keepOutput: false, nodeArgs: options.nodeArgs ?? [] }));
        group.pools.push(pool(port));
        await waitForHealthy(`http://127.0.0.1:${port}/healthz`);
        await waitForRedisUp(`http://127.0.0.1:${port}`);
      }
    }
    const pids = (t: Target) => t.processes.map((p) => p.child.pid).join(', ');
    log(`${targets.map((t) => `${t.name} pid ${pids(t)}`).join('; ')}; upstream latency ${options.latencyMs} ms, concurrency ${options.concurrency}`);
    // Before any command: whatever a bot opens to Luminate at start counts as the single bot's.
    const socketsAtStart = (await standIns.stats()).connectionsOpened;

    /**
     * Runs a workload on each of `among` in `rounds` alternating rounds (bot, bare, …, then backwards), so
     * that a machine that drifts during the run (frequency, a neighbour's load) weighs on all alike.
     */
    const each = async (
      name: string,
      texts: (target: Target, round: number) => readonly string[],
      { concurrency = options.concurrency, rounds = 1, among = targets.filter((t) => t.name !== 'replicas') } = {},
    ): Promise<WorkloadPair> => {
      const samples: Partial<Record<TargetName, Samples[]>> = {};
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? among : [...among].reverse();
        for (const target of order) (samples[target.name] ??= []).push(await drive(standIns, signingSecret, target, texts(target, round), concurrency));
      }
      const out: Partial<WorkloadPair> = {};
      for (const target of among) {
        const rows = samples[target.name]!;
        const f = (out[target.name] = combine(rows, target));
        // The target's figure is in the table; the other two processes' only here, to show what shares the machine.
        const perRequest = (cpu: (s: Samples) => number) => ((rows.reduce((t, s) => t + cpu(s), 0) * 1000) / f.requests).toFixed(0);
        log(
          `${name.padEnd(8)} ${target.name.padEnd(8)} ${f.rps.toFixed(0)} req/s, card p50 ${f.cardP50.toFixed(1)} p99 ${f.cardP99.toFixed(1)} ms; ` +
            `CPU µs/request: app ${f.cpuUsPerRequest.toFixed(0)}, stand-ins ${perRequest((s) => s.cpu.standIns)}, driver ${perRequest((s) => s.cpu.driver)}`,
        );
      }
      return out as WorkloadPair;
    };
    let coldBase = 100_000;
    /** Cards of distinct interactions of one donor (whose name is then cached): for the memory reading. */
    const distinct = (n: number) => {
      const start = coldBase;
      coldBase += n;
      return Array.from({ length: n }, (_, i) => `${start + i} cons:1001001`);
    };
    let nextDonor = 0;
    /** Cold cards as the bot now makes them: each a donor not seen yet, so getInteraction and getUser both go upstream. */
    const coldCards = (n: number) => Array.from({ length: n }, () => `${coldBase++} cons:${benchDonorId(nextDonor++)}`);
    let listDay = Date.UTC(2030, 0, 1);
    /** Distinct list keys: a full first page of many@example.org (all its interactions are older than 2030), each up to a day of its own. */
    const coldLists = (n: number) =>
      Array.from({ length: n }, () => {
        const day = new Date(listDay).toISOString().slice(0, 10);
        listDay += 86_400_000;
        return `many@example.org until:${day}`;
      });
    const HOT_LIST = 'many@example.org';

    const HOT_CARD = '1000 jane@example.org';

    // Each target gets its own keys in every workload, so whichever runs second finds nothing the first cached.
    // The replicas' caches are their own too (one Redis prefix), and each replica's warm-up asks for the hot card.
    const warmUp = await each('warm-up', (t) => [...t.pools.map(() => HOT_CARD), HOT_LIST, ...coldCards(options.concurrency), ...coldLists(options.concurrency)], { among: targets });
    const hot = await each('hot', () => Array.from({ length: perRound(options.hotRequests) }, () => HOT_CARD), { rounds: ROUNDS, among: targets });
    const cold = await each('cold', () => coldCards(perRound(options.coldRequests)), { rounds: ROUNDS, among: targets });
    // The warm-up opens the pool, so the cold rounds alone would show 0: count every socket the bot has opened.
    const socketsSinceStart = socketsAtStart + warmUp.bot.socketsOpened + hot.bot.socketsOpened + cold.bot.socketsOpened;
    // Each target gets its own cold key (and donor), the same for all of that target's requests.
    const stampedeKeys = Object.fromEntries(targets.map((t) => [t.name, coldCards(1)[0]!]));
    const stampede = await each('stampede', (t) => Array.from({ length: options.stampede }, () => stampedeKeys[t.name]!), { concurrency: options.stampede, among: targets });

    // Memory: fill the cache with distinct cards, quickly (no upstream latency), then read each process's peak.
    standIns.tell({ type: 'latency', ms: 0 });
    await each('fill', () => distinct(options.fillCards));
    const memory = { botMb: peakRssMb([bot]), bareMb: peakRssMb([bare]) };

    // Lists after the memory reading, so that it still counts cards only (the cold lists cache a thousand pages).
    standIns.tell({ type: 'latency', ms: options.latencyMs });
    const listHot = await each('list hot', () => Array.from({ length: perRound(options.hotRequests) }, () => HOT_LIST), { rounds: ROUNDS });
    const listCold = await each('list cold', () => coldLists(perRound(options.coldRequests)), { rounds: ROUNDS });

    const workloads = { hot, cold, stampede, listHot, listCold };
    const targetList = [...botTargets(workloads, memory, options, socketsSinceStart), ...replicaTargets(workloads, replicas)];
    return { options, workloads, memory, targets: targetList };
  } finally {
    for (const target of targets) for (const p of target.pools) await p.close();
    for (const proc of targets.flatMap((t) => t.processes)) {
      proc.child.kill('SIGTERM');
      await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 12_000))]);
    }
    const bot = targets[0]?.processes[0];
    if (options.botLogFile && bot) writeFileSync(options.botLogFile, bot.stdout() + bot.stderr());
    await standIns.stop();
    if (replicas > 1) await removeKeys(redisUrl, keyPrefix);
  }
}

export function tempProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'bot-cpu-prof-'));
}
