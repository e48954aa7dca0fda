import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { startStandInSystem, type StandInSystem } from '../../dev/stand-ins/harness.js';
import { checkBlockKit } from '../support/block-kit.js';
import { buttonClick, messageShortcut, modalSubmission } from '../support/payloads.js';
import { allText, commandAnswer, modalAnswer, sealedOrigin, type SlackMessageBody, useStandInSystem } from '../support/system.js';


const system = useStandInSystem({ slowNoticeMs: 400 });

type Section = { type: 'section'; text: { text: string; verbatim?: boolean }; accessory?: types.Button };
const rows = (m: SlackMessageBody) => (m.blocks ?? []).filter((b): b is Section & types.KnownBlock => b.type === 'section' && 'accessory' in b && b.accessory !== undefined) as unknown as Section[];
const buttons = (m: SlackMessageBody) => ((m.blocks ?? []).find((b) => b.type === 'actions') as types.ActionsBlock | undefined)?.elements as types.Button[] | undefined;
const button = (m: SlackMessageBody, text: string) => buttons(m)?.find((b) => b.text.text === text);
const listCalls = () => system.luminate.requests.filter((r) => r.apiMethod === 'getUserInteractions');

describe('/interaction <donor> lists the donor’s interactions', () => {
  it('lists ten of many, newest first, with Older and without Newer, privately', async () => {
    const own = await startStandInSystem();
    try {
      const { ack, answer } = await commandAnswer(own, 'many@example.org');
      expect(ack.body).toBe('');
      expect(answer.response_type).toBe('ephemeral');
      checkBlockKit(answer);
      const shown = rows(answer);
      expect(shown).toHaveLength(10);
      expect(shown[0]!.text.text).toContain('Contact 300 of 300');
      expect(shown[9]!.text.text).toContain('Contact 291 of 300');
      expect(shown[0]!.text.text).toMatch(/<!date\^\d+\^/);
      expect(shown[0]!.text.text).toContain('Email'); // type 3 by LUMINATE_INTERACTION_TYPES
      expect(shown[0]!.text.verbatim).toBe(true);
      expect(shown[0]!.accessory!.text.text).toBe('Open');
      expect(allText(answer)).toContain('many@example.org');
      expect(button(answer, 'Older')).toBeDefined();
      expect(button(answer, 'Newer')).toBeUndefined();
      expect(button(answer, 'Refresh')).toBeDefined();
      const calls = own.luminate.requests.filter((r) => r.apiMethod === 'getUserInteractions');
      expect(calls).toHaveLength(1);
      expect(calls[0]!.methodParams).toMatchObject({ primary_email: 'many@example.org', list_page_size: '11', list_record_offset: '0', list_ascending: 'false' });
      expect(own.luminate.lookupCount).toBe(0);
    } finally {
      await own.stop();
    }
  });

  it('acks at once while Luminate is slow, says it is looking, then replaces that with the list', async () => {
    system.luminate.latencyMs = 1000;
    const ack = await system.slashCommand('one@example.org type:0');
    expect(ack.body).toBe('');
    expect(ack.ms).toBeLessThan(500);
    const notice = (await system.slack.waitForResponse(ack.responseUrl, 1, 3000)).body as SlackMessageBody;
    expect(notice.text).toMatch(/Looking up the recent interactions of \*one@example.org\*/);
    const final = (await system.slack.waitForResponse(ack.responseUrl, 2, 4000)).body as SlackMessageBody;
    expect(final.replace_original).toBe(true);
    expect(rows(final)).toHaveLength(1);
  });

  it('help shows the list, its filters and an example of each', async () => {
    const body = JSON.parse((await system.slashCommand('help')).body) as SlackMessageBody;
    for (const part of ['[since:YYYY-MM-DD] [until:YYYY-MM-DD] [type:&lt;id or name&gt;]', '/interaction jane@example.org`', 'type:Phone call', 'until:2025-06-30']) expect(allText(body)).toContain(part);
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('lists a donor with one interaction without paging buttons', async () => {
    const { answer } = await commandAnswer(system, 'one@example.org');
    checkBlockKit(answer);
    expect(rows(answer)).toHaveLength(1);
    expect(rows(answer)[0]!.text.text).toContain('Only interaction');
    expect(button(answer, 'Older')).toBeUndefined();
    expect(button(answer, 'Newer')).toBeUndefined();
  });

  it('says plainly that a donor has no interactions: not an error', async () => {
    const { answer } = await commandAnswer(system, 'none@example.org');
    expect(answer.text).toBe('No interactions recorded for none@example.org.');
    expect(allText(answer)).not.toMatch(/warning/);
  });

  it.each([
    ['since:2021-01-01', { begin_date: '2021-01-01T00:00:00' }],
    ['until:2021-12-31', { end_date: '2021-12-31T23:59:59' }],
    ['since:2021-01-01 until:2021-03-31', { begin_date: '2021-01-01T00:00:00', end_date: '2021-03-31T23:59:59' }],
    ['type:3', { interaction_type_id: '3' }],
    ['type:Phone call', { interaction_type_id: '1' }],
    ['TYPE:phone CALL since:2021-01-01', { interaction_type_id: '1', begin_date: '2021-01-01T00:00:00' }],
  ])('passes the filters %j to Luminate', async (filters, params) => {
    const { answer } = await commandAnswer(system, `cons:1001010 ${filters}`);
    checkBlockKit(answer);
    const calls = listCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.methodParams).toMatchObject({ cons_id: '1001010', ...params });
    for (const absent of ['begin_date', 'end_date', 'interaction_type_id']) if (!(absent in params)) expect(calls[0]!.methodParams).not.toHaveProperty(absent);
    expect(rows(answer).length).toBeGreaterThan(0);
    if ('interaction_type_id' in params && params.interaction_type_id === '1') for (const row of rows(answer)) expect(row.text.text).toContain('Phone call');
  });

  it.each([
    ['many@example.org since:2021-13-01', /not a date for since/],
    ['many@example.org until:2021-02-30', /not a date for until/],
    ['many@example.org since:yesterday', /not a date for since/],
    ['many@example.org since:2022-01-01 until:2021-01-01', /is after/],
    ['many@example.org type:Lunch', /not an interaction type.*Phone call/],
    ['many@example.org type:', /needs an interaction type/],
    ['many@example.org since:2021-01-01 since:2022-01-01', /given twice/],
    ['many@example.org sometime', /is not a filter/],
    ['many@ since:2021-01-01', /not a valid email/],
  ])('refuses %j with a specific problem, in the ack, without calling Luminate', async (text, problem) => {
    const ack = await system.slashCommand(text);
    const body = JSON.parse(ack.body) as SlackMessageBody;
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(problem);
    expect(system.luminate.requests).toHaveLength(0);
  });

  it.each([
    ['nobody@example.org', /No donor in Luminate Online matches \*nobody@example.org\*/],
    ['family@example.org', /More than one constituent matches/],
  ])('answers %s with the card’s failure wording', async (donor, headline) => {
    const { answer } = await commandAnswer(system, donor);
    expect(answer.text).toMatch(headline);
  });

  it.each([
    ['16', /No donor in Luminate Online matches/],
    ['8', /More than one constituent matches/],
  ])('Luminate code %s on a list reads as for a card', async (code, headline) => {
    system.luminate.fault = { kind: 'error', code, message: 'Unable to process request.' };
    const { answer } = await commandAnswer(system, 'member:MANY-1 type:0');
    expect(answer.text).toMatch(headline);
  });

  it('a Luminate failure becomes a clear message with no raw body', async () => {
    system.luminate.fault = { kind: 'status', status: 500 };
    const { answer } = await commandAnswer(system, 'one@example.org until:2030-01-01');
    expect(answer.text).toMatch(/unavailable right now/);
    expect(allText(answer)).not.toMatch(/getUserInteractionsResponse|stack/);
  });

  it('serves a repeated page from the cache in the ack (email case folded), then audits it without donor data', async () => {
    await commandAnswer(system, 'one@example.org since:2020-01-01');
    const again = await system.slashCommand('One@Example.org since:2020-01-01');
    const cached = JSON.parse(again.body) as SlackMessageBody;
    expect(rows(cached)).toHaveLength(1);
    expect(allText(cached)).toContain('cached');
    expect(listCalls()).toHaveLength(1);
    const lines = system.audit.filter((a) => a.event === 'interaction.list').slice(-2);
    expect(lines[0]).toMatchObject({ event: 'interaction.list', user: 'U0AGENT', surface: 'command', identifierKind: 'email', filters: { since: true, until: false, typeId: null }, page: 0, rows: 1, outcome: 'found', cached: false });
    expect(lines[1]).toMatchObject({ outcome: 'found', cached: true, rows: 1 });
    expect(Object.keys(lines[1]!).sort()).toEqual(['at', 'cached', 'channel', 'event', 'filters', 'identifierKind', 'ms', 'outcome', 'page', 'replica', 'rows', 'surface', 'team', 'user']);
    expect(JSON.stringify(system.audit)).not.toMatch(/example\.org|Olive|Single|Only interaction|2020-01-01/i);
  });
});

/** Clicks a button on an ephemeral message and resolves with what replaced it. */
async function click(target: StandInSystem, value: string | undefined, actionId: string): Promise<SlackMessageBody> {
  const responseUrl = target.slack.newResponseUrl();
  await target.interact(buttonClick({ actionId, value, in: { message: { channel: 'C0DONORS', responseUrl } } }));
  const post = (await target.slack.waitForResponse(responseUrl)).body as SlackMessageBody;
  expect(post.replace_original).toBe(true);
  return post;
}
const older = (m: SlackMessageBody) => click(system, button(m, 'Older')!.value, 'interaction_list_older');
const newer = (m: SlackMessageBody) => click(system, button(m, 'Newer')!.value, 'interaction_list_newer');

describe('a list’s buttons', () => {
  it('pages Older then Newer, newest first throughout', async () => {
    const first = (await commandAnswer(system, 'member:MANY-1')).answer;
    const second = await older(first);
    checkBlockKit(second);
    expect(rows(second)[0]!.text.text).toContain('Contact 290 of 300');
    expect(button(second, 'Newer')).toBeDefined();
    expect(listCalls().at(-1)!.methodParams).toMatchObject({ member_id: 'MANY-1', list_page_size: '11', list_record_offset: '10', list_ascending: 'false' });
    const back = await newer(second);
    expect(rows(back)[0]!.text.text).toContain('Contact 300 of 300');
    expect(button(back, 'Newer')).toBeUndefined();
    expect(system.audit.filter((a) => a.event === 'interaction.list').slice(-2).map((a) => [a.surface, a.page])).toEqual([
      ['list_page', 1],
      ['list_page', 0],
    ]);
  });

  it('pages through all 300 interactions of many@ within every Block Kit limit, and stops', async () => {
    let page = (await commandAnswer(system, 'many@example.org since:2019-01-01')).answer;
    const seen: string[] = rows(page).map((r) => r.text.text);
    for (let n = 1; button(page, 'Older'); n += 1) {
      expect(n).toBeLessThan(31);
      page = await older(page);
      checkBlockKit(page);
      seen.push(...rows(page).map((r) => r.text.text));
    }
    expect(seen).toHaveLength(300);
    expect(new Set(seen.map((t) => /Contact (\d+) of/.exec(t)![1])).size).toBe(300);
    expect(seen.at(-1)).toContain('Contact 1 of 300');
  });

  it('Open on a row shows that interaction’s full card, and Back to list returns to the same page', async () => {
    const list = (await commandAnswer(system, 'one@example.org')).answer;
    const card = await click(system, rows(list)[0]!.accessory!.value, 'interaction_list_open');
    expect((card.blocks![0] as { text: { text: string } }).text.text).toBe('Only interaction');
    expect(system.luminate.lookupCount).toBe(1);
    expect(system.luminate.requests.find((r) => r.apiMethod === 'getInteraction')!.methodParams).toMatchObject({ interaction_id: '3100', primary_email: 'one@example.org' });
    const cardButtons = buttons(card)!.map((b) => b.text.text);
    expect(cardButtons).toEqual(['Back to list', 'Refresh', 'Share in channel', 'Open in Luminate']);
    const again = await click(system, button(card, 'Back to list')!.value, 'interaction_list_back');
    expect(rows(again)[0]!.text.text).toContain('Only interaction');
    expect(system.audit.at(-1)).toMatchObject({ event: 'interaction.list', surface: 'list_back', cached: true });
  });

  it('a card looked up by id has no Back to list', async () => {
    const { answer } = await commandAnswer(system, '3100 one@example.org');
    expect(buttons(answer)!.map((b) => b.text.text)).not.toContain('Back to list');
  });

  it('Refresh reads Luminate again, past the cache', async () => {
    const list = (await commandAnswer(system, 'cons:1001021')).answer;
    const again = await system.slashCommand('cons:1001021');
    expect(again.body).not.toBe('');
    expect(listCalls()).toHaveLength(1);
    const refreshed = await click(system, button(list, 'Refresh')!.value, 'interaction_list_refresh');
    expect(rows(refreshed)).toHaveLength(1);
    expect(allText(refreshed)).toContain('fetched just now');
    expect(listCalls()).toHaveLength(2);
    expect(system.audit.at(-1)).toMatchObject({ event: 'interaction.list', surface: 'refresh', cached: false });
  });
});

describe('a list Refresh that fails', () => {
  it('keeps the list on screen with a note saying why, and keeps the cached page', async () => {
    const list = (await commandAnswer(system, 'member:MANY-1 type:1')).answer;
    system.luminate.fault = { kind: 'status', status: 503 };
    const kept = await click(system, button(list, 'Refresh')!.value, 'interaction_list_refresh');
    expect(rows(kept)).toHaveLength(10);
    expect(allText(kept)).toMatch(/Couldn't refresh: .*unavailable right now/);
    checkBlockKit(kept);
    expect(system.audit.at(-1)).toMatchObject({ event: 'interaction.list', surface: 'refresh', outcome: 'error', cached: true });
    system.luminate.fault = null;
    const again = await system.slashCommand('member:MANY-1 type:1');
    expect(rows(JSON.parse(again.body) as SlackMessageBody)).toHaveLength(10);
  });
});

describe('access control covers lists', () => {
  it('refuses a person not allowed, audits it, and never calls Luminate', async () => {
    const closed = await startStandInSystem({ env: { SLACK_ALLOWED_USERS: 'U0SOMEONEELSE' } });
    try {
      const { answer } = await commandAnswer(closed, 'many@example.org since:2021-01-01');
      expect(answer.text).toMatch(/You don't have access/);
      expect(allText(answer)).not.toContain('Contact');
      expect(closed.luminate.requests).toHaveLength(0);
      expect(closed.audit.at(-1)).toMatchObject({ event: 'interaction.list', outcome: 'denied', filters: { since: true, until: false, typeId: null }, rows: 0 });
    } finally {
      await closed.stop();
    }
  });
});

describe('the rate limit counts pages', () => {
  it('refuses the third page of a person allowed two lookups a minute, without calling Luminate', async () => {
    const limited = await startStandInSystem({ env: { LOOKUP_RATE_PER_MINUTE: '2' } });
    try {
      const first = (await commandAnswer(limited, 'many@example.org')).answer;
      const responseUrl = limited.slack.newResponseUrl();
      await limited.interact(buttonClick({ actionId: 'interaction_list_older', value: button(first, 'Older')!.value, in: { message: { channel: 'C0DONORS', responseUrl } } }));
      const second = (await limited.slack.waitForResponse(responseUrl)).body as SlackMessageBody;
      expect(rows(second)).toHaveLength(10);
      const third = limited.slack.newResponseUrl();
      await limited.interact(buttonClick({ actionId: 'interaction_list_older', value: button(second, 'Older')!.value, in: { message: { channel: 'C0DONORS', responseUrl: third } } }));
      const refusal = (await limited.slack.waitForResponse(third)).body as SlackMessageBody;
      expect(refusal.text).toMatch(/You've made 2 lookups in the last minute/);
      expect(refusal.replace_original).toBe(false);
      expect(limited.luminate.callCount('getUserInteractions')).toBe(2);
      expect(limited.audit.at(-1)).toMatchObject({ event: 'interaction.list', outcome: 'rate_limited', page: 2 });
    } finally {
      await limited.stop();
    }
  });
});

describe('the message shortcut and the form', () => {
  it('a message naming only a donor gets their list, in the thread, only to the asker', async () => {
    system.slack.reset();
    await system.interact(messageShortcut({ text: 'Can someone check <mailto:many@example.org|many@example.org>? They called again.', threadTs: '1764300000.000100', responseUrl: system.slack.newResponseUrl() }));
    const call = await system.slack.waitForCall('chat.postEphemeral');
    expect(call.args).toMatchObject({ channel: 'C0DONORS', user: 'U0AGENT', thread_ts: '1764300000.000100', text: 'Interactions of Morgan Manyfold (many@example.org)' });
    const list = call.args as SlackMessageBody;
    checkBlockKit(list);
    expect(rows(list)).toHaveLength(10);
    // Open from the thread's list keeps the thread for Share.
    expect(JSON.parse(rows(list)[0]!.accessory!.value!)).toMatchObject({ i: 2299, c: 'C0DONORS', t: '1764300000.000100', l: { p: 0 } });
    expect(system.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('a message naming both still gets the card, and one naming neither still opens the form', async () => {
    system.slack.reset();
    await system.interact(messageShortcut({ text: 'interaction 3100 for one@example.org', responseUrl: system.slack.newResponseUrl() }));
    expect((await system.slack.waitForCall('chat.postEphemeral')).args.text).toBe('Interaction 3100: Only interaction');
    await system.interact(messageShortcut({ text: 'no donor here', responseUrl: system.slack.newResponseUrl() }));
    const view = (await system.slack.waitForCall('views.open')).args.view as { blocks: { block_id?: string; optional?: boolean }[] };
    expect(view.blocks.find((b) => b.block_id === 'interaction_id')?.optional).toBe(true);
  });

  it('the form with an empty interaction id shows the donor’s list, and its Older button updates the modal', async () => {
    system.slack.reset();
    const privateMetadata = sealedOrigin(system, 'C0DONORS');
    const view = await modalAnswer(system, modalSubmission({ interactionId: ' ', donor: 'many@example.org', privateMetadata }));
    const list = { text: '', blocks: view.blocks };
    checkBlockKit(list);
    expect(rows(list)).toHaveLength(10);
    expect(system.audit.at(-1)).toMatchObject({ event: 'interaction.list', surface: 'modal', outcome: 'found' });
    await system.interact(buttonClick({ actionId: 'interaction_list_older', value: button(list, 'Older')!.value, in: { modal: { privateMetadata: view.private_metadata } } }));
    const updated = (await system.slack.waitForCall('views.update')).args.view as { blocks: types.KnownBlock[] };
    expect(rows({ blocks: updated.blocks })[0]!.text.text).toContain('Contact 290 of 300');
  });

  it('the form still refuses a bad interaction id inline', async () => {
    const ack = await system.interact(modalSubmission({ interactionId: 'abc', donor: 'many@example.org' }));
    expect(JSON.parse(ack.body)).toEqual({ response_action: 'errors', errors: { interaction_id: expect.stringMatching(/is not an interaction id/) } });
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('keeps list subjects and donors out of the logs, even at LOG_LEVEL=debug', () => {
    expect(system.logLines.length).toBeGreaterThan(0);
    for (const donorText of ['Contact 29', 'Only interaction', 'many@example.org', 'one@example.org']) {
      expect(system.logLines.filter((line) => line.includes(donorText)).map((line) => line.slice(0, 200)), donorText).toEqual([]);
    }
  });
});
