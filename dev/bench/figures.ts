import { readFileSync } from 'node:fs';
import type { Pool } from 'undici';
import type { RunningProcess } from '../stand-ins/child-process.js';
import { UPSTREAM_METHODS, type UpstreamMethod } from './bench-donors.js';

/** The single bot (in-memory caches), the bare Bolt app (the floor), and with `--replicas` several bots sharing one Redis. */
export type TargetName = 'bot' | 'bare' | 'replicas';

/** What the driver sends to: one process, or several taking requests in turn (round robin). */
export interface Target {
  name: TargetName;
  processes: RunningProcess[];
  /** One per process, in the same order. */
  pools: Pool[];
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
  /** The largest of the target's processes. */
  peakRssMb: number;
  /** The target's CPU time (user + system, all its processes) per request: the steadiest figure on a shared machine. */
  cpuUsPerRequest: number;
}

/** What one round of one workload on one target measured. */
export interface Samples {
  requests: number;
  seconds: number;
  failures: number;
  acks: number[];
  cards: number[];
  upstreamByMethod: Record<UpstreamMethod, number>;
  maxUpstreamInFlight: number;
  socketsOpened: number;
  /** CPU time used during the round: by the target's processes, the stand-ins, and this driver. */
  cpu: { app: number; standIns: number; driver: number };
}

const MB = 1024 * 1024;

/** CPU time (user + system) a process has used so far, in ms, from /proc (in ticks of 10 ms); NaN where there is no /proc. */
export function cpuMs(pid: number | undefined): number {
  try {
    // Fields after the command name: utime and stime are the 14th and 15th of the whole line.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Peak RSS (VmHWM) in MB: the largest of the processes'. */
export function peakRssMb(processes: readonly RunningProcess[]): number {
  return Math.max(...processes.map((p) => (p.memory()?.peakRss ?? NaN) / MB));
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function combine(rounds: readonly Samples[], target: Target): WorkloadFigures {
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
    peakRssMb: peakRssMb(target.processes),
    cpuUsPerRequest: (sum((s) => s.cpu.app) * 1000) / sum((s) => s.requests),
  };
}
