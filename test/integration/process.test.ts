import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startProcess, waitForHealthy, type RunningProcess } from '../../dev/stand-ins/child-process.js';
import { StandInLuminate } from '../../dev/stand-ins/luminate.js';
import { postSigned, slashCommandBody } from '../../dev/stand-ins/signed-requests.js';
import { StandInSlack } from '../../dev/stand-ins/slack.js';
import { waitUntil } from '../support/system.js';

/** `npm start` runs this; `npm test` builds it before vitest runs. */
const ENTRY = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

const run = (env: Record<string, string>, cwd: string): RunningProcess => startProcess(ENTRY, env, { cwd });

const emptyDir = () => mkdtempSync(join(tmpdir(), 'lib-test-'));

describe('npm start with a bad configuration', () => {
  it('exits 78 naming every problem variable, printing no value', async () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxp-a-user-token-not-a-bot-one',
      LUMINATE_URL: 'http://plain-http.example.org/site',
      LUMINATE_API_KEY: 'api-key-that-must-not-print',
      LUMINATE_TIMEOUT_MS: 'soon',
    };
    const proc = run(env, emptyDir());
    expect(await proc.exited).toBe(78);
    const stderr = proc.stderr();
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'LUMINATE_URL', 'LUMINATE_LOGIN_NAME', 'LUMINATE_LOGIN_PASSWORD', 'LUMINATE_TIMEOUT_MS']) {
      expect(stderr).toContain(name);
    }
    for (const value of Object.values(env)) expect(stderr).not.toContain(value);
    expect(stderr).toContain('.env.example');
  });
});

describe('npm start against stand-ins, configured by a .env file', () => {
  const secrets = {
    SLACK_BOT_TOKEN: 'xoxb-process-test-token-0123456789',
    SLACK_SIGNING_SECRET: 'process-test-signing-secret',
    LUMINATE_API_KEY: 'process-test-api-key',
    LUMINATE_LOGIN_PASSWORD: 'process-test-password',
  };
  let luminate: StandInLuminate;
  let slack: StandInSlack;
  let proc: RunningProcess;
  let base: string;

  beforeAll(async () => {
    luminate = await StandInLuminate.start({ apiKey: secrets.LUMINATE_API_KEY, loginName: 'bot', loginPassword: secrets.LUMINATE_LOGIN_PASSWORD });
    slack = await StandInSlack.start({ botToken: secrets.SLACK_BOT_TOKEN });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const cwd = emptyDir();
    const dotenv = { ...secrets, SLACK_API_URL: slack.apiUrl, PORT: String(port), LUMINATE_URL: luminate.url, LUMINATE_LOGIN_NAME: 'bot' };
    writeFileSync(join(cwd, '.env'), Object.entries(dotenv).map(([k, v]) => `${k}=${v}`).join('\n'));
    proc = run({}, cwd);
    await waitForHealthy(`${base}/healthz`);
  });
  afterAll(async () => {
    proc.child.kill('SIGKILL');
    await Promise.all([luminate.close(), slack.close()]);
  });

  it('on SIGTERM under load: every acknowledged lookup is answered, new requests are refused, exit 0 within 10 s', async () => {
    luminate.latencyMs = 1500;
    const events = `${base}/slack/events`;
    const urls = Array.from({ length: 20 }, () => slack.newResponseUrl());
    const acks = await Promise.all(
      urls.map((responseUrl, i) =>
        postSigned(events, secrets.SLACK_SIGNING_SECRET, slashCommandBody({ text: `${3000 + i} cons:1001001`, response_url: responseUrl, user_id: `U${i}` })),
      ),
    );
    for (const ack of acks) expect(ack.status).toBe(200);
    await waitUntil(() => luminate.requests.length >= 10, 5000, 'lookups to reach Luminate');

    const signalled = Date.now();
    proc.child.kill('SIGTERM');
    await waitUntil(async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.status !== 200, 3000, 'healthz to stop reporting ready');
    const late = await postSigned(events, secrets.SLACK_SIGNING_SECRET, slashCommandBody({ text: '1000 cons:1001001', response_url: slack.newResponseUrl() })).catch(() => undefined);
    expect(late === undefined || late.status !== 200).toBe(true);

    expect(await proc.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    for (const url of urls) {
      // The slower half also got a "looking up…" notice first; every lookup ends in its answer.
      const posts = slack.responsesTo(url);
      expect(posts.length, url).toBeGreaterThanOrEqual(1);
      expect(String(posts.at(-1)!.body.text)).toMatch(/has no interaction/);
      expect(posts.filter((p) => /has no interaction/.test(String(p.body.text)))).toHaveLength(1);
    }
    expect(luminate.lookupCount).toBe(20);

    const logs = proc.stdout();
    const lines = logs.trim().split('\n').map((l) => JSON.parse(l) as { msg?: string; event?: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['bot started', 'shutting down', 'stopped']));
    expect(lines.filter((l) => l.event === 'interaction.lookup')).toHaveLength(20);
    for (const secret of Object.values(secrets)) expect(logs + proc.stderr()).not.toContain(secret);
  });
});

describe('SIGTERM while Luminate hangs past the drain, with a long LUMINATE_TIMEOUT_MS', () => {
  it('gives up on the hung request after the 9 s drain instead of waiting for it, and exits 1', async () => {
    const secrets = { SLACK_BOT_TOKEN: 'xoxb-hung-test-token-0123456789', SLACK_SIGNING_SECRET: 'hung-test-signing-secret' };
    const luminate = await StandInLuminate.start({ apiKey: 'hung-api-key', loginName: 'bot', loginPassword: 'hung-password', latencyMs: 60_000 });
    const slack = await StandInSlack.start({ botToken: secrets.SLACK_BOT_TOKEN });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const proc = run(
      {
        ...secrets,
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
        LUMINATE_URL: luminate.url,
        LUMINATE_API_KEY: 'hung-api-key',
        LUMINATE_LOGIN_NAME: 'bot',
        LUMINATE_LOGIN_PASSWORD: 'hung-password',
        // The first attempt may run 90 s: far past any orchestrator's grace.
        LUMINATE_TIMEOUT_MS: '120000',
      },
      emptyDir(),
    );
    try {
      await waitForHealthy(`${base}/healthz`);
      const ack = await postSigned(`${base}/slack/events`, secrets.SLACK_SIGNING_SECRET, slashCommandBody({ text: '1000 cons:1001001', response_url: slack.newResponseUrl() }));
      expect(ack.status).toBe(200);
      await waitUntil(() => luminate.requests.length >= 1, 5000, 'the lookup to reach Luminate');

      const signalled = Date.now();
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(1);
      // 9 s of drain, then out: not the minute Luminate would take.
      expect(Date.now() - signalled).toBeLessThan(12_000);
      const lines = proc.stdout().trim().split('\n').map((l) => JSON.parse(l) as { msg?: string; drained?: boolean });
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'stopped', drained: false }));
    } finally {
      proc.child.kill('SIGKILL');
      await Promise.all([luminate.close(), slack.close()]);
    }
  }, 90_000);
});
