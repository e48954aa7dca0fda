import { describe, expect, it } from 'vitest';
import { encodeCardReference } from '../../src/slack/card-reference.js';
import { buttonClick } from '../support/payloads.js';
import { allText, sealedOrigin, type SlackMessageBody, useStandInSystem } from '../support/system.js';

// No allow-lists: the attack review's case, where nothing but this check stands between a card and another organisation.
const system = useStandInSystem();

const reference = (channelId: string) => encodeCardReference({ request: { interactionId: 1000, identifier: { kind: 'cons', consId: '1001001' } }, channelId, threadTs: null });

/** Clicks Share on a card in `channel` and returns the response_url of the click. */
async function share(channel: string): Promise<string> {
  const responseUrl = system.slack.newResponseUrl();
  await system.interact(buttonClick({ actionId: 'interaction_share', value: reference(channel), in: { message: { channel, responseUrl } } }));
  return responseUrl;
}

const shareEvents = () => system.audit.filter((a) => a.event === 'interaction.share');
const inChannelPosts = () => system.slack.responses.filter((r) => r.body.response_type === 'in_channel');

/** Shares into `channel` and resolves with what the person was told, once the share line is audited. */
async function refusedShare(channel: string, timeoutMs = 5000): Promise<string> {
  const responseUrl = await share(channel);
  const told = (await system.slack.waitForResponse(responseUrl, 1, timeoutMs)).body as SlackMessageBody;
  await expect.poll(() => shareEvents().length).toBe(1);
  expect(system.slack.callsTo('chat.postMessage')).toHaveLength(0);
  expect(inChannelPosts()).toHaveLength(0);
  expect(told.response_type).toBe('ephemeral');
  expect(allText(told)).not.toContain('Sample Subject');
  return allText(told);
}

describe('Share asks Slack who is in the channel before posting a donor card', () => {
  it('an internal channel: shared as before, after one conversations.info', async () => {
    await share('C0INTERNAL');
    const posted = await system.slack.waitForCall('chat.postMessage');
    expect(posted.args.channel).toBe('C0INTERNAL');
    expect(system.slack.callsTo('conversations.info').map((c) => c.args.channel)).toEqual(['C0INTERNAL']);
    await expect.poll(() => shareEvents()).toEqual([expect.objectContaining({ channel: 'C0INTERNAL', outcome: 'shared' })]);
  });

  it('a Slack Connect channel: refused, nothing posted, the person told why, audited as denied', async () => {
    system.slack.channels.set('C0CONNECT', { is_shared: true, is_ext_shared: true });
    const told = await refusedShare('C0CONNECT');
    expect(told).toContain('Not shared: this conversation includes people from another organisation (Slack Connect).');
    expect(told).toContain('share it in an internal channel instead');
    expect(shareEvents()).toEqual([expect.objectContaining({ channel: 'C0CONNECT', outcome: 'denied', user: 'U0AGENT' })]);
  });

  it('a Slack Connect channel the bot is not in: the response_url fallback posts nothing either', async () => {
    system.slack.channels.set('C0CONNECT2', { is_shared: true, is_ext_shared: true });
    system.slack.failingMethods.set('chat.postMessage', 'not_in_channel');
    expect(await refusedShare('C0CONNECT2')).toContain('Slack Connect');
    expect(shareEvents()).toEqual([expect.objectContaining({ outcome: 'denied' })]);
  });

  it('a channel with a pending invitation to another organisation: refused', async () => {
    system.slack.channels.set('C0PENDING', { is_pending_ext_shared: true, pending_shared: ['T0OTHER'] });
    expect(await refusedShare('C0PENDING')).toContain('pending invitation to another organisation');
    expect(shareEvents()).toEqual([expect.objectContaining({ outcome: 'denied' })]);
  });

  it('a DM whose answer does not say it is internal: refused (fails closed)', async () => {
    system.slack.channels.set('D0WITHGUEST', { is_channel: false, is_im: true, is_ext_shared: undefined, is_shared: undefined, is_pending_ext_shared: undefined });
    expect(await refusedShare('D0WITHGUEST')).toContain('Slack did not confirm that only people from your organisation are in this conversation');
    expect(shareEvents()).toEqual([expect.objectContaining({ outcome: 'denied' })]);
  });

  it('a conversation the bot cannot see (channel_not_found): refused, with how to add the bot', async () => {
    system.slack.failingMethods.set('conversations.info', 'channel_not_found');
    expect(await refusedShare('G0HIDDEN')).toContain("the bot can't see this conversation");
  });

  it('missing_scope: refused, and an admin is told which scopes to reinstall with', async () => {
    system.slack.failingMethods.set('conversations.info', 'missing_scope');
    const told = await refusedShare('C0NOSCOPE');
    expect(told).toContain('An admin must reinstall the app with the channels:read, groups:read, im:read and mpim:read scopes.');
    expect(shareEvents()).toEqual([expect.objectContaining({ outcome: 'error' })]);
    expect(system.logLines.join('\n')).toContain('conversations.info failed');
  });

  it('a 429 from conversations.info: refused at once, try again later', async () => {
    system.slack.rateLimitedMethods.set('conversations.info', 20);
    const started = Date.now();
    expect(await refusedShare('C0LIMITED')).toContain("Slack didn't say in time");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a hung conversations.info: refused within the Slack timeout, never posted', async () => {
    system.slack.hangingMethods.add('conversations.info');
    const started = Date.now();
    expect(await refusedShare('C0HUNG', 8000)).toContain("Slack didn't say in time");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('the answer is cached briefly: two shares into one channel ask Slack once', async () => {
    await share('C0TWICE');
    await system.slack.waitForCall('chat.postMessage', 1);
    await share('C0TWICE');
    await system.slack.waitForCall('chat.postMessage', 2);
    await expect.poll(() => shareEvents().map((e) => e.outcome)).toEqual(['shared', 'shared']);
    expect(system.slack.callsTo('conversations.info')).toHaveLength(1);
  });

  it('a failed check is not cached: the next share asks again and can succeed', async () => {
    system.slack.failingMethods.set('conversations.info', 'missing_scope');
    await refusedShare('C0RETRY');
    system.slack.failingMethods.delete('conversations.info');
    await share('C0RETRY');
    await system.slack.waitForCall('chat.postMessage');
    await expect.poll(() => shareEvents().map((e) => e.outcome)).toEqual(['error', 'shared']);
    expect(system.slack.callsTo('conversations.info')).toHaveLength(2);
  });

  it('in a modal: the sealed channel is checked; the card stays with the reason under it', async () => {
    system.slack.channels.set('C0MODALEXT', { is_shared: true, is_ext_shared: true });
    await system.interact(buttonClick({ actionId: 'interaction_share', value: reference('C0MODALEXT'), in: { modal: { privateMetadata: sealedOrigin(system, 'C0MODALEXT') } } }));
    const view = (await system.slack.waitForCall('views.update')).args.view as { blocks: unknown[] };
    expect(JSON.stringify(view.blocks)).toContain('Sample Subject');
    expect(JSON.stringify(view.blocks)).toContain('Slack Connect');
    expect(system.slack.callsTo('conversations.info').map((c) => c.args.channel)).toEqual(['C0MODALEXT']);
    expect(system.slack.callsTo('chat.postMessage')).toHaveLength(0);
    await expect.poll(() => shareEvents().map((e) => e.outcome)).toEqual(['denied']);
  });
});
