import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatReport, runDoctor } from '../../src/doctor/run-doctor.js';
import { StandInLuminate } from '../../dev/stand-ins/luminate.js';
import { StandInSlack } from '../../dev/stand-ins/slack.js';
import { doctorEnv } from '../support/doctor.js';

const secrets = { token: 'xoxb-doctor-test-token-123', signing: 'doctor-signing-secret', apiKey: 'doctor-api-key', password: 'doctor-password' };
let luminate: StandInLuminate;
let slack: StandInSlack;
let env: Record<string, string>;

beforeAll(async () => {
  luminate = await StandInLuminate.start({ apiKey: secrets.apiKey, loginName: 'bot', loginPassword: secrets.password });
  slack = await StandInSlack.start({ botToken: secrets.token });
});
afterAll(async () => {
  await Promise.all([luminate.close(), slack.close()]);
});
beforeEach(() => {
  luminate.reset();
  env = doctorEnv(luminate, slack, secrets);
});

async function report(overrides: Record<string, string> = {}) {
  const checks = await runDoctor({ ...env, ...overrides });
  const text = formatReport(checks);
  for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
  return { checks, text, ok: checks.every((c) => c.ok) };
}

describe('npm run doctor', () => {
  it('with Log to Luminate on, says to confirm the write with one test log, and never writes itself', async () => {
    const { ok, text } = await report({ LUMINATE_LOGGING_ENABLED: 'true' });
    expect(ok).toBe(true);
    expect(text).toContain('Log to Luminate is on: confirm logInteraction with one test log');
    expect(luminate.callCount('logInteraction')).toBe(0);
  });

  it('passes every check against a healthy setup, naming the workspace', async () => {
    const { ok, text } = await report();
    expect(ok).toBe(true);
    expect(text).toMatch(/^✓ config {3}every variable is valid \(HTTP mode on port 3000\)$/m);
    expect(text).toContain('✓ slack    SLACK_BOT_TOKEN works: workspace "Stand-in workspace" (T0STANDIN), bot user @luminate-bot');
    expect(text).toContain('✓ luminate the API key and the service account are accepted');
    // Each method the bot calls, once, with credentials Luminate accepted.
    expect(luminate.requests.map((r) => r.apiMethod).sort()).toEqual(['getInteraction', 'getUser', 'getUserInteractions']);
    expect(luminate.requests.every((r) => r.credentialsAccepted)).toBe(true);
  });

  // Code 14 is per method: an account allowed getInteraction may still be refused the donor's name or list.
  it.each(['getUser', 'getUserInteractions'])('says when the service account may not call %s', async (method) => {
    luminate.faultFor = (_n, request) => (request.apiMethod === method ? { kind: 'error', code: '14' } : null);
    const { ok, checks } = await report();
    expect(ok).toBe(false);
    expect(checks.find((c) => c.name === 'luminate')!.detail).toMatch(new RegExp(`may not call ${method} \\(code 14\\)`));
  });

  it('names every bad variable and skips the live checks', async () => {
    const { ok, checks } = await report({ SLACK_BOT_TOKEN: 'xoxp-nope', LUMINATE_URL: '' });
    expect(ok).toBe(false);
    expect(checks.filter((c) => c.name === 'config').map((c) => c.detail.split(' ')[0])).toEqual(['SLACK_BOT_TOKEN', 'LUMINATE_URL']);
    expect(checks.find((c) => c.name === 'slack')!.detail).toMatch(/fix the configuration first/);
    expect(luminate.requests).toHaveLength(0);
  });

  it('points at .env.example once, after the lines, and never stacks parentheses', async () => {
    const { text } = await report({ SLACK_BOT_TOKEN: '', LUMINATE_URL: '', LUMINATE_API_KEY: '' });
    expect(text.match(/\.env\.example/g)).toHaveLength(1);
    expect(text.split('\n').at(-1)).toMatch(/\.env\.example/);
    expect(text).not.toMatch(/\) \(/);
  });

  it.each([
    ['a wrong API key', { LUMINATE_API_KEY: 'wrong-key' }, /rejected LUMINATE_API_KEY \(code 2\)/],
    ['a wrong password', { LUMINATE_LOGIN_PASSWORD: 'wrong-password' }, /rejected the service account \(code 3\).*LUMINATE_LOGIN_PASSWORD/],
    ['a wrong LUMINATE_URL', { LUMINATE_URL: 'http://127.0.0.1:1/org/site' }, /could not reach .*LUMINATE_URL/],
  ])('says what to fix for %s', async (_what, overrides, expected) => {
    const { ok, checks } = await report(overrides);
    expect(ok).toBe(false);
    expect(checks.find((c) => c.name === 'luminate')!.detail).toMatch(expected);
  });

  it('says which IP to add when Luminate names it', async () => {
    luminate.fault = { kind: 'error', code: '4', message: 'Request not allowed from source IP address 203.0.113.7.' };
    expect((await report()).text).toContain('✗ luminate this machine\'s IP address is not on Luminate\'s API allow-list (code 4): add 203.0.113.7/32');
  });

  it('recognises a LUMINATE_URL that serves web pages rather than the API', async () => {
    const { text } = await report({ LUMINATE_URL: `${luminate.url.replace('/yourorg/site', '/wrong/site')}` });
    expect(text).toMatch(/✗ luminate .*SRConsAPI is not Luminate's SRConsAPI \(Luminate answered HTTP 404\): LUMINATE_URL should be the site base/);
    luminate.fault = { kind: 'html' };
    expect((await report()).text).toMatch(/HTML page.*LUMINATE_URL should be the site base/);
  });

  it('reports a token Slack rejects', async () => {
    const { text } = await report({ SLACK_BOT_TOKEN: 'xoxb-revoked-or-wrong' });
    expect(text).toContain('✗ slack    Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
    expect(text).not.toContain('xoxb-revoked-or-wrong');
  });
});

describe('npm run doctor says only what it knows', () => {
  it('code 1 does not claim the credentials were accepted', async () => {
    luminate.fault = { kind: 'error', code: '1' };
    const detail = (await report()).checks.find((c) => c.name === 'luminate')!.detail;
    expect(detail).not.toMatch(/are accepted/);
    expect(detail).toMatch(/code 1.*not confirmed/);
  });

  it('a timeout waited as long as it says', async () => {
    luminate.fault = { kind: 'hang' };
    const started = performance.now();
    const detail = (await report()).checks.find((c) => c.name === 'luminate')!.detail;
    const waited = performance.now() - started;
    const said = Number(/did not answer within (\d+) ms/.exec(detail)?.[1]);
    expect(said).toBe(1000);
    expect(waited).toBeGreaterThanOrEqual(said * 0.95);
  });

  it('a redirect names the host Luminate pointed at', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(301, { location: 'https://secure3.convio.net/yourorg/site/SRConsAPI' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const detail = (await report({ LUMINATE_URL: `http://127.0.0.1:${port}/yourorg/site` })).checks.find((c) => c.name === 'luminate')!.detail;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(detail).toMatch(/HTTP 301.*secure3\.convio\.net.*LUMINATE_URL/);
  });
});
