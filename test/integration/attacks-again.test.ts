import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandInSystem, type StandInSystem } from '../../dev/stand-ins/harness.js';
import { postSigned, slashCommandBody } from '../../dev/stand-ins/signed-requests.js';
import { expectNoSecretLeaked, waitUntil } from '../support/system.js';

/** Attacks tried again on the fixed bot, each one a hole that was still open. */

describe('a replay of a request dated ahead of the bot clock', () => {
  let system: StandInSystem;
  // The bot's clock, moved forward by the test; Bolt's signature check keeps the real time.
  let offsetMs = 0;
  beforeAll(async () => {
    system = await startStandInSystem({ clock: () => Date.now() + offsetMs });
  });
  afterAll(async () => {
    expectNoSecretLeaked(system);
    await system.stop();
  });

  it('is refused for as long as its signature is accepted, not only 5 minutes after it was first seen', async () => {
    // Slack's clock 4 minutes ahead of the bot's (or a request dated so): accepted, and valid until 9 minutes from now.
    const timestamp = Math.floor(Date.now() / 1000) + 4 * 60;
    const body = slashCommandBody({ text: '1000 cons:1001001', user_id: 'U0AHEAD', response_url: system.slack.newResponseUrl() });
    const first = await postSigned(system.botUrl, system.signingSecret, body, { timestamp });
    expect(first.status).toBe(200);
    await waitUntil(() => system.audit.length === 1, 5000, 'the first request to be served');

    // Five minutes and a second later the signature is still inside Slack's window (its date is only 61 s past).
    offsetMs = 5 * 60_000 + 1000;
    const replay = await postSigned(system.botUrl, system.signingSecret, body, { timestamp });
    expect(replay.status).toBe(200);
    expect(replay.body).toBe('');
    await new Promise((r) => setTimeout(r, 300));
    expect(system.audit).toHaveLength(1);
  });
});
