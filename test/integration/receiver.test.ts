import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { createCaches } from '../../src/service/caches.js';
import { startStandInSystem, type StandInSystem } from '../../dev/stand-ins/harness.js';
import { postSigned, slashCommandBody } from '../../dev/stand-ins/signed-requests.js';
import { StandInSlack } from '../../dev/stand-ins/slack.js';

let system: StandInSystem;
beforeAll(async () => {
  system = await startStandInSystem();
});
afterAll(async () => {
  await system.stop();
});

describe('the receiver', () => {
  const body = () => slashCommandBody({ text: '1000 jane@example.org', response_url: system.slack.newResponseUrl() });

  it('refuses a request signed with another secret', async () => {
    const response = await postSigned(system.botUrl, system.signingSecret, body(), { signingSecret: 'not-the-secret' });
    expect(response.status).toBe(401);
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('refuses a replayed request older than five minutes', async () => {
    const response = await postSigned(system.botUrl, system.signingSecret, body(), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(response.status).toBe(401);
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('refuses an unsigned request', async () => {
    const response = await fetch(system.botUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body() });
    expect(response.status).toBe(401);
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('serves /healthz once started', async () => {
    const response = await fetch(system.botUrl.replace('/slack/events', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('checks the bot token with auth.test at start-up (Bolt for its bot id, the bot for its own team)', async () => {
    const calls = system.slack.callsTo('auth.test');
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call).toEqual({ method: 'auth.test', args: {}, authorized: true });
  });
});

describe('start-up with a token Slack rejects', () => {
  it('fails start() instead of crashing the process', async () => {
    const slack = await StandInSlack.start({ botToken: 'xoxb-the-real-one' });
    const config = parseConfig({
      SLACK_BOT_TOKEN: 'xoxb-a-revoked-token',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
      LUMINATE_URL: 'http://127.0.0.1:9/org/site',
      LUMINATE_API_KEY: 'k',
      LUMINATE_LOGIN_NAME: 'n',
      LUMINATE_LOGIN_PASSWORD: 'p',
    });
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', secrets: [], write: (l) => lines.push(l) });
    const caches = createCaches({ getInteraction: () => Promise.reject(new Error('unused')) }, { ttlSeconds: 1, maxEntries: 1 });
    const bot = createBot({ config, logger, caches });
    await expect(bot.start({ port: 0, host: '127.0.0.1' })).rejects.toThrow(/invalid_auth/);
    await slack.close();
  });
});

describe('graceful stop', () => {
  it('finishes an acknowledged lookup, then refuses new requests', async () => {
    const own = await startStandInSystem();
    own.luminate.latencyMs = 600;
    const ack = await own.slashCommand('1000 cons:1001001');
    expect(ack.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(own.bot.pendingAnswers).toBe(1);
    const stopped = own.bot.stop(5000);
    const health = await fetch(own.botUrl.replace('/slack/events', '/healthz')).catch(() => undefined);
    expect(health === undefined || health.status === 503).toBe(true);
    expect(await stopped).toBe(true);
    const answer = own.slack.responsesTo(ack.responseUrl);
    expect(answer).toHaveLength(1);
    expect(JSON.stringify(answer[0]!.body)).toContain('Sample Subject');
    await expect(own.slashCommand('1000 cons:1001001')).rejects.toThrow();
    await own.stop();
  });
});
