import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startProcess, waitForHealthy, type RunningProcess } from '../../dev/stand-ins/child-process.js';
import { StandInLuminate } from '../../dev/stand-ins/luminate.js';
import { SAMPLE_CONSTITUENTS, type SampleConstituent } from '../../dev/stand-ins/sample-data.js';
import { postSigned, slashCommandBody, type SignedResponse } from '../../dev/stand-ins/signed-requests.js';
import { StandInSlack } from '../../dev/stand-ins/slack.js';
import type { Redis } from 'ioredis';
import { deleteKeysUnder } from './redis.js';
import type { SlackMessageBody } from './system.js';

/** `npm start` runs this; `npm test` builds it before vitest runs. */
export const ENTRY = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-replica-test-token-0123456789',
  SLACK_SIGNING_SECRET: 'replica-test-signing-secret',
  LUMINATE_API_KEY: 'replica-test-api-key',
  LUMINATE_LOGIN_PASSWORD: 'replica-test-password',
};

export interface LogLine {
  level?: string;
  msg?: string;
  event?: string;
  replica?: string;
  [field: string]: unknown;
}

/** One bot process, as `npm start` runs it, on its own port. */
export interface Replica {
  proc: RunningProcess;
  base: string;
  /** Every JSON line it wrote to stdout (logs and audit), parsed. */
  lines(): LogLine[];
  command(text: string, user: string, options?: { timestamp?: number; body?: string }): Promise<{ ack: SignedResponse; answer: SlackMessageBody | undefined; responseUrl: string }>;
  healthz(): Promise<{ status: number; body: unknown }>;
}

/** The stand-ins every replica of a test talks to: one Luminate (with records the test may change) and one Slack. */
export interface Upstreams {
  luminate: StandInLuminate;
  slack: StandInSlack;
  constituents: SampleConstituent[];
  close(): Promise<void>;
}

export async function startUpstreams(): Promise<Upstreams> {
  // A copy of the sample, so a test can change a record and see a Refresh bring it.
  const constituents = structuredClone(SAMPLE_CONSTITUENTS) as SampleConstituent[];
  const luminate = await StandInLuminate.start({ apiKey: SECRETS.LUMINATE_API_KEY, loginName: 'bot', loginPassword: SECRETS.LUMINATE_LOGIN_PASSWORD, constituents });
  const slack = await StandInSlack.start({ botToken: SECRETS.SLACK_BOT_TOKEN });
  return { luminate, slack, constituents, close: async () => void (await Promise.all([luminate.close(), slack.close()])) };
}

export async function startReplica(upstreams: Upstreams, env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = startProcess(
    ENTRY,
    {
      ...SECRETS,
      SLACK_API_URL: upstreams.slack.apiUrl,
      LUMINATE_URL: upstreams.luminate.url,
      LUMINATE_LOGIN_NAME: 'bot',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    },
    { cwd: mkdtempSync(join(tmpdir(), 'lib-replica-')) },
  );
  await waitForHealthy(`${base}/healthz`, 20_000);
  const events = `${base}/slack/events`;
  return {
    proc,
    base,
    lines: () =>
      proc
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as LogLine),
    async command(text, user, options = {}) {
      const responseUrl = upstreams.slack.newResponseUrl();
      const body = options.body ?? slashCommandBody({ text, response_url: responseUrl, user_id: user });
      const ack = await postSigned(events, SECRETS.SLACK_SIGNING_SECRET, body, options.timestamp === undefined ? {} : { timestamp: options.timestamp });
      if (ack.body) return { ack, answer: JSON.parse(ack.body) as SlackMessageBody, responseUrl };
      if (options.body !== undefined) return { ack, answer: undefined, responseUrl };
      // A slow answer (a loaded machine) is preceded by a "looking up…" notice: the answer is the post after it.
      const final = () => upstreams.slack.responsesTo(responseUrl).find((p) => !/Looking up/i.test(JSON.stringify(p.body)));
      await upstreams.slack.waitFor(() => final() !== undefined, 10_000, `the answer at ${responseUrl}`);
      return { ack, answer: final()!.body as SlackMessageBody, responseUrl };
    },
    async healthz() {
      const response = await fetch(`${base}/healthz`);
      return { status: response.status, body: await response.json() };
    },
  };
}

/** `replica-a` and `replica-b`: the same environment but for REPLICA_ID, started side by side. */
export function startTwoReplicas(upstreams: Upstreams, env: Record<string, string>): Promise<[Replica, Replica]> {
  return Promise.all([startReplica(upstreams, { ...env, REPLICA_ID: 'replica-a' }), startReplica(upstreams, { ...env, REPLICA_ID: 'replica-b' })]);
}

/** Kills replicas outright (a test's replica holds nothing a drain would save) and waits for them to exit; undefined for one that never started. */
export async function stopReplicas(replicas: readonly (Replica | undefined)[]): Promise<void> {
  const started = replicas.filter((r): r is Replica => r !== undefined);
  for (const r of started) r.proc.child.kill('SIGKILL');
  await Promise.all(started.map((r) => r.proc.exited));
}

/**
 * Ends what a suite started, replicas first so nothing writes after: then, given both `redis` and
 * `prefix`, the keys they left in that Redis; the look-in client; and the stand-ins.
 */
export async function endReplicas({ replicas, upstreams, redis, prefix }: { replicas: readonly (Replica | undefined)[]; upstreams: Upstreams | undefined; redis?: Redis; prefix?: string }): Promise<void> {
  await stopReplicas(replicas);
  if (redis && prefix !== undefined) await deleteKeysUnder(redis, prefix);
  redis?.disconnect();
  await upstreams?.close();
}

/** The card's header: the interaction's subject. */
export const header = (m: SlackMessageBody | undefined) => (m?.blocks?.[0] as { text?: { text: string } } | undefined)?.text?.text;

export const buttonValue = (m: SlackMessageBody | undefined, actionId: string): string | undefined =>
  ((m?.blocks ?? []).find((b) => (b as { type: string }).type === 'actions') as { elements: { action_id: string; value?: string }[] } | undefined)?.elements.find(
    (e) => e.action_id === actionId,
  )?.value;

/** Sets the subject Luminate gives for one of Jane's interactions (the record and its note). */
export function setSubject(constituents: SampleConstituent[], interactionId: string, subject: string): void {
  const interaction = constituents.flatMap((c) => c.interactions).find((i) => i.interactionId === interactionId)!;
  interaction.subject = subject;
  if (typeof interaction.note === 'object') interaction.note = { ...interaction.note, subject };
}
