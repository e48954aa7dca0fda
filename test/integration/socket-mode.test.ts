import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createBot, type Bot } from '../../src/app.js';
import { createAuditLog } from '../../src/observability/audit.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { LuminateClient } from '../../src/luminate/client.js';
import { createCaches } from '../../src/service/caches.js';
import { StandInLuminate } from '../../dev/stand-ins/luminate.js';
import { StandInSlack } from '../../dev/stand-ins/slack.js';
import { waitUntil } from '../support/system.js';

/**
 * Socket Mode end to end: the bot asks the stand-in Web API for a socket
 * (apps.connections.open, with the app token), connects to a stand-in Socket
 * Mode server, receives a slash command envelope, acks it over the socket,
 * and posts the card to the response_url. No signing secret is configured.
 */
const appToken = 'xapp-1-A0BOT-standin-socket-token';
const botToken = 'xoxb-socket-mode-test-token';
let luminate: StandInLuminate;
let slack: StandInSlack;
let sockets: WebSocketServer;
let client: LuminateClient;
let bot: Bot;
const fromBot: Record<string, unknown>[] = [];
const audit: Record<string, unknown>[] = [];
let connection: WebSocket | undefined;

beforeAll(async () => {
  luminate = await StandInLuminate.start({ apiKey: 'k', loginName: 'bot', loginPassword: 'p' });
  slack = await StandInSlack.start({ botToken, appToken });
  sockets = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => sockets.once('listening', resolve));
  slack.socketModeUrl = `ws://127.0.0.1:${(sockets.address() as { port: number }).port}/`;
  sockets.on('connection', (ws) => {
    connection = ws;
    ws.on('message', (data) => fromBot.push(JSON.parse(String(data)) as Record<string, unknown>));
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0BOT' }, debug_info: { host: 'stand-in' } }));
  });

  const config = parseConfig({
    SLACK_BOT_TOKEN: botToken,
    SLACK_APP_TOKEN: appToken,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    LUMINATE_URL: luminate.url,
    LUMINATE_API_KEY: 'k',
    LUMINATE_LOGIN_NAME: 'bot',
    LUMINATE_LOGIN_PASSWORD: 'p',
  });
  const logger = createLogger({ level: 'error', secrets: [appToken, botToken], write: () => {} });
  client = new LuminateClient(config.luminate);
  bot = createBot({
    config,
    logger,
    caches: createCaches(client, config.cache),
    audit: createAuditLog({ write: (line) => audit.push(JSON.parse(line) as Record<string, unknown>) }),
  });
  await bot.start();
});

afterAll(async () => {
  await bot.stop(2000);
  await client.close();
  for (const ws of sockets.clients) ws.terminate();
  await new Promise((resolve) => sockets.close(resolve));
  await Promise.all([luminate.close(), slack.close()]);
});

describe('Socket Mode', () => {
  it('opens the socket with the app token through SLACK_API_URL', () => {
    expect(slack.callsTo('apps.connections.open')).toEqual([{ method: 'apps.connections.open', args: {}, authorized: true }]);
    expect(connection).toBeDefined();
  });

  it('acks a slash command over the socket and answers at its response_url', async () => {
    const responseUrl = slack.newResponseUrl();
    connection!.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          command: '/interaction',
          text: '1000 jane@example.org',
          user_id: 'U0AGENT',
          channel_id: 'C0DONORS',
          team_id: 'T0STANDIN',
          response_url: responseUrl,
          trigger_id: '1.2.trigger',
          api_app_id: 'A0BOT',
        },
      }),
    );
    await waitUntil(() => fromBot.some((m) => m.envelope_id === 'env-1'), 5000, 'the ack over the socket');
    const answer = await slack.waitForResponse(responseUrl);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', text: 'Interaction 1000: Sample Subject' });
    await waitUntil(() => audit.length > 0, 2000, 'the audit line');
    expect(audit).toMatchObject([{ event: 'interaction.lookup', surface: 'command', outcome: 'found' }]);
  });
});
