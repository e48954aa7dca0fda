import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { freePort, startProcess, waitForHealthy, type RunningProcess } from '../stand-ins/child-process.js';
import { fork, type ChildProcess } from 'node:child_process';
import { slackSignature, slashCommandBody } from '../stand-ins/signed-requests.js';
import { answerKind } from './answer-kind.js';
import { benchDonorId, UPSTREAM_METHODS, type UpstreamMethod } from './bench-donors.js';
import type { FromStandIns, ToStandIns } from './stand-ins-process.js';

export interface BenchOptions {
  /** Requests in flight from the driver at once. */
  concurrency: number;
  /** The stand-in SRConsAPI's latency for every answer. */
  latencyMs: number;
  hotRequests: number;
  coldRequests: number;
  /** Concurrent requests for one cold key. */
  stampede: number;
  /** Distinct cards cached before the memory reading. */
  fillCards: number;
  /** The bot's LUMINATE_MAX_CONNECTIONS. */
  maxConnections: number;
  /**
   * The bot's LUMINATE_TIMEOUT_MS (default: the bot's own). The smoke run in npm test shares a loaded machine:
   * a first call that ran out of its budget there fails its lookup, and the next request calls again.
   */
  luminateTimeoutMs?: number;
  /** Write the bot's CPU profile (`--cpu-prof`) here. */
  profileDir?: string;
  /** Node options for both apps alike, e.g. `--max-semi-space-size=4`, to try a deployment setting. */
  nodeArgs?: string[];
  /** Keep the bot's log and audit lines and write them here at the end. */
  botLogFile?: string;
  progress?: (line: string) => void;
}

export interface WorkloadFigures {
  requests: number;
  failures: number;
  rps: number;
  ackP50: number;
  ackP99: number;
  cardP50: number;
  cardP99: number;
  /** Requests to the stand-in SRConsAPI, all methods. */
  upstreamRequests: number;
  upstreamByMethod: Record<UpstreamMethod, number>;
  maxUpstreamInFlight: number;
  socketsOpened: number;
  peakRssMb: number;
  /** The app's CPU time (user + system) per request: the steadiest figure on a shared machine. */
  cpuUsPerRequest: number;
}

/** Cards (hot, cold, stampede), then pages of a donor's list (the same counts as the cards' hot and cold). */
export type Workload = 'hot' | 'cold' | 'stampede' | 'listHot' | 'listCold';
const WORKLOAD_NAMES: Record<Workload, string> = { hot: 'hot', cold: 'cold', stampede: 'stampede', listHot: 'list hot', listCold: 'list cold' };

/**
 * What a cold card cost above the upstream latency when it made one call (BENCHMARKS.md, 2026-11-29:
 * p50 120.90 ms at 100 ms). The donor's name is now fetched beside the interaction, in parallel, so a
 * cold card must still be one round trip: this much, plus 5 ms.
 */
export const COLD_CARD_ONE_CALL_COST_MS = 20.9;

export interface BenchResult {
  options: BenchOptions;
  workloads: Record<Workload, { bot: WorkloadFigures; bare: WorkloadFigures }>;
  /** Peak RSS after `fillCards` distinct lookups. */
  memory: { botMb: number; bareMb: number };
  targets: { name: string; measured: string; target: string; met: boolean }[];
}

// The repository root, whether this module runs built (build/dev/bench) or from source under vitest (dev/bench).
const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, HERE.includes(`${sep}build${sep}dev${sep}`) ? '../../..' : '../..');
/** The production build: the bot as `npm start` runs it. */
const DIST = join(ROOT, 'dist');
/** The tooling's build (`npm run build:dev`): the stand-ins' process and the bare Bolt app. */
const DEV_BUILD = join(ROOT, 'build', 'dev');
const MB = 1024 * 1024;

