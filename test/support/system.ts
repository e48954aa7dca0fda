import type { types } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startStandInSystem, type StandInSystem, type StandInSystemOptions } from '../../dev/stand-ins/harness.js';
import { ModalOrigins } from '../../src/slack/modal-origin.js';

export interface SlackMessageBody {
  response_type?: string;
  replace_original?: boolean;
  text?: string;
  blocks?: types.KnownBlock[];
}

/** Every text a person could read in a message, flattened. */
export function allText(message: SlackMessageBody): string {
  return JSON.stringify([message.text, message.blocks]);
}

/**
 * The stand-in system a test file's tests share: started before them; after them, checked for leaked
 * secrets and stopped. Before each test the stand-ins forget earlier tests (Luminate's faults, latency and
 * requests, Slack's calls, the audit trail), then `beforeEachTest` sets what the file needs on top. Read it
 * inside tests and hooks only: it stands for the system started in `beforeAll`.
 */
export function useStandInSystem(options: StandInSystemOptions = {}, beforeEachTest?: () => void): StandInSystem {
  let started: StandInSystem | undefined;
  const current = (): StandInSystem => {
    if (!started) throw new Error('the stand-in system is used before beforeAll started it');
    return started;
  };
  beforeAll(async () => {
    started = await startStandInSystem(options);
  });
  afterAll(async () => {
    if (!started) return;
    try {
      expectNoSecretLeaked(started);
    } finally {
      await started.stop();
    }
  });
  beforeEach(() => {
    const system = current();
    system.luminate.reset();
    system.luminate.latencyMs = options.luminateLatencyMs ?? 0;
    system.slack.reset();
    system.audit.length = 0;
    beforeEachTest?.();
  });
  return new Proxy({} as StandInSystem, {
    get: (_target, key) => Reflect.get(current(), key),
    set: (_target, key, value) => Reflect.set(current(), key, value),
  });
}

/** Sends the command and returns its answer: in the ack (help, bad input, a cached card) or posted to its response_url. */
export async function commandAnswer(system: StandInSystem, text: string, options: { timeoutMs?: number } = {}) {
  const ack = await system.slashCommand(text);
  if (ack.body) return { ack, answer: JSON.parse(ack.body) as SlackMessageBody };
  const post = await system.slack.waitForResponse(ack.responseUrl, 1, options.timeoutMs ?? 5000);
  return { ack, answer: post.body as SlackMessageBody };
}

/** Fails if any secret the system was given appears in its logs or anything it sent to Slack. */
export function expectNoSecretLeaked(system: StandInSystem): void {
  const everything = [
    ...system.logLines,
    ...system.slack.responses.map((r) => JSON.stringify(r)),
    ...system.slack.apiCalls.map((c) => JSON.stringify({ method: c.method, args: c.args })),
  ].join('\n');
  for (const secret of system.secrets) {
    if (everything.includes(secret)) throw new Error(`a secret (${secret.slice(0, 6)}…) leaked into logs or Slack traffic`);
  }
}

/** Polls `check` until it holds: for hooks (no expect.poll there) and for state no Slack traffic announces. */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A modal's private_metadata as the bot itself seals it when it opens the form from `channelId`. */
export function sealedOrigin(system: StandInSystem, channelId: string | null, threadTs: string | null = null, messageTs: string | null = null): string {
  return new ModalOrigins({ botToken: system.config.slack.botToken, requestSecret: system.signingSecret }).seal({ channelId, threadTs, messageTs }).metadata;
}

export interface ModalViewBody {
  blocks: types.KnownBlock[];
  private_metadata: string;
}

/**
 * Submits the lookup form and resolves with the view the person ends up seeing: the ack's own when
 * it carries the answer, else the views.update that follows "Looking up…".
 */
export async function modalAnswer(system: StandInSystem, payload: Record<string, unknown>, timeoutMs = 5000): Promise<ModalViewBody> {
  const updates = system.slack.callsTo('views.update').length;
  const ack = await system.interact(payload);
  const body = JSON.parse(ack.body || '{}') as { view?: ModalViewBody };
  if (body.view && !JSON.stringify(body.view.blocks).includes('Looking up interaction')) return body.view;
  return (await system.slack.waitForCall('views.update', updates + 1, timeoutMs)).args.view as ModalViewBody;
}
