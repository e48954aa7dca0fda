import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandInSystem, type StandInSystem } from '../../dev/stand-ins/harness.js';
import { buttonClick, modalSubmission, MODAL_VIEW_ID } from '../support/payloads.js';
import { allText, commandAnswer, modalAnswer, sealedOrigin, type SlackMessageBody, useStandInSystem } from '../support/system.js';

const system = useStandInSystem();

const header = (m: { blocks?: unknown[] }) => (m.blocks?.[0] as { text?: { text: string } } | undefined)?.text?.text;
type Element = { action_id: string; value?: string };
const buttonsOf = (m: { blocks?: unknown[] }): Element[] =>
  ((m.blocks ?? []).find((b) => (b as { type: string }).type === 'actions') as { elements: Element[] } | undefined)?.elements ?? [];

async function clickOnCard(target: StandInSystem, card: SlackMessageBody, actionId: 'interaction_refresh' | 'interaction_share') {
  const responseUrl = target.slack.newResponseUrl();
  const value = buttonsOf(card).find((b) => b.action_id === actionId)!.value;
  await target.interact(buttonClick({ actionId, value, in: { message: { channel: 'C0DONORS', responseUrl } } }));
  return responseUrl;
}

describe('a Refresh that fails keeps the card', () => {
  it('keeps the card on screen with a note, and keeps the cached answer for the next lookup', async () => {
    const { answer } = await commandAnswer(system, '1000 jane@example.org');
    expect(header(answer)).toBe('Sample Subject');
    system.luminate.fault = { kind: 'status', status: 503 };

    const responseUrl = await clickOnCard(system, answer, 'interaction_refresh');
    const replaced = (await system.slack.waitForResponse(responseUrl)).body as SlackMessageBody;
    expect(replaced.replace_original).toBe(true);
    expect(header(replaced)).toBe('Sample Subject');
    expect(allText(replaced)).toContain("Couldn't refresh: Luminate Online is unavailable right now.");
    expect(allText(replaced)).toMatch(/Showing the answer fetched (just now|\d+ minutes? ago)/);
    expect(buttonsOf(replaced).map((b) => b.action_id)).toEqual(expect.arrayContaining(['interaction_refresh', 'interaction_share']));
    expect(system.audit.at(-1)).toMatchObject({ surface: 'refresh', outcome: 'error', cached: true });

    const calls = system.luminate.lookupCount;
    const again = await system.slashCommand('1000 jane@example.org');
    expect(header(JSON.parse(again.body) as SlackMessageBody)).toBe('Sample Subject');
    expect(system.luminate.lookupCount).toBe(calls);
  });

  it('shows the failure as before when there is no cached answer to show', async () => {
    system.luminate.fault = { kind: 'status', status: 503 };
    const value = JSON.stringify({ i: 1001, k: 'member', v: 'JD-1001', c: 'C0DONORS' });
    const responseUrl = await clickOnCard(system, { blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'interaction_refresh', text: { type: 'plain_text', text: 'Refresh' }, value }] }] }, 'interaction_refresh');
    const replaced = (await system.slack.waitForResponse(responseUrl)).body as SlackMessageBody;
    expect(replaced.replace_original).toBe(true);
    expect(allText(replaced)).toContain('Luminate Online is unavailable right now.');
    expect(allText(replaced)).not.toContain("Couldn't refresh");
  });

  it('a not-found Refresh drops the cached answer: the record is gone or hidden now', async () => {
    const { answer } = await commandAnswer(system, '1002 cons:1001001');
    system.luminate.fault = { kind: 'error', code: '27' };
    const responseUrl = await clickOnCard(system, answer, 'interaction_refresh');
    const replaced = (await system.slack.waitForResponse(responseUrl)).body as SlackMessageBody;
    expect(header(replaced)).not.toBe(header(answer));
    system.luminate.fault = null;
    const calls = system.luminate.lookupCount;
    await commandAnswer(system, '1002 cons:1001001');
    expect(system.luminate.lookupCount).toBe(calls + 1);
  });

  it('in the modal, the card stays with the note', async () => {
    const card = await modalAnswer(system, modalSubmission({ interactionId: '1003', donor: 'cons:1001001' }));
    const updatesBefore = system.slack.callsTo('views.update').length;
    system.luminate.fault = { kind: 'status', status: 503 };
    await system.interact(buttonClick({ actionId: 'interaction_refresh', value: buttonsOf(card)[0]!.value, in: { modal: { privateMetadata: card.private_metadata } } }));
    const view = (await system.slack.waitForCall('views.update', updatesBefore + 1)).args.view as { blocks: unknown[] };
    expect(header(view)).toBe('Long call notes');
    expect(JSON.stringify(view.blocks)).toContain("Couldn't refresh");
  });
});

