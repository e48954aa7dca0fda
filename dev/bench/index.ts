import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { NoRedisError } from './replicas.js';
import { replicasSection, withReplicasSection } from './report.js';
import { formatBench, runBench, tempProfileDir, type BenchOptions } from './run-bench.js';

/**
 * `npm run bench [-- --concurrency 50 --latency 100 --hot 3000 --cold 1000 --stampede 100 --fill 10000
 *                    --max-connections 50 --replicas 2 --profile --bot-log FILE --node-args="--flag …" --write BENCHMARKS.md --quick]`
 *
 * `--replicas N` (N ≥ 2) adds N bot processes sharing one Redis (REDIS_URL, default redis://127.0.0.1:6379)
 * to the hot, cold and stampede workloads, and `--write` then updates only the file's "Several replicas" section.
 */
const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '50' },
    latency: { type: 'string', default: '100' },
    hot: { type: 'string', default: '3000' },
    cold: { type: 'string', default: '1000' },
    stampede: { type: 'string', default: '100' },
    fill: { type: 'string', default: '10000' },
    'max-connections': { type: 'string' },
    profile: { type: 'boolean', default: false },
    write: { type: 'string' },
    'bot-log': { type: 'string' },
    quick: { type: 'boolean', default: false },
    'node-args': { type: 'string' },
    replicas: { type: 'string', default: '1' },
  },
});

const n = (v: string | undefined) => Number(v);
const options: BenchOptions = values.quick
  ? { concurrency: 5, latencyMs: 20, hotRequests: 30, coldRequests: 20, stampede: 10, fillCards: 50, maxConnections: 10 }
  : {
      concurrency: n(values.concurrency),
      latencyMs: n(values.latency),
      hotRequests: n(values.hot),
      coldRequests: n(values.cold),
      stampede: n(values.stampede),
      fillCards: n(values.fill),
      // Default: as many connections as requests in flight (a cold card makes two at once, getInteraction and
      // getUser), so the cold path measures the bot, not a queue.
      maxConnections: values['max-connections'] ? n(values['max-connections']) : 2 * n(values.concurrency),
    };
const replicas = n(values.replicas);
if (!Number.isInteger(replicas) || replicas < 1) {
  process.stderr.write(`--replicas must be a whole number, 1 or more (got ${values.replicas})\n`);
  process.exit(2);
}
if (replicas > 1) {
  options.replicas = replicas;
  options.redisUrl = process.env.REDIS_URL || undefined;
}
if (values.profile) options.profileDir = tempProfileDir();
if (values['bot-log']) options.botLogFile = values['bot-log'];
if (values['node-args']) options.nodeArgs = values['node-args'].split(/\s+/).filter(Boolean);
options.progress = (line) => process.stderr.write(`${line}\n`);

const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const result = await runBench(options).catch((error: unknown) => {
  if (!(error instanceof NoRedisError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
const report = formatBench(result, command);
process.stdout.write(`${report}\n`);
if (options.profileDir) process.stderr.write(`CPU profile of the bot: ${options.profileDir}\n`);
if (values.write) {
  const existing = existsSync(values.write) ? readFileSync(values.write, 'utf8') : '# Benchmarks\n';
  if (replicas > 1) writeFileSync(values.write, withReplicasSection(existing, report, command));
  else {
    // The replicas' section comes from its own run (`--replicas`); a run without them keeps it.
    const kept = replicasSection(existing);
    writeFileSync(
      values.write,
      `# Benchmarks\n\nThe latest \`npm run bench\`: the bot against a bare Bolt app on the same machine, in the same run. See README → Benchmark for what each figure means.\n\n${report}\n${kept ? `\n${kept}\n` : ''}`,
    );
  }
  process.stderr.write(`Wrote ${values.write}\n`);
}
process.exitCode = result.targets.every((t) => t.met) ? 0 : 1;
