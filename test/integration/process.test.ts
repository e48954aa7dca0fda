import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandInLuminate } from '../../src/stand-ins/luminate.js';
import { postSigned, slashCommandBody } from '../../src/stand-ins/signed-requests.js';
import { StandInSlack } from '../../src/stand-ins/slack.js';
import { waitUntil } from '../support/system.js';

/** `npm start` runs this; `npm test` builds it before vitest runs. */
const ENTRY = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>, cwd: string): Run {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" (npm test does)`);
  // Only PATH from this environment: no developer's variables leak into the test.
  const child = spawn(process.execPath, [ENTRY], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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
  let proc: Run;
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
    await waitUntil(async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.status === 200, 10_000, 'the bot to be healthy');
  });
  afterAll(async () => {
    proc.child.kill('SIGKILL');
    await Promise.all([luminate.close(), slack.close()]);
  });

  it('answers a command, and on SIGTERM finishes the lookup in flight before exiting 0', async () => {
    luminate.latencyMs = 800;
    const responseUrl = slack.newResponseUrl();
    const ack = await postSigned(`${base}/slack/events`, secrets.SLACK_SIGNING_SECRET, slashCommandBody({ text: '1000 jane@example.org', response_url: responseUrl }));
    expect(ack.status).toBe(200);
    await expect.poll(() => luminate.requests.length).toBe(1);
    proc.child.kill('SIGTERM');

    const answer = await slack.waitForResponse(responseUrl, 1, 5000);
    expect(JSON.stringify(answer.body)).toContain('Sample Subject');
    expect(await proc.exited).toBe(0);

    const logs = proc.stdout();
    const lines = logs.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['bot started', 'shutting down', 'stopped']));
    for (const secret of Object.values(secrets)) expect(logs + proc.stderr()).not.toContain(secret);
  });
});
