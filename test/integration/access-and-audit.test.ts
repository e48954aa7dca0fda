import { describe, expect, it } from 'vitest';
import { encodeCardReference } from '../../src/slack/card-reference.js';
import { startStandInSystem } from '../../dev/stand-ins/harness.js';
import { buttonClick, globalShortcut, messageShortcut, modalSubmission } from '../support/payloads.js';
import { allText, commandAnswer, modalAnswer, sealedOrigin, type SlackMessageBody, useStandInSystem } from '../support/system.js';

const system = useStandInSystem({
    env: {
      SLACK_ALLOWED_USERS: 'U0ALLOWED',
      SLACK_ALLOWED_USERGROUPS: 'S0DONORCARE',
      SLACK_ALLOWED_CHANNELS: 'C0DONORS',
      SLACK_ACCESS_CONTACT: 'U0LEAD',
    },
  }, () => {
  system.slack.usergroups.set('S0DONORCARE', ['U0MEMBER']);
});

const as = (user: string, channel = 'C0DONORS') => ({ user_id: user, channel_id: channel });
const waitForCall = (method: string, count = 1) => system.slack.waitForCall(method, count);
async function commandAs(user: string, text: string, channel = 'C0DONORS'): Promise<SlackMessageBody> {
  const ack = await system.slashCommand(text, as(user, channel));
  if (ack.body) return JSON.parse(ack.body) as SlackMessageBody;
  return (await system.slack.waitForResponse(ack.responseUrl)).body as SlackMessageBody;
}
const reference = (channelId: string | null = 'C0DONORS') =>
  encodeCardReference({ request: { interactionId: 1000, identifier: { kind: 'cons', consId: '1001001' } }, channelId, threadTs: null });

