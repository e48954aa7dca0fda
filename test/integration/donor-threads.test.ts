import { describe, expect, it } from 'vitest';
import { buttonClick, globalShortcut, messageShortcut, modalSubmission, MODAL_VIEW_ID } from '../support/payloads.js';
import { allText, commandAnswer, modalAnswer, type SlackMessageBody, useStandInSystem, waitUntil } from '../support/system.js';

const system = useStandInSystem({ env: { LUMINATE_ADMIN_URL_TEMPLATE: 'https://secure2.convio.net/yourorg/admin/ConsProfileUser?consId={consId}' } });

const header = (m: { blocks?: unknown[] }) => (m.blocks?.[0] as { text?: { text: string } } | undefined)?.text?.text;
type Element = { action_id: string; value?: string; url?: string };
const buttonsOf = (m: { blocks?: unknown[] }): Element[] =>
  ((m.blocks ?? []).find((b) => (b as { type: string }).type === 'actions') as { elements: Element[] } | undefined)?.elements ?? [];
const waitForCall = (method: string, count = 1) => system.slack.waitForCall(method, count);

describe('message shortcut: Look up interaction', () => {
  it('answers privately in the thread of a reply', async () => {
    const ack = await system.interact(
      messageShortcut({ text: 'Donor asks about interaction #1000, <mailto:jane@example.org|jane@example.org>', threadTs: '1764300000.000100', ts: '1764300500.000200', responseUrl: system.slack.newResponseUrl() }),
    );
    expect(ack.status).toBe(200);
    const call = await waitForCall('chat.postEphemeral');
    expect(call.args).toMatchObject({ channel: 'C0DONORS', user: 'U0AGENT', thread_ts: '1764300000.000100', text: 'Interaction 1000: Sample Subject' });
    expect(header(call.args as SlackMessageBody)).toBe('Sample Subject');
    expect(system.luminate.lookupCount).toBe(1);
  });

  it("answers in a top-level message's thread when it has replies, in the channel when it has none", async () => {
    await system.interact(messageShortcut({ text: 'interaction 1001 cons:1001001', ts: '1764300600.000300', replyCount: 3, responseUrl: system.slack.newResponseUrl() }));
    expect((await waitForCall('chat.postEphemeral')).args.thread_ts).toBe('1764300600.000300');
    await system.interact(messageShortcut({ text: 'interaction 1001 cons:1001001', ts: '1764300700.000400', responseUrl: system.slack.newResponseUrl() }));
    expect((await waitForCall('chat.postEphemeral', 2)).args.thread_ts).toBeUndefined();
  });

  it('falls back to an ephemeral answer through response_url when the bot cannot post in the channel', async () => {
    system.slack.failingMethods.set('chat.postEphemeral', 'channel_not_found');
    const responseUrl = system.slack.newResponseUrl();
    await system.interact(messageShortcut({ text: 'interaction 1000 member:JD-1001', responseUrl }));
    const answer = await system.slack.waitForResponse(responseUrl);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(header(answer.body as SlackMessageBody)).toBe('Sample Subject');
  });

  it('opens the lookup modal, prefilled, when the message lacks the donor', async () => {
    await system.interact(messageShortcut({ text: 'Can someone look at interaction 1000?', threadTs: '1764300000.000100', responseUrl: system.slack.newResponseUrl() }));
    const open = await waitForCall('views.open');
    const view = open.args.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string; element?: { initial_value?: string } }[] };
    expect(view.callback_id).toBe('lookup_interaction_modal');
    expect(view.blocks.find((b) => b.block_id === 'interaction_id')?.element?.initial_value).toBe('1000');
    expect(view.blocks.find((b) => b.block_id === 'donor')?.element?.initial_value).toBeUndefined();
    expect(JSON.parse(view.private_metadata)).toMatchObject({ c: 'C0DONORS', t: '1764300000.000100' });
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('answers with the donor’s list, by the same precedence as a lookup, when the message names a donor but no interaction id', async () => {
    await system.interact(messageShortcut({ text: 'Please check cons:1001001, jane@example.org', threadTs: '1764300000.000100', responseUrl: system.slack.newResponseUrl() }));
    const call = await waitForCall('chat.postEphemeral');
    expect(call.args).toMatchObject({ channel: 'C0DONORS', user: 'U0AGENT', thread_ts: '1764300000.000100' });
    expect(call.args.text).toBe('Interactions of Jane Doe (cons:1001001)');
    // The name at its top comes from getUser, which an earlier card of Jane may already have cached.
    const pages = system.luminate.requests.filter((r) => r.apiMethod !== 'getUser');
    expect(pages.map((r) => [r.apiMethod, r.methodParams.cons_id])).toEqual([['getUserInteractions', '1001001']]);
    expect(system.slack.callsTo('views.open')).toHaveLength(0);
    expect(system.audit.at(-1)).toMatchObject({ event: 'interaction.list', surface: 'message_shortcut', identifierKind: 'cons', outcome: 'found' });
  });

  it('opens the modal with a question when the message names two interactions', async () => {
    await system.interact(messageShortcut({ text: 'interaction 1000 or interaction 1001? jane@example.org', responseUrl: system.slack.newResponseUrl() }));
    const view = (await waitForCall('views.open')).args.view as { blocks: unknown[] };
    expect(JSON.stringify(view.blocks)).toContain('The message mentions interactions 1000, 1001: which one?');
    expect(JSON.stringify(view.blocks)).toContain('"initial_value":"jane@example.org"');
  });
});