describe('rate-limited Refresh and Share keep the card', () => {
  let limited: StandInSystem;
  beforeAll(async () => {
    limited = await startStandInSystem({ env: { LOOKUP_RATE_PER_MINUTE: '1' } });
  });
  afterAll(async () => {
    await limited.stop();
  });

  it('Refresh over the limit shows the cached card with the limit note; Share over the limit answers beside the card', async () => {
    const { answer } = await commandAnswer(limited, '1000 jane@example.org');
    expect(header(answer)).toBe('Sample Subject');
    const calls = limited.luminate.lookupCount;

    const refreshUrl = await clickOnCard(limited, answer, 'interaction_refresh');
    const refreshed = (await limited.slack.waitForResponse(refreshUrl)).body as SlackMessageBody;
    expect(refreshed.replace_original).toBe(true);
    expect(header(refreshed)).toBe('Sample Subject');
    expect(allText(refreshed)).toContain("Couldn't refresh: you've made 1 lookup in the last minute");
    expect(limited.luminate.lookupCount).toBe(calls);

    const shareUrl = await clickOnCard(limited, answer, 'interaction_share');
    const told = (await limited.slack.waitForResponse(shareUrl)).body as SlackMessageBody;
    expect(told.replace_original).toBe(false);
    expect(allText(told)).toContain("You've made 1 lookups in the last minute");
    expect(limited.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('the email is sent as typed', () => {
  it('sends primary_email as typed and folds case only in the cache key', async () => {
    const { answer } = await commandAnswer(system, '1001 Jane@Example.org');
    expect(header(answer)).toBe('Phone call: Gift Aid question');
    expect(system.luminate.requests.filter((r) => r.apiMethod === 'getInteraction').map((r) => r.primaryEmail)).toEqual(['Jane@Example.org']);
    const again = await system.slashCommand('1001 jane@example.org');
    expect(header(JSON.parse(again.body) as SlackMessageBody)).toBe('Phone call: Gift Aid question');
    expect(system.luminate.lookupCount).toBe(1);
  });
});

describe('/interaction replaces only what it posted', () => {
  let slow: StandInSystem;
  beforeAll(async () => {
    slow = await startStandInSystem({ slowNoticeMs: 50, luminateLatencyMs: 600 });
  });
  afterAll(async () => {
    await slow.stop();
  });

  it('does not ask to replace a looking-up notice that failed to post', async () => {
    slow.slack.responseStatus = 500;
    const ack = await slow.slashCommand('1000 jane@example.org');
    const notice = await slow.slack.waitForResponse(ack.responseUrl, 1);
    expect(allText(notice.body as SlackMessageBody)).toContain('Looking up');
    slow.slack.responseStatus = 200;
    const answer = (await slow.slack.waitForResponse(ack.responseUrl, 2)).body as SlackMessageBody;
    expect(header(answer)).toBe('Sample Subject');
    expect(answer.replace_original).toBeUndefined();
  });

  it('still replaces a notice that was posted', async () => {
    const ack = await slow.slashCommand('1001 member:JD-1001');
    const answer = (await slow.slack.waitForResponse(ack.responseUrl, 2)).body as SlackMessageBody;
    expect(answer.replace_original).toBe(true);
  });
});

describe('the lookup form and its modal', () => {
  it('answers in the ack when the lookup is quick, with no views.update to race it', async () => {
    const ack = await system.interact(modalSubmission({ interactionId: '1000', donor: 'member:JD-1001' }));
    const body = JSON.parse(ack.body) as { response_action: string; view: { blocks: unknown[] } };
    expect(body.response_action).toBe('update');
    expect(header(body.view)).toBe('Sample Subject');
    expect(system.slack.callsTo('views.update')).toHaveLength(0);
  });

  it('a Refresh that lands after a Share in the same modal keeps it shared: hash, hash_conflict, retry', async () => {
    const privateMetadata = sealedOrigin(system, 'C0DONORS');
    const card = await modalAnswer(system, modalSubmission({ interactionId: '1000', donor: 'cons:1001001', privateMetadata }));
    // The modal as Slack holds it; the clicks below carry its hash, as Slack's payloads do.
    system.slack.views.set(MODAL_VIEW_ID, { hash: '1.abc', view: card });
    const value = buttonsOf(card).find((b) => b.action_id === 'interaction_share')!.value;
    system.luminate.latencyMs = 300; // the Refresh reads Luminate; the Share is served from the cache and lands first
    try {
      await Promise.all([
        system.interact(buttonClick({ actionId: 'interaction_refresh', value, in: { modal: { privateMetadata } } })),
        system.interact(buttonClick({ actionId: 'interaction_share', value, in: { modal: { privateMetadata } } })),
      ]);
      await system.slack.waitForCall('chat.postMessage');
      // The Share's update, the Refresh's refused one (stale hash), and its retry.
      await system.slack.waitForCall('views.update', 3, 3000);
    } finally {
      system.luminate.latencyMs = 0;
    }
    const updates = system.slack.callsTo('views.update');
    expect(updates.map((u) => u.args.hash)).toEqual(['1.abc', '1.abc', expect.not.stringMatching(/^1\.abc$/)]);
    const final = system.slack.views.get(MODAL_VIEW_ID)!.view as { blocks: unknown[] };
    expect(final).toEqual(updates[2]!.args.view);
    expect(buttonsOf(final).map((b) => b.action_id)).not.toContain('interaction_share');
    expect(JSON.stringify(final)).toContain('You shared this in <#C0DONORS>.');
    expect(JSON.stringify(final)).toContain('fetched just now');
  });

  it('a Share from the modal that Slack refuses keeps the card there, with the reason under it', async () => {
    const privateMetadata = sealedOrigin(system, 'C0DONORS');
    const card = await modalAnswer(system, modalSubmission({ interactionId: '1001', donor: 'cons:1001001', privateMetadata }));
    system.slack.failingMethods.set('chat.postMessage', 'not_in_channel');
    const value = buttonsOf(card).find((b) => b.action_id === 'interaction_share')!.value;
    await system.interact(buttonClick({ actionId: 'interaction_share', value, in: { modal: { privateMetadata } } }));
    const view = (await system.slack.waitForCall('views.update')).args.view as { blocks: unknown[] };
    expect(header(view)).toBe(header(card));
    expect(JSON.stringify(view)).toContain('The bot is not in this channel');
    expect(buttonsOf(view).map((b) => b.action_id)).toContain('interaction_share');
  });

  describe('when the lookup is slow', () => {
    let slow: StandInSystem;
    beforeAll(async () => {
      slow = await startStandInSystem({ slowNoticeMs: 100, luminateLatencyMs: 400 });
    });
    afterAll(async () => {
      await slow.stop();
    });

    it('acks "Looking up…", then updates the modal only once the ack\'s view has had time to settle', async () => {
      const ack = await slow.interact(modalSubmission({ interactionId: '1000', donor: 'cons:1001001' }));
      const ackedAt = performance.now();
      expect(JSON.stringify((JSON.parse(ack.body) as { view: unknown }).view)).toContain('Looking up interaction');
      const update = await slow.slack.waitForCall('views.update', 1, 5000);
      // The bot waits 1000 ms after its ack; this side saw the ack a little after the bot sent it.
      expect(performance.now() - ackedAt).toBeGreaterThanOrEqual(700);
      expect(header(update.args.view as { blocks: unknown[] })).toBe('Sample Subject');
    });
  });
});
