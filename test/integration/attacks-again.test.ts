import { describe, expect, it } from 'vitest';
import { interactivityBody, postSigned, slashCommandBody } from '../../dev/stand-ins/signed-requests.js';
import { buttonClick, messageShortcut, modalSubmission } from '../support/payloads.js';
import { commandAnswer, modalAnswer, sealedOrigin, useStandInSystem, waitUntil } from '../support/system.js';
import { encodeCardReference } from '../../src/slack/card-reference.js';

/** Attacks tried again on the fixed bot, each one a hole that was still open. */

describe('a replay of a request dated ahead of the bot clock', () => {
  // The bot's clock, moved forward by the test; Bolt's signature check keeps the real time.
  let offsetMs = 0;
  const system = useStandInSystem({ clock: () => Date.now() + offsetMs });

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

describe('LOG_LEVEL=debug', () => {
  const system = useStandInSystem({ env: { LOG_LEVEL: 'debug' } });

  it("keeps donor data out of Bolt's debug lines (which quote every Web API request and result)", async () => {
    // The card in an ephemeral message (chat.postEphemeral), in a modal (views.update), shared (chat.postMessage),
    // and a form prefilled with a donor (views.open).
    await system.interact(messageShortcut({ text: 'interaction 1000 for member:JD-1001', responseUrl: system.slack.newResponseUrl() }));
    await system.slack.waitForCall('chat.postEphemeral');
    // Two interaction ids: the form opens, prefilled with the donor (a donor alone would get their list).
    await system.interact(messageShortcut({ text: 'please look at interaction 1000 or interaction 1001 of member:FAM-2 thanks', responseUrl: system.slack.newResponseUrl() }));
    await system.slack.waitForCall('views.open');
    await modalAnswer(system, modalSubmission({ interactionId: '1000', donor: 'member:JD-1001', privateMetadata: sealedOrigin(system, 'C0DONORS') }));
    const value = encodeCardReference({ request: { interactionId: 1000, identifier: { kind: 'member', memberId: 'JD-1001' } }, channelId: 'C0DONORS', threadTs: null });
    await system.interact(buttonClick({ actionId: 'interaction_share', value, in: { message: { channel: 'C0DONORS', responseUrl: system.slack.newResponseUrl() } } }));
    await system.slack.waitForCall('chat.postMessage');
    await new Promise((r) => setTimeout(r, 300));

    // Debug still shows what Bolt did: the calls themselves are there.
    expect(system.logLines.join('\n')).toContain("apiCall('chat.postMessage')");
    expect(system.logLines.join('\n')).toContain("apiCall('views.open')");
    // The subject and note of sample interaction 1000, its donor's record link, and the member id that prefilled the form are not.
    // (The form's own placeholder names the sample ids, so those are not searched for.)
    for (const donorText of ['Sample Subject', 'Lorem ipsum', 'consId=1001001', 'FAM-2']) {
      expect(system.logLines.filter((line) => line.includes(donorText)).map((line) => line.slice(0, 200)), donorText).toEqual([]);
    }
  });
});

describe('Luminate down behind a large error page', () => {
  const system = useStandInSystem();

  it('a 503 whose page is over the 1 MB body cap reads as unavailable (and is retried), like a small one', async () => {
    const page = `<html><body>${'<p>Scheduled maintenance.</p>'.repeat(60_000)}</body></html>`;
    expect(page.length).toBeGreaterThan(1024 * 1024);
    system.luminate.fault = { kind: 'status', status: 503, contentType: 'text/html', body: page };
    const { answer: large } = await commandAnswer(system, '1000 cons:1001001');
    const largeRequests = system.luminate.lookupCount;
    system.luminate.reset();
    system.luminate.fault = { kind: 'status', status: 503, contentType: 'text/html', body: '<html><body>Scheduled maintenance.</body></html>' };
    const { answer: small } = await commandAnswer(system, '1000 cons:1001001');
    expect(small.text).toMatch(/unavailable/);
    expect(large.text).toBe(small.text);
    // 502/503/504 are retried (and counted by the circuit breaker), whatever the page's size.
    expect(largeRequests).toBe(system.luminate.lookupCount);
  });
});

describe('a signed request whose timestamp is not a number', () => {
  const system = useStandInSystem();

  // Bolt refuses NaN, but Infinity is never older than 5 minutes: a request signed so would be valid for ever.
  it.each(['Infinity', '1e400'])('is refused like a stale one (%s), not accepted for ever', async (timestamp) => {
    const body = slashCommandBody({ text: '1000 cons:1001001', user_id: 'U0NOTIME', response_url: system.slack.newResponseUrl() });
    const response = await postSigned(system.botUrl, system.signingSecret, body, { timestamp: timestamp as unknown as number });
    expect(response.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(system.audit).toHaveLength(0);
    expect(system.luminate.requests).toHaveLength(0);
  });
});

describe('Share from a modal', () => {
  const system = useStandInSystem();

  it('posts to the channel sealed into the modal, never to one named only by the button value', async () => {
    // A button value is not sealed: a signed click can carry any channel in it, as the modal's metadata could before it was sealed.
    const value = encodeCardReference({ request: { interactionId: 1000, identifier: { kind: 'cons', consId: '1001001' } }, channelId: 'C0ELSEWHERE', threadTs: null });
    await system.interact(buttonClick({ actionId: 'interaction_share', value, in: { modal: { privateMetadata: sealedOrigin(system, 'C0DONORS') } } }));
    await system.slack.waitForCall('chat.postMessage');
    expect(system.slack.callsTo('chat.postMessage').map((c) => c.args.channel)).toEqual(['C0DONORS']);
  });
});

describe('large request bodies, before any signature check', () => {
  const system = useStandInSystem();

  // Bolt buffers a body whole (up to 4 MB by default) before it can check the signature: anyone reaching the port
  // could make the bot hold 4 MB per connection (100 connections took a real process from 100 MB to 520 MB).
  it('refuses a body over 1 MB with 413, far more than Slack sends (a 40 000-character message is well under)', async () => {
    const large = `payload=${'a'.repeat(1024 * 1024 + 1)}`;
    const response = await postSigned(system.botUrl, system.signingSecret, large);
    expect(response.status).toBe(413);
    // A message shortcut on a 40 000-character message of 4-byte characters, its blocks mirroring the text, still passes.
    const text = '\u{1F600}'.repeat(20_000);
    const payload = messageShortcut({ text: `interaction 1000 cons:1001001 ${text}`, responseUrl: system.slack.newResponseUrl() });
    const withBlocks = { ...payload, message: { ...payload.message, blocks: [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] }] } };
    const body = interactivityBody(withBlocks);
    expect(body.length).toBeGreaterThan(400_000);
    const ok = await postSigned(system.botUrl, system.signingSecret, body);
    expect(ok.status).toBe(200);
  });
});