describe('global shortcut and the lookup modal', () => {
  it('opens the empty modal', async () => {
    await system.interact(globalShortcut());
    const view = (await waitForCall('views.open')).args.view as { title: { text: string }; blocks: { element?: { initial_value?: string } }[] };
    expect(view.title.text).toBe('Look up interaction');
    expect(view.blocks.every((b) => b.element?.initial_value === undefined)).toBe(true);
  });

  it('returns inline errors keyed by the input blocks, without calling Luminate', async () => {
    const ack = await system.interact(modalSubmission({ interactionId: 'abc', donor: 'jane' }));
    expect(JSON.parse(ack.body)).toEqual({
      response_action: 'errors',
      errors: { interaction_id: expect.stringMatching(/is not an interaction id/), donor: expect.stringMatching(/not a donor identifier/) },
    });
    const emptyDonor = JSON.parse((await system.interact(modalSubmission({ interactionId: '1000', donor: ' ' }))).body);
    expect(emptyDonor.errors).toEqual({ donor: 'Enter an email, cons:<id> or member:<id>.' });
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('turns the modal into the card (in the ack when quick; "looking up" then views.update otherwise: cards.test.ts)', async () => {
    const view = await modalAnswer(system, modalSubmission({ interactionId: '1000', donor: 'cons:1001001' }));
    expect(header(view)).toBe('Sample Subject');
    // No channel behind a global shortcut's modal: nothing to share into.
    expect(buttonsOf(view).map((b) => b.action_id)).toEqual(['interaction_refresh', 'interaction_open']);
  });

  it('answers a cached lookup in the ack itself', async () => {
    await commandAnswer(system, '1001 member:JD-1001');
    const ack = await system.interact(modalSubmission({ interactionId: '1001', donor: 'member:JD-1001' }));
    expect(header((JSON.parse(ack.body) as { view: { blocks: unknown[] } }).view)).toBe('Phone call: Gift Aid question');
    expect(system.luminate.lookupCount).toBe(1);
  });

  it("shows the command's error when Luminate says no", async () => {
    const view = await modalAnswer(system, modalSubmission({ interactionId: '1000', donor: 'family@example.org' }));
    expect(JSON.stringify(view.blocks)).toContain('More than one constituent matches');
  });
});

describe('card buttons', () => {
  it('the command card carries Refresh, Share and an Open link to the constituent', async () => {
    const { answer } = await commandAnswer(system, '1000 jane@example.org');
    const buttons = buttonsOf(answer);
    expect(buttons.map((b) => b.action_id)).toEqual(['interaction_refresh', 'interaction_share', 'interaction_open']);
    expect(buttons[2]!.url).toBe('https://secure2.convio.net/yourorg/admin/ConsProfileUser?consId=1001001');
    expect(JSON.parse(buttons[0]!.value!)).toEqual({ i: 1000, k: 'email', v: 'jane@example.org', c: 'C0DONORS' });
  });

  it('Refresh reads Luminate again, past the cache, and replaces the card', async () => {
    const { answer } = await commandAnswer(system, '1000 jane@example.org');
    const before = system.luminate.lookupCount;
    const responseUrl = system.slack.newResponseUrl();
    await system.interact(buttonClick({ actionId: 'interaction_refresh', value: buttonsOf(answer)[0]!.value, in: { message: { channel: 'C0DONORS', responseUrl } } }));
    const replaced = await system.slack.waitForResponse(responseUrl);
    expect(replaced.body).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(allText(replaced.body as SlackMessageBody)).toContain('fetched just now');
    expect(system.luminate.lookupCount).toBe(before + 1);
    expect(system.audit.at(-1)).toMatchObject({ surface: 'refresh', outcome: 'found', cached: false });
  });

  it('Refresh in the modal updates the modal', async () => {
    const card = await modalAnswer(system, modalSubmission({ interactionId: '1003', donor: 'cons:1001001' }));
    await system.interact(buttonClick({ actionId: 'interaction_refresh', value: buttonsOf(card)[0]!.value, in: { modal: { privateMetadata: card.private_metadata } } }));
    const refreshed = await waitForCall('views.update');
    expect(refreshed.args.view_id).toBe(MODAL_VIEW_ID);
    expect(header(refreshed.args.view as { blocks: unknown[] })).toBe('Long call notes');
    expect(system.luminate.lookupCount).toBe(2);
  });

  it('Share posts the card in the channel, naming who shared it, only after the click', async () => {
    const { answer } = await commandAnswer(system, '1002 cons:1001001');
    expect(system.slack.callsTo('chat.postMessage')).toHaveLength(0);
    const responseUrl = system.slack.newResponseUrl();
    await system.interact(buttonClick({ actionId: 'interaction_share', value: buttonsOf(answer)[1]!.value, in: { message: { channel: 'C0DONORS', responseUrl } } }));
    const post = await waitForCall('chat.postMessage');
    expect(post.args).toMatchObject({ channel: 'C0DONORS' });
    const shared = post.args as SlackMessageBody;
    expect(allText(shared)).toContain('Shared by <@U0AGENT>.');
    expect(buttonsOf(shared).map((b) => b.action_id)).toEqual(['interaction_open']);
    // The asker's card now says it was shared, and offers no second Share.
    const confirmed = await system.slack.waitForResponse(responseUrl);
    expect(allText(confirmed.body as SlackMessageBody)).toContain('You shared this in <#C0DONORS>.');
    expect(buttonsOf(confirmed.body as SlackMessageBody).map((b) => b.action_id)).toEqual(['interaction_refresh', 'interaction_open']);
    expect(system.audit.filter((a) => a.event === 'interaction.share')).toEqual([
      expect.objectContaining({ user: 'U0AGENT', channel: 'C0DONORS', interactionId: 1002, identifierKind: 'cons', outcome: 'shared' }),
    ]);
  });

  it('Share from a thread card posts into that thread', async () => {
    await system.interact(messageShortcut({ text: 'interaction 1000 jane@example.org', threadTs: '1764300000.000100', responseUrl: system.slack.newResponseUrl() }));
    const card = (await waitForCall('chat.postEphemeral')).args as SlackMessageBody;
    await system.interact(
      buttonClick({ actionId: 'interaction_share', value: buttonsOf(card)[1]!.value, in: { message: { channel: 'C0DONORS', responseUrl: system.slack.newResponseUrl() } } }),
    );
    expect((await waitForCall('chat.postMessage')).args).toMatchObject({ channel: 'C0DONORS', thread_ts: '1764300000.000100' });
  });

  it('Share when the bot is not in the channel posts through response_url instead', async () => {
    const { answer } = await commandAnswer(system, '1000 jane@example.org');
    system.slack.failingMethods.set('chat.postMessage', 'not_in_channel');
    const responseUrl = system.slack.newResponseUrl();
    await system.interact(buttonClick({ actionId: 'interaction_share', value: buttonsOf(answer)[1]!.value, in: { message: { channel: 'C0DONORS', responseUrl } } }));
    const inChannel = await system.slack.waitForResponse(responseUrl);
    expect(inChannel.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(allText(inChannel.body as SlackMessageBody)).toContain('Shared by <@U0AGENT>.');
  });

  it('an unreadable button value does nothing', async () => {
    const responseUrl = system.slack.newResponseUrl();
    const ack = await system.interact(buttonClick({ actionId: 'interaction_refresh', value: 'garbage', in: { message: { channel: 'C0DONORS', responseUrl } } }));
    expect(ack.status).toBe(200);
    // The handler's own word that it read the value and gave up: a crash before that point never writes it.
    await waitUntil(() => system.logLines.some((l) => l.includes('refresh clicked with an unreadable button value')), 2000, 'the refusal to be logged');
    expect(system.luminate.requests).toHaveLength(0);
    expect(system.slack.responsesTo(responseUrl)).toHaveLength(0);
  });

  it('a shortcut id under the other shortcut type is acknowledged and does nothing', async () => {
    const odd = { ...globalShortcut(), callback_id: 'lookup_interaction_from_message' };
    const ack = await system.interact(odd);
    // Bolt answers 200 only once the listener has called ack(), which is all this branch does.
    expect(ack.status).toBe(200);
    // A barrier: a real shortcut sent after it opens its modal, so the bot is alive and has handled both.
    const real = globalShortcut();
    await system.interact(real);
    await waitForCall('views.open');
    expect(system.slack.callsTo('views.open').map((c) => c.args.trigger_id)).toEqual([real.trigger_id]);
    expect(system.luminate.requests).toHaveLength(0);
    expect(system.logLines.filter((l) => l.includes('listener failed'))).toEqual([]);
  });

  it('the Open link click is acknowledged', async () => {
    const ack = await system.interact(buttonClick({ actionId: 'interaction_open', in: { message: { channel: 'C0DONORS', responseUrl: system.slack.newResponseUrl() } } }));
    expect(ack.status).toBe(200);
  });
});