/** CPU time (user + system) a process has used so far, in ms, from /proc (in ticks of 10 ms); NaN where there is no /proc. */
function cpuMs(pid: number | undefined): number {
  try {
    // Fields after the command name: utime and stime are the 14th and 15th of the whole line.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** What one round of one workload on one app measured. */
interface Samples {
  requests: number;
  seconds: number;
  failures: number;
  acks: number[];
  cards: number[];
  upstreamByMethod: Record<UpstreamMethod, number>;
  maxUpstreamInFlight: number;
  socketsOpened: number;
  /** CPU time used during the round: by the app under test, the stand-ins, and this driver. */
  cpu: { app: number; standIns: number; driver: number };
}

function combine(rounds: readonly Samples[], process: RunningProcess): WorkloadFigures {
  const sum = (f: (s: Samples) => number) => rounds.reduce((t, s) => t + f(s), 0);
  const acks = rounds.flatMap((s) => s.acks).sort((a, b) => a - b);
  const cards = rounds.flatMap((s) => s.cards).sort((a, b) => a - b);
  return {
    requests: sum((s) => s.requests),
    failures: sum((s) => s.failures),
    rps: sum((s) => s.requests) / sum((s) => s.seconds),
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
    cardP50: percentile(cards, 50),
    cardP99: percentile(cards, 99),
    upstreamRequests: UPSTREAM_METHODS.reduce((t, m) => t + sum((s) => s.upstreamByMethod[m]), 0),
    upstreamByMethod: Object.fromEntries(UPSTREAM_METHODS.map((m) => [m, sum((s) => s.upstreamByMethod[m])])) as Record<UpstreamMethod, number>,
    maxUpstreamInFlight: Math.max(...rounds.map((s) => s.maxUpstreamInFlight)),
    socketsOpened: sum((s) => s.socketsOpened),
    peakRssMb: (process.memory()?.peakRss ?? NaN) / MB,
    cpuUsPerRequest: (sum((s) => s.cpu.app) * 1000) / sum((s) => s.requests),
  };
}

/**
 * The stand-in SRConsAPI and Slack in their own process (see stand-ins-process.ts). A card's
 * arrival is timed here, when the driver hears of it, so no two processes' clocks are compared.
 */
class StandIns {
  readonly #child: ChildProcess;
  readonly #ready: Extract<FromStandIns, { type: 'ready' }>;
  readonly #waiting = new Map<string, (arrivedAt: number | null) => void>();
  readonly #stats = new Map<number, (stats: Extract<FromStandIns, { type: 'stats' }>) => void>();
  #next = 0;

  private constructor(child: ChildProcess, ready: Extract<FromStandIns, { type: 'ready' }>) {
    this.#child = child;
    this.#ready = ready;
    child.on('message', (message: FromStandIns) => {
      if (message.type === 'response' && message.kind !== 'looking-up') {
        // A notice (the lookup failed or was refused) is no card: the request counts as a failure.
        this.#waiting.get(message.url)?.(message.kind === 'answer' ? performance.timeOrigin + performance.now() : null);
        this.#waiting.delete(message.url);
      } else if (message.type === 'stats') {
        this.#stats.get(message.id)?.(message);
        this.#stats.delete(message.id);
      }
    });
  }

  static async start(env: Record<string, string>): Promise<StandIns> {
    const child = fork(join(DEV_BUILD, 'bench', 'stand-ins-process.js'), { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const ready = await new Promise<Extract<FromStandIns, { type: 'ready' }>>((resolve, reject) => {
      child.once('message', (m: FromStandIns) => (m.type === 'ready' ? resolve(m) : reject(new Error('stand-ins did not start'))));
      child.once('exit', () => reject(new Error('stand-ins exited at start-up')));
    });
    return new StandIns(child, ready);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get luminateUrl(): string {
    return this.#ready.luminateUrl;
  }

  get slackApiUrl(): string {
    return this.#ready.slackApiUrl;
  }

  newResponseUrl(): string {
    return `${this.#ready.slackOrigin}/respond/${++this.#next}`;
  }

  /** Resolves with the time the card for `url` arrived, or null when a notice came instead or nothing after 30 s. */
  cardAt(url: string): { arrived: Promise<number | null>; cancel: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<number | null>((resolve) => {
      this.#waiting.set(url, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
      timer = setTimeout(() => {
        this.#waiting.delete(url);
        resolve(null);
      }, 30_000);
    });
    return {
      arrived,
      cancel: () => {
        clearTimeout(timer);
        this.#waiting.delete(url);
      },
    };
  }

  tell(message: ToStandIns): void {
    this.#child.send(message);
  }

  stats(): Promise<Extract<FromStandIns, { type: 'stats' }>> {
    const id = ++this.#next;
    return new Promise((resolve) => {
      this.#stats.set(id, resolve);
      this.tell({ type: 'stats', id });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.disconnect();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
}

/** A process under test and how the driver reaches it. */
interface Target {
  name: 'bot' | 'bare';
  process: RunningProcess;
  pool: Pool;
}

/**
 * `npm run bench`: the bot as a real process beside a bare Bolt app (the
 * floor), both against the same stand-ins and driver, in one run.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.progress ?? (() => {});
  const signingSecret = randomBytes(16).toString('hex');
  const botToken = `xoxb-bench-${randomBytes(8).toString('hex')}`;
  const apiKey = randomBytes(8).toString('hex');
  const loginPassword = randomBytes(8).toString('hex');
  const ROUNDS = 4;
  const perRound = (n: number) => Math.max(1, Math.ceil(n / ROUNDS));
  // Donors of their own for the warm-up's and the cold rounds' cards of each app, and one per app for the stampede.
  const donorCount = 2 * (options.concurrency + ROUNDS * perRound(options.coldRequests)) + 2;
  const standIns = await StandIns.start({
    BENCH_DONORS: String(donorCount),
    LUMINATE_API_KEY: apiKey,
    LUMINATE_LOGIN_NAME: 'bench',
    LUMINATE_LOGIN_PASSWORD: loginPassword,
    SLACK_BOT_TOKEN: botToken,
    LATENCY_MS: String(options.latencyMs),
  });
  const common = { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: standIns.slackApiUrl };

  const targets: Target[] = [];
  try {
    const [botPort, barePort] = [await freePort(), await freePort()];
    const bot = startProcess(
      join(DIST, 'index.js'),
      {
        ...common,
        PORT: String(botPort),
        LUMINATE_URL: standIns.luminateUrl,
        LUMINATE_API_KEY: apiKey,
        LUMINATE_LOGIN_NAME: 'bench',
        LUMINATE_LOGIN_PASSWORD: loginPassword,
        LUMINATE_MAX_CONNECTIONS: String(options.maxConnections),
        ...(options.luminateTimeoutMs === undefined ? {} : { LUMINATE_TIMEOUT_MS: String(options.luminateTimeoutMs) }),
        CACHE_MAX_ENTRIES: String(Math.max(5000, options.fillCards + options.coldRequests + 10)),
        // One driver plays many people; the limit is not what is measured.
        LOOKUP_RATE_PER_MINUTE: '100000',
        LOG_LEVEL: options.botLogFile ? 'info' : 'warn',
      },
      {
        nodeArgs: [...(options.nodeArgs ?? []), ...(options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [])],
        keepOutput: options.botLogFile !== undefined,
      },
    );
    const bare = startProcess(join(DEV_BUILD, 'bench', 'bare-app.js'), { ...common, PORT: String(barePort) }, { keepOutput: false, nodeArgs: options.nodeArgs ?? [] });
    for (const [name, proc, port] of [['bot', bot, botPort], ['bare', bare, barePort]] as const) {
      // Generous: on a loaded machine a cold Node process takes many seconds to load the app.
      await waitForHealthy(`http://127.0.0.1:${port}/healthz`, 45_000);
      targets.push({ name, process: proc, pool: new Pool(`http://127.0.0.1:${port}`, { connections: Math.max(options.concurrency, options.stampede), pipelining: 1 }) });
    }
    log(`bot pid ${bot.child.pid}, bare app pid ${bare.child.pid}; upstream latency ${options.latencyMs} ms, concurrency ${options.concurrency}`);

    /**
     * Closed loop: each of `concurrency` workers sends a command and waits for
     * its card (in the ack, or at its response_url) before sending the next, as
     * a person would. "Looking up…" notices are not the card.
     */
    const drive = async (target: Target, texts: readonly string[], concurrency: number): Promise<Samples> => {
      const before = await standIns.stats();
      standIns.tell({ type: 'reset-max' });
      const cpuBefore = { app: cpuMs(target.process.child.pid), standIns: cpuMs(standIns.pid), driver: cpuMs(process.pid) };
      const acks: number[] = [];
      const cards: number[] = [];
      let failures = 0;
      let next = 0;
      const started = performance.now();
      const worker = async () => {
        while (next < texts.length) {
          const i = next++;
          const responseUrl = standIns.newResponseUrl();
          const card = standIns.cardAt(responseUrl);
          const body = slashCommandBody({ text: texts[i]!, response_url: responseUrl, user_id: `UBENCH${i % 500}` });
          const timestamp = Math.floor(Date.now() / 1000);
          const sentAt = performance.timeOrigin + performance.now();
          const response = await target.pool.request({
            method: 'POST',
            path: '/slack/events',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-slack-request-timestamp': String(timestamp),
              'x-slack-signature': slackSignature(signingSecret, timestamp, body),
            },
            body,
          });
          const text = await response.body.text();
          const ackedAt = performance.timeOrigin + performance.now();
          acks.push(ackedAt - sentAt);
          if (response.statusCode !== 200) {
            card.cancel();
            failures += 1;
            continue;
          }
          if (text.includes('"blocks"')) {
            card.cancel();
            if (answerKind(JSON.parse(text) as { text?: unknown; blocks?: unknown }) === 'answer') cards.push(ackedAt - sentAt);
            else failures += 1;
            continue;
          }
          const arrivedAt = await card.arrived;
          if (arrivedAt === null) failures += 1;
          else cards.push(arrivedAt - sentAt);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      const finished = performance.now();
      const after = await standIns.stats();
      const cpu = { app: cpuMs(target.process.child.pid) - cpuBefore.app, standIns: cpuMs(standIns.pid) - cpuBefore.standIns, driver: cpuMs(process.pid) - cpuBefore.driver };
      return {
        cpu,
        requests: texts.length,
        seconds: (finished - started) / 1000,
        failures,
        acks,
        cards,
        upstreamByMethod: Object.fromEntries(UPSTREAM_METHODS.map((m) => [m, after.calls[m] - before.calls[m]])) as Record<UpstreamMethod, number>,
        maxUpstreamInFlight: after.maxInFlight,
        socketsOpened: after.connectionsOpened - before.connectionsOpened,
      };
    };

    /**
     * Runs a workload on both apps in `rounds` alternating rounds (bot, bare, bare, bot, …), so that a
     * machine that drifts during the run (frequency, a neighbour's load) weighs on both alike.
     */
    const both = async (name: string, texts: (target: Target, round: number) => readonly string[], { concurrency = options.concurrency, rounds = 1 } = {}) => {
      const samples = { bot: [] as Samples[], bare: [] as Samples[] };
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) samples[target.name].push(await drive(target, texts(target, round), concurrency));
      }
      const out = {} as { bot: WorkloadFigures; bare: WorkloadFigures };
      for (const target of targets) {
        out[target.name] = combine(samples[target.name], target.process);
        const f = out[target.name];
        // The app's figure is in the table; the other two processes' only here, to show what shares the machine.
        const perRequest = (cpu: (s: Samples) => number) => ((samples[target.name].reduce((t, s) => t + cpu(s), 0) * 1000) / f.requests).toFixed(0);
        log(
          `${name.padEnd(8)} ${target.name.padEnd(4)} ${f.rps.toFixed(0)} req/s, card p50 ${f.cardP50.toFixed(1)} p99 ${f.cardP99.toFixed(1)} ms; ` +
            `CPU µs/request: app ${f.cpuUsPerRequest.toFixed(0)}, stand-ins ${perRequest((s) => s.cpu.standIns)}, driver ${perRequest((s) => s.cpu.driver)}`,
        );
      }
      return out;
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

    // Each app gets its own keys in every workload, so whichever runs second finds nothing the first cached.
    await both('warm-up', () => ['1000 jane@example.org', HOT_LIST, ...coldCards(options.concurrency), ...coldLists(options.concurrency)]);
    const hot = await both('hot', () => Array.from({ length: perRound(options.hotRequests) }, () => '1000 jane@example.org'), { rounds: ROUNDS });
    const cold = await both('cold', () => coldCards(perRound(options.coldRequests)), { rounds: ROUNDS });
    // The warm-up opens the pool, so the cold rounds alone would show 0: count every socket the bot has opened.
    const socketsSinceStart = (await standIns.stats()).connectionsOpened;
    // Each app gets its own cold key (and donor), the same for all of that app's requests.
    const [botKey, bareKey] = coldCards(2);
    const stampedeKeys = { bot: botKey!, bare: bareKey! };
    const stampede = await both('stampede', (t) => Array.from({ length: options.stampede }, () => stampedeKeys[t.name]), { concurrency: options.stampede });

    // Memory: fill the cache with distinct cards, quickly (no upstream latency), then read each process's peak.
    standIns.tell({ type: 'latency', ms: 0 });
    await both('fill', () => distinct(options.fillCards));
    const memory = { botMb: (bot.memory()?.peakRss ?? NaN) / MB, bareMb: (bare.memory()?.peakRss ?? NaN) / MB };

    // Lists after the memory reading, so that it still counts cards only (the cold lists cache a thousand pages).
    standIns.tell({ type: 'latency', ms: options.latencyMs });
    const listHot = await both('list hot', () => Array.from({ length: perRound(options.hotRequests) }, () => HOT_LIST), { rounds: ROUNDS });
    const listCold = await both('list cold', () => coldLists(perRound(options.coldRequests)), { rounds: ROUNDS });

    const ratio = (a: number, b: number) => a / b;
    const targetsMet = [
      { name: 'hot: requests/s vs bare', value: ratio(hot.bot.rps, hot.bare.rps), target: '≥ 0.90×', met: ratio(hot.bot.rps, hot.bare.rps) >= 0.9 },
      { name: 'hot: card p99 vs bare', value: ratio(hot.bot.cardP99, hot.bare.cardP99), target: '≤ 1.20×', met: ratio(hot.bot.cardP99, hot.bare.cardP99) <= 1.2 },
    ].map((t) => ({ name: t.name, measured: `${t.value.toFixed(2)}×`, target: t.target, met: t.met }));
    const coldLimit = options.latencyMs + 2 * cold.bare.cardP99;
    const coldP50Limit = options.latencyMs + COLD_CARD_ONE_CALL_COST_MS + 5;
    const coldCalls = cold.bot.upstreamByMethod;
    const listColdKeys = listCold.bot.requests;
    const targetsList = [
      ...targetsMet,
      { name: 'cold: card p99 ≤ latency + 2× bare p99', measured: `${cold.bot.cardP99.toFixed(1)} ms`, target: `≤ ${coldLimit.toFixed(1)} ms`, met: cold.bot.cardP99 <= coldLimit },
      {
        name: `cold: card p50 ≤ latency + ${COLD_CARD_ONE_CALL_COST_MS} ms (one call's cost) + 5 ms`,
        measured: `${cold.bot.cardP50.toFixed(1)} ms`,
        target: `≤ ${coldP50Limit.toFixed(1)} ms`,
        met: cold.bot.cardP50 <= coldP50Limit,
      },
      {
        name: 'cold: getInteraction + getUser requests',
        measured: `${coldCalls.getInteraction} + ${coldCalls.getUser}`,
        target: `= ${cold.bot.requests} + ${cold.bot.requests}`,
        met: coldCalls.getInteraction === cold.bot.requests && coldCalls.getUser === cold.bot.requests,
      },
      { name: 'cold: upstream in flight', measured: String(cold.bot.maxUpstreamInFlight), target: `≤ ${options.maxConnections}`, met: cold.bot.maxUpstreamInFlight <= options.maxConnections },
      { name: 'cold: sockets opened to Luminate since start', measured: String(socketsSinceStart), target: `≤ ${options.maxConnections}`, met: socketsSinceStart <= options.maxConnections },
      ...(['getInteraction', 'getUser'] as const).map((m) => ({
        name: `stampede: ${m} requests`,
        measured: String(stampede.bot.upstreamByMethod[m]),
        target: '= 1',
        met: stampede.bot.upstreamByMethod[m] === 1,
      })),
      { name: 'list hot: requests/s vs bare', measured: `${ratio(listHot.bot.rps, listHot.bare.rps).toFixed(2)}×`, target: '≥ 0.90×', met: ratio(listHot.bot.rps, listHot.bare.rps) >= 0.9 },
      { name: 'list hot: upstream requests', measured: String(listHot.bot.upstreamRequests), target: '= 0', met: listHot.bot.upstreamRequests === 0 },
      {
        name: 'list cold: getUserInteractions requests = distinct pages',
        measured: String(listCold.bot.upstreamByMethod.getUserInteractions),
        target: `= ${listColdKeys}`,
        met: listCold.bot.upstreamByMethod.getUserInteractions === listColdKeys && listCold.bot.upstreamRequests === listColdKeys,
      },
      {
        name: `peak RSS vs bare after ${options.fillCards} cached cards`,
        measured: `${ratio(memory.botMb, memory.bareMb).toFixed(2)}×`,
        target: '≤ 1.30×',
        met: ratio(memory.botMb, memory.bareMb) <= 1.3,
      },
    ];
    return { options, workloads: { hot, cold, stampede, listHot, listCold }, memory, targets: targetsList };
  } finally {
    for (const target of targets) await target.pool.close();
    for (const proc of [...targets.map((t) => t.process)]) {
      proc.child.kill('SIGTERM');
      await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 12_000))]);
    }
    if (options.botLogFile && targets[0]) writeFileSync(options.botLogFile, targets[0].process.stdout() + targets[0].process.stderr());
    await standIns.stop();
  }
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/** The Markdown report: per-workload figures, then the targets, all from this one run. */
export function formatBench(result: BenchResult, command: string): string {
  const { options: o } = result;
  const rows: string[] = [
    `Command: \`${command}\`  `,
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}  `,
    `Settings: concurrency ${o.concurrency}, upstream latency ${o.latencyMs} ms, LUMINATE_MAX_CONNECTIONS ${o.maxConnections}, ${o.hotRequests} hot / ${o.coldRequests} cold / ${o.stampede} stampede requests (lists: as many hot and cold), ${o.fillCards} cards for the memory reading`,
    '',
    '| workload | app | req/s | ack p50 ms | ack p99 ms | card p50 ms | card p99 ms | upstream requests | most upstream in flight | sockets opened | peak RSS MB | CPU µs/request | failures |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [workload, pair] of Object.entries(result.workloads)) {
    const name = WORKLOAD_NAMES[workload as Workload];
    for (const app of ['bot', 'bare'] as const) {
      const f = pair[app];
      const upstream = app === 'bot' ? [String(f.upstreamRequests), String(f.maxUpstreamInFlight), String(f.socketsOpened)] : ['—', '—', '—'];
      rows.push(`| ${name} | ${app === 'bot' ? 'bot' : 'bare Bolt'} | ${fmt(f.rps, 0)} | ${fmt(f.ackP50, 2)} | ${fmt(f.ackP99, 2)} | ${fmt(f.cardP50, 2)} | ${fmt(f.cardP99, 2)} | ${upstream.join(' | ')} | ${fmt(f.peakRssMb)} | ${fmt(f.cpuUsPerRequest, 0)} | ${f.failures} |`);
    }
  }
  rows.push('', '| target | measured | target | met |', '|---|---:|---:|:---:|');
  for (const t of result.targets) rows.push(`| ${t.name} | ${t.measured} | ${t.target} | ${t.met ? 'yes' : '**no**'} |`);
  rows.push('', `Peak RSS after ${o.fillCards} distinct cards: bot ${fmt(result.memory.botMb)} MB, bare Bolt ${fmt(result.memory.bareMb)} MB.`);
  return rows.join('\n');
}

export function tempProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'bot-cpu-prof-'));
}