describe('the allow-lists on every surface', () => {
  it('command: a listed user in an allowed channel gets the card', async () => {
    expect((await commandAs('U0ALLOWED', '1000 jane@example.org')).text).toBe('Interaction 1000: Sample Subject');
  });

  it('command: a member of an allowed group gets the card; membership is read once and reused', async () => {
    expect((await commandAs('U0MEMBER', '1001 jane@example.org')).text).toMatch(/^Interaction 1001/);
    expect((await commandAs('U0MEMBER', '1002 jane@example.org')).text).toMatch(/^Interaction 1002/);
    expect(system.slack.callsTo('usergroups.users.list')).toEqual([{ method: 'usergroups.users.list', args: { usergroup: 'S0DONORCARE' }, authorized: true }]);
  });

  it('command: anyone else is refused, told who to ask, and Luminate is never called', async () => {
    const answer = await commandAs('U0STRANGER', '1000 jane@example.org');
    expect(answer.text).toBe("You don't have access to donor interactions. Ask <@U0LEAD> to add you.");
    expect(allText(answer)).not.toContain('Sample Subject');
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('command: an allowed user in another channel is refused, even for a cached card', async () => {
    await commandAs('U0ALLOWED', '1000 cons:1001001');
    const answer = await commandAs('U0ALLOWED', '1000 cons:1001001', 'C0RANDOM');
    expect(allText(answer)).toContain("can't be looked up in this channel");
    expect(allText(answer)).toContain('<#C0DONORS>');
    expect(system.luminate.lookupCount).toBe(1);
  });

  it('message shortcut: a stranger is refused in the thread, without a Luminate call', async () => {
    await system.interact(messageShortcut({ text: 'interaction 1000 jane@example.org', threadTs: '1764300000.000100', user: 'U0STRANGER', responseUrl: system.slack.newResponseUrl() }));
    const call = await waitForCall('chat.postEphemeral');
    expect(call.args).toMatchObject({ user: 'U0STRANGER', thread_ts: '1764300000.000100' });
    expect(String(call.args.text)).toMatch(/don't have access/);
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('message shortcut: in a channel that is not allowed, refused before any modal opens', async () => {
    await system.interact(messageShortcut({ text: 'interaction 1000?', user: 'U0ALLOWED', channel: 'C0RANDOM', responseUrl: system.slack.newResponseUrl() }));
    expect(String((await waitForCall('chat.postEphemeral')).args.text)).toMatch(/can't be looked up in this channel/);
    expect(system.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('global shortcut: with channels set, the modal explains that lookups belong in allowed channels', async () => {
    await system.interact(globalShortcut({ user: 'U0ALLOWED' }));
    const view = (await waitForCall('views.open')).args.view as { blocks: unknown[]; submit?: unknown };
    expect(JSON.stringify(view.blocks)).toContain('only be looked up from allowed channels');
    expect(view.submit).toBeUndefined();
  });

  it('modal: a stranger submitting is refused in the modal, without a Luminate call', async () => {
    const view = await modalAnswer(system, modalSubmission({ interactionId: '1000', donor: 'cons:1001001', privateMetadata: sealedOrigin(system, 'C0DONORS'), user: 'U0STRANGER' }));
    expect(JSON.stringify(view)).toContain("don't have access");
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('Refresh is checked again: a stranger clicking gets the refusal instead of the card', async () => {
    const responseUrl = system.slack.newResponseUrl();
    await system.interact(buttonClick({ actionId: 'interaction_refresh', value: reference(), user: 'U0STRANGER', in: { message: { channel: 'C0DONORS', responseUrl } } }));
    const replaced = await system.slack.waitForResponse(responseUrl);
    expect(replaced.body.replace_original).toBe(true);
    expect(String(replaced.body.text)).toMatch(/don't have access/);
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('Share is checked again: into a channel that is not allowed, nothing is posted', async () => {
    const responseUrl = system.slack.newResponseUrl();
    await system.interact(buttonClick({ actionId: 'interaction_share', value: reference('C0RANDOM'), user: 'U0ALLOWED', in: { message: { channel: 'C0RANDOM', responseUrl } } }));
    const replaced = await system.slack.waitForResponse(responseUrl);
    expect(String(replaced.body.text)).toMatch(/can't be looked up in this channel/);
    expect(system.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(system.audit.filter((a) => a.event === 'interaction.share')).toHaveLength(0);
  });

  it('fails closed when Slack cannot list the group', async () => {
    // Its own system: the shared one already holds the group's membership.
    const fresh = await startStandInSystem({ env: { SLACK_ALLOWED_USERGROUPS: 'S0DONORCARE' } });
    try {
      fresh.slack.failingMethods.set('usergroups.users.list', 'ratelimited');
      const { answer } = await commandAnswer(fresh, '1000 jane@example.org');
      expect(answer.text).toMatch(/couldn't confirm your access/);
      expect(fresh.luminate.requests).toHaveLength(0);
      expect(fresh.audit).toEqual([expect.objectContaining({ outcome: 'denied' })]);
    } finally {
      await fresh.stop();
    }
  });
});

describe('the audit trail', () => {
  // `replica`: REPLICA_ID (the host name by default), so an operator can tell replicas apart.
  const FIELDS = ['event', 'user', 'team', 'channel', 'surface', 'interactionId', 'identifierKind', 'outcome', 'cached', 'ms', 'replica', 'at'];

  it('writes one line per lookup with exactly the documented fields', async () => {
    await commandAs('U0ALLOWED', '1003 member:JD-1001');
    expect(system.audit).toHaveLength(1);
    const line = system.audit[0]!;
    expect(Object.keys(line)).toEqual(FIELDS);
    expect(line).toMatchObject({
      event: 'interaction.lookup',
      user: 'U0ALLOWED',
      team: 'T0STANDIN',
      channel: 'C0DONORS',
      surface: 'command',
      interactionId: 1003,
      identifierKind: 'member',
      outcome: 'found',
      cached: false,
    });
    expect(typeof line.ms).toBe('number');
    expect(new Date(String(line.at)).toISOString()).toBe(line.at);
  });

  it('records cached answers, not-found, invalid input, refusals and errors', async () => {
    await commandAs('U0ALLOWED', '1002 member:JD-1001');
    await commandAs('U0ALLOWED', '1002 member:JD-1001');
    await commandAs('U0ALLOWED', '4242 jane@example.org');
    await commandAs('U0ALLOWED', 'abc jane@example.org');
    await commandAs('U0STRANGER', '1000 jane@example.org');
    system.luminate.fault = { kind: 'status', status: 503 };
    await commandAs('U0ALLOWED', '1001 cons:1001001');
    expect(system.audit.map((a) => [a.outcome, a.cached, a.interactionId])).toEqual([
      ['found', false, 1002],
      ['found', true, 1002],
      ['not_found', false, 4242],
      ['invalid', false, null],
      ['denied', false, 1000],
      ['error', false, 1001],
    ]);
    for (const line of system.audit) expect(Object.keys(line)).toEqual(FIELDS);
  });

  it('names each surface', async () => {
    await system.interact(messageShortcut({ text: 'interaction 1000 cons:1001001', user: 'U0ALLOWED', responseUrl: system.slack.newResponseUrl() }));
    await waitForCall('chat.postEphemeral');
    await modalAnswer(system, modalSubmission({ interactionId: '1001', donor: 'cons:1001001', privateMetadata: sealedOrigin(system, 'C0DONORS'), user: 'U0ALLOWED' }));
    const refreshUrl = system.slack.newResponseUrl();
    await system.interact(buttonClick({ actionId: 'interaction_refresh', value: reference(), user: 'U0ALLOWED', in: { message: { channel: 'C0DONORS', responseUrl: refreshUrl } } }));
    await system.slack.waitForResponse(refreshUrl);
    const shareUrl = system.slack.newResponseUrl();
    await system.interact(buttonClick({ actionId: 'interaction_share', value: reference(), user: 'U0ALLOWED', in: { message: { channel: 'C0DONORS', responseUrl: shareUrl } } }));
    await waitForCall('chat.postMessage');
    await expect.poll(() => system.audit.length).toBe(5);
    expect(system.audit.map((a) => a.event === 'interaction.share' ? 'share event' : a.surface)).toEqual(['message_shortcut', 'modal', 'refresh', 'share', 'share event']);
    expect(system.audit[4]).toMatchObject({ user: 'U0ALLOWED', channel: 'C0DONORS', interactionId: 1000, outcome: 'shared' });
  });

  it('never holds the note, the subject or the email', async () => {
    await commandAs('U0ALLOWED', '1000 jane@example.org');
    const text = JSON.stringify(system.audit);
    for (const secret of ['Lorem ipsum', 'Sample Subject', 'jane@example.org']) expect(text).not.toContain(secret);
  });
});

describe('without allow-lists', () => {
  it('everyone in the workspace may look up, from any channel', async () => {
    const open = await startStandInSystem();
    try {
      const { answer } = await commandAnswer(open, '1000 jane@example.org');
      expect(answer.text).toBe('Interaction 1000: Sample Subject');
      expect(open.slack.callsTo('usergroups.users.list')).toHaveLength(0);
    } finally {
      await open.stop();
    }
  });
});
