import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { encodeCardReference } from '../../src/slack/card-reference.js';
import { createCaches } from '../../src/service/caches.js';
import { interactivityBody, postSigned, slashCommandBody } from '../../dev/stand-ins/signed-requests.js';
import { StandInSlack } from '../../dev/stand-ins/slack.js';
import { buttonClick, globalShortcut, messageShortcut, modalSubmission } from '../support/payloads.js';
import { allText, modalAnswer, sealedOrigin, type SlackMessageBody, useStandInSystem, waitUntil } from '../support/system.js';

/** Requests that only someone holding a captured or forged signed request would send. */
const system = useStandInSystem({ env: { SLACK_ALLOWED_CHANNELS: 'C0DONORS', LOOKUP_RATE_PER_MINUTE: '3' } });

const now = () => Math.floor(Date.now() / 1000);
const settle = () => new Promise((r) => setTimeout(r, 300));
const send = (body: string, timestamp = now()) => postSigned(system.botUrl, system.signingSecret, body, { timestamp });

describe('replays', () => {
  it('a replayed command gets an empty ack: one audit line, one rate token, no card in the replay', async () => {
    const user = 'U0REPLAY';
    // Cache the card, so an unguarded replay would carry it in the HTTP reply itself.
    const warm = await system.slashCommand('1000 cons:1001001', { user_id: user });
    await system.slack.waitForResponse(warm.responseUrl);
    system.audit.length = 0;

    const body = slashCommandBody({ text: '1000 cons:1001001', user_id: user, response_url: system.slack.newResponseUrl() });
    const timestamp = now();
    const first = await send(body, timestamp);
    expect(first.body).toContain('Sample Subject');
    for (const _ of [1, 2]) {
      const replay = await send(body, timestamp);
      expect(replay.status).toBe(200);
      expect(replay.body).toBe('');
    }
    await settle();
    expect(system.audit).toHaveLength(1);
    // Tokens: warm-up and the first request took two of three; the third is still there.
    const third = await system.slashCommand('1001 cons:1001001', { user_id: user });
    const answer = third.body ? third.body : JSON.stringify((await system.slack.waitForResponse(third.responseUrl)).body);
    expect(answer).toContain('Interaction 1001');
  });

  it('a replayed Share click posts once', async () => {
    const value = encodeCardReference({ request: { interactionId: 1000, identifier: { kind: 'cons', consId: '1001001' } }, channelId: 'C0DONORS', threadTs: null });
    const body = interactivityBody(buttonClick({ actionId: 'interaction_share', value, user: 'U0SHARER', in: { message: { channel: 'C0DONORS', responseUrl: system.slack.newResponseUrl() } } }));
    const timestamp = now();
    const acks = [await send(body, timestamp), await send(body, timestamp), await send(body, timestamp)];
    expect(acks.map((a) => a.status)).toEqual([200, 200, 200]);
    await system.slack.waitForCall('chat.postMessage');
    await settle();
    expect(system.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(system.audit.filter((a) => a.event === 'interaction.share')).toHaveLength(1);
  });

  it('two different actions by the same person are both served', async () => {
    await system.interact(messageShortcut({ text: 'interaction 1000 cons:1001001', user: 'U0TWICE', responseUrl: system.slack.newResponseUrl() }));
    await system.interact(messageShortcut({ text: 'interaction 1000 cons:1001001', user: 'U0TWICE', responseUrl: system.slack.newResponseUrl() }));
    await system.slack.waitForCall('chat.postEphemeral', 2);
  });

  it('refuses a request dated 10 minutes ahead, as Bolt refuses one 6 minutes old', async () => {
    const response = await send(slashCommandBody({ text: '1000 cons:1001001', user_id: 'U0FUTURE', response_url: system.slack.newResponseUrl() }), now() + 10 * 60);
    expect(response.status).toBe(401);
    await settle();
    expect(system.luminate.requests).toHaveLength(0);
    expect(system.audit).toHaveLength(0);
  });
});

describe("response_urls that are not Slack's", () => {
  let internal: Server;
  const posted: string[] = [];
  let internalUrl: string;
  beforeAll(async () => {
    internal = createServer((req: IncomingMessage, res) => {
      posted.push(req.url ?? '');
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}/internal/secret-path`;
  });
  afterAll(() => new Promise<void>((resolve) => internal.close(() => resolve())));

  it('a command naming another server gets nothing posted there, no lookup, and a log line naming only the origin', async () => {
    const ack = await system.slashCommand('1002 cons:1001001', { user_id: 'U0HOOK', response_url: internalUrl });
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    await settle();
    expect(posted).toEqual([]);
    expect(system.luminate.requests).toHaveLength(0);
    const refusal = system.logLines.filter((l) => l.includes("not Slack's"));
    // One line per refused request, naming who sent it and where it pointed.
    expect(refusal).toHaveLength(1);
    expect(refusal[0]).toContain('U0HOOK');
    expect(refusal.join('\n')).toContain(new URL(internalUrl).origin);
    expect(system.logLines.join('\n')).not.toContain('secret-path');
  });

  it('a click naming another server posts nothing there', async () => {
    const value = encodeCardReference({ request: { interactionId: 1000, identifier: { kind: 'cons', consId: '1001001' } }, channelId: 'C0DONORS', threadTs: null });
    await system.interact(buttonClick({ actionId: 'interaction_refresh', value, user: 'U0HOOK2', in: { message: { channel: 'C0DONORS', responseUrl: internalUrl } } }));
    await settle();
    expect(posted).toEqual([]);
    expect(system.luminate.requests).toHaveLength(0);
  });
});

describe('other workspaces', () => {
  it('a command from team T0OTHER is refused with one denied audit line and no Luminate call', async () => {
    const ack = await system.slashCommand('1000 cons:1001001', { user_id: 'U0AWAY', team_id: 'T0OTHER' });
    expect(ack.status).toBe(200);
    expect(allText(JSON.parse(ack.body) as SlackMessageBody)).toContain('only answers in the workspace it is installed in');
    await settle();
    expect(system.luminate.requests).toHaveLength(0);
    expect(system.slack.responsesTo(ack.responseUrl)).toHaveLength(0);
    expect(system.audit).toEqual([expect.objectContaining({ event: 'interaction.lookup', user: 'U0AWAY', team: 'T0OTHER', surface: 'command', outcome: 'denied' })]);
  });

  it('a message shortcut from another team is refused the same way', async () => {
    const payload = { ...messageShortcut({ text: 'interaction 1000 cons:1001001', user: 'U0AWAY', responseUrl: system.slack.newResponseUrl() }), team: { id: 'T0OTHER', domain: 'other' } };
    const ack = await system.interact(payload);
    expect(ack).toMatchObject({ status: 200, body: '' });
    await settle();
    expect(system.luminate.requests).toHaveLength(0);
    expect(system.slack.callsTo('chat.postEphemeral')).toHaveLength(0);
    expect(system.audit).toEqual([expect.objectContaining({ team: 'T0OTHER', surface: 'message_shortcut', outcome: 'denied' })]);
  });

  it('our team id inside another Enterprise Grid org is refused', async () => {
    const ack = await system.slashCommand('1000 cons:1001001', { user_id: 'U0GRID', enterprise_id: 'E0OTHER' });
    expect(allText(JSON.parse(ack.body) as SlackMessageBody)).toContain('only answers in the workspace');
    await settle();
    expect(system.luminate.requests).toHaveLength(0);
    expect(system.audit).toEqual([expect.objectContaining({ outcome: 'denied' })]);
  });
});

describe('modal metadata', () => {
  it('the global shortcut is refused where channels are restricted (the surface a submission must match)', async () => {
    await system.interact(globalShortcut({ user: 'U0META' }));
    expect(JSON.stringify((await system.slack.waitForCall('views.open')).args.view)).toContain('only be looked up from allowed channels');
  });

  const forgeries: [string, () => string][] = [
    ['hand-written', () => '{"c":"C0DONORS","t":null}'],
    ['with a made-up seal', () => '{"c":"C0DONORS","t":null,"s":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}'],
    ['sealed for another channel, channel swapped', () => JSON.stringify({ ...(JSON.parse(sealedOrigin(system, 'C0RANDOM')) as object), c: 'C0DONORS' })],
  ];
  it.each(forgeries)('a submission whose metadata names an allowed channel, %s, is refused without a Luminate call', async (_, metadata) => {
    const view = await modalAnswer(system, modalSubmission({ interactionId: '1000', donor: 'cons:1001001', privateMetadata: metadata(), user: 'U0META' }));
    expect(JSON.stringify(view)).toContain('only be looked up from allowed channels');
    expect(system.luminate.requests).toHaveLength(0);
    expect(system.audit).toEqual([expect.objectContaining({ surface: 'modal', channel: null, outcome: 'denied' })]);
  });

  it('the metadata the bot sealed when a message shortcut opened the form is honoured', async () => {
    await system.interact(messageShortcut({ text: 'interaction 1000?', user: 'U0META2', responseUrl: system.slack.newResponseUrl() }));
    const opened = (await system.slack.waitForCall('views.open')).args.view as { private_metadata: string };
    await system.interact(modalSubmission({ interactionId: '1002', donor: 'cons:1001001', privateMetadata: opened.private_metadata, user: 'U0META2' }));
    // Served for the channel Slack reported to the shortcut (cached or not, the audit line says where).
    await waitUntil(() => system.audit.length > 0, 5000, 'the audit line');
    expect(system.audit).toEqual([expect.objectContaining({ surface: 'modal', channel: 'C0DONORS', outcome: 'found' })]);
  });
  // The card's buttons carry the channel in their value, which a signed payload can write as it likes;
  // in a modal only the sealed metadata says where the form was opened.
  it.each([['interaction_refresh'], ['interaction_share']])(
    'a %s click in a modal opened without a channel, whose button names an allowed channel, is refused without a Luminate call',
    async (actionId) => {
      const value = encodeCardReference({ request: { interactionId: 1000, identifier: { kind: 'cons', consId: '1001001' } }, channelId: 'C0DONORS', threadTs: null });
      await system.interact(buttonClick({ actionId, value, user: 'U0META3', in: { modal: { privateMetadata: sealedOrigin(system, null) } } }));
      // The clicker is answered in the modal either way; what matters is what was done for them.
      const update = await system.slack.waitForCall('views.update');
      await settle();
      expect(JSON.stringify(update.args.view)).not.toContain('Sample Subject');
      expect(system.luminate.requests).toHaveLength(0);
      expect(system.slack.callsTo('chat.postMessage')).toHaveLength(0);
      expect(system.audit.filter((a) => a.outcome !== 'denied')).toEqual([]);
    },
  );
});

describe('the server itself', () => {
  it('closes connections that dribble a body within a few seconds, while /healthz keeps answering', async () => {
    const { port } = new URL(system.botUrl);
    const sockets: Socket[] = [];
    const closedAfter: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('close', () => closedAfter.push(Date.now() - started));
      socket.write(
        `POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/x-www-form-urlencoded\r\nx-slack-request-timestamp: ${now()}\r\nx-slack-signature: v0=00\r\ntransfer-encoding: chunked\r\n\r\n`,
      );
      sockets.push(socket);
    }
    const drip = setInterval(() => {
      for (const s of sockets) if (!s.destroyed) s.write('1\r\na\r\n');
    }, 1000);
    try {
      const health = await fetch(system.botUrl.replace('/slack/events', '/healthz'), { signal: AbortSignal.timeout(2000) });
      expect(health.status).toBe(200);
      await waitUntil(() => closedAfter.length === sockets.length, 12_000, 'the slow connections to be closed');
      expect(Math.max(...closedAfter)).toBeLessThan(10_000);
    } finally {
      clearInterval(drip);
      for (const s of sockets) s.destroy();
    }
  }, 20_000);

  it('listens on HOST', async () => {
    const slack = await StandInSlack.start({ botToken: 'xoxb-host-test' });
    const config = parseConfig({
      SLACK_BOT_TOKEN: 'xoxb-host-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
      LUMINATE_URL: 'http://127.0.0.1:9/org/site',
      LUMINATE_API_KEY: 'k',
      LUMINATE_LOGIN_NAME: 'n',
      LUMINATE_LOGIN_PASSWORD: 'p',
      PORT: '0',
      HOST: '127.0.0.1',
    });
    const logger = createLogger({ level: 'error', secrets: [], write: () => undefined });
    const caches = createCaches({ getInteraction: () => Promise.reject(new Error('unused')) }, { ttlSeconds: 1, maxEntries: 1 });
    const bot = createBot({ config, logger, caches });
    try {
      const { port, address } = await bot.start();
      expect(address).toBe('127.0.0.1');
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await bot.stop(100);
      await slack.close();
    }
  });
});
