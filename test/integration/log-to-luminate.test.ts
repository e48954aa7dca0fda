import { describe, expect, it } from 'vitest';
import type { StandInSystem } from '../../dev/stand-ins/harness.js';
import { logShortcut, logSubmission } from '../support/payloads.js';
import { allText, commandAnswer, sealedOrigin, useStandInSystem, type SlackMessageBody } from '../support/system.js';

const CHANNEL = 'C0DONORS';
const THREAD = '1764400000.000100';
const MESSAGE = '1764400000.000200';

interface Ack {
  response_action?: string;
  errors?: Record<string, string>;
  view?: { blocks: unknown[] };
}

const metadata = (system: StandInSystem) => sealedOrigin(system, CHANNEL, THREAD, MESSAGE);

let submissions = 0;

/** Submits the form; each call is its own form and entry unless `fields` says otherwise (the bot remembers both for 10 minutes). */
async function submit(system: StandInSystem, fields: Partial<Parameters<typeof logSubmission>[0]> = {}) {
  submissions += 1;
  const response = await system.interact(
    logSubmission({
      donor: 'jane@example.org',
      subject: `Called about her pledge ${submissions}`,
      note: 'She will renew in May.',
      typeId: '1',
      privateMetadata: metadata(system),
      viewId: `V0FORM${submissions}`,
      ...fields,
    }),
  );
  expect(response.status).toBe(200);
  return JSON.parse(response.body || '{}') as Ack;
}

/** The confirmation posted in the thread, only to the person. */
async function threadAnswer(system: StandInSystem, count = 1): Promise<SlackMessageBody & { thread_ts?: string; user?: string; channel?: string }> {
  return (await system.slack.waitForCall('chat.postEphemeral', count, 10_000)).args as SlackMessageBody;
}

/** Every mrkdwn text in blocks: what Slack parses for mentions and links. */
function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (typeof value !== 'object' || value === null) return [];
  const object = value as Record<string, unknown>;
  const own = object.type === 'mrkdwn' && typeof object.text === 'string' ? [object.text] : [];
  return [...own, ...Object.values(object).flatMap(mrkdwnTexts)];
}

const logAudits = (system: StandInSystem) => system.audit.filter((a) => a.event === 'interaction.log');

describe('Log to Luminate, turned off (the default)', () => {
  const system = useStandInSystem({ env: { SLACK_ACCESS_CONTACT: 'U0ADMIN' } });

  it('answers only to the person that logging is off and whom to ask, and calls nothing', async () => {
    const response = await system.interact(logShortcut({ text: 'Talked to jane@example.org', responseUrl: system.slack.newResponseUrl(), threadTs: THREAD }));
    expect(response.status).toBe(200);
    const answer = await threadAnswer(system);
    expect(answer.user).toBe('U0AGENT');
    expect(answer.thread_ts).toBe(THREAD);
    expect(allText(answer)).toContain('isn’t turned on');
    expect(allText(answer)).toContain('<@U0ADMIN>');
    expect(system.slack.callsTo('views.open')).toHaveLength(0);
    expect(system.luminate.requests).toHaveLength(0);
    expect(logAudits(system)).toMatchObject([{ outcome: 'denied', identifierKind: null }]);
  });

  it('refuses a submitted form too: nothing is sent to Luminate', async () => {
    const ack = await submit(system);
    expect(ack.response_action).toBe('update');
    expect(JSON.stringify(ack.view)).toContain('isn’t turned on');
    expect(system.luminate.logCount).toBe(0);
  });
});

describe('Log to Luminate, turned on', () => {
  const system = useStandInSystem({ env: { LUMINATE_LOGGING_ENABLED: 'true', LUMINATE_INTERACTION_TYPES: '1=Phone call,3=Email,7=Visit' } }, () => {
    system.slack.userNames.set('U0AGENT', 'Agent Smith');
    system.slack.userNames.set('U0ANA', 'Ana Ruiz');
    system.slack.channels.set(CHANNEL, { name: 'donor-care' });
  });

  it('opens the form prefilled from the message: donor, first line as subject, mentions as names', async () => {
    const text = 'Spoke with jane@example.org today\n<@U0ANA> will follow up &amp; send the form';
    await system.interact(logShortcut({ text, responseUrl: system.slack.newResponseUrl(), threadTs: THREAD }));
    const open = await system.slack.waitForCall('views.open');
    const view = open.args.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string; element?: { initial_value?: string; initial_option?: { value: string } } }[] };
    expect(view.callback_id).toBe('log_interaction_modal');
    const initial = (id: string) => view.blocks.find((b) => b.block_id === id)?.element;
    expect(initial('log_donor')?.initial_value).toBe('jane@example.org');
    expect(initial('log_subject')?.initial_value).toBe('Spoke with jane@example.org today');
    expect(initial('log_note')?.initial_value).toContain('@Ana Ruiz will follow up & send the form');
    expect(initial('log_type')?.initial_option?.value).toBe('0');
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('logs once, confirms in the thread with the new card, and the donor’s list shows it at once', async () => {
    // The list is cached before the write…
    const before = await system.slashCommand('jane@example.org');
    await system.slack.waitForResponse(before.responseUrl);

    const ack = await submit(system, { subject: 'Pledge <!channel> & renewal', note: 'Hostile <https://evil.example|click> & <@U0BOSS>' });
    expect(ack.response_action).toBe('update');
    const answer = await threadAnswer(system);
    expect(answer.channel).toBe(CHANNEL);
    expect(answer.thread_ts).toBe(THREAD);
    const text = allText(answer);
    expect(text).toContain('Logged to *Jane');
    expect(text).toContain('Pledge &lt;!channel&gt; &amp; renewal');
    // Only plain_text (which Slack never parses) may hold the subject as typed.
    const parsed = JSON.stringify([answer.text, mrkdwnTexts(answer.blocks)]);
    expect(parsed).not.toContain('<!channel>');
    expect(parsed).not.toContain('<https://evil.example');
    expect(parsed).not.toContain('<@U0BOSS>');
    expect(system.luminate.logCount).toBe(1);

    const written = system.luminate.logged[0]!;
    expect(written.subject).toBe('Pledge <!channel> & renewal');
    const body = (written.note as { text: string }).text;
    expect(body).toContain('Logged from Slack by Agent Smith (U0AGENT) in #donor-care: https://stand-in.slack.test/archives/C0DONORS/p1764400000000200');
    expect(body.length).toBeLessThanOrEqual(1500);
    expect(written.interactionTypeId).toBe('1');

    const audit = logAudits(system);
    expect(audit).toMatchObject([{ outcome: 'logged', user: 'U0AGENT', channel: CHANNEL, surface: 'log_form', identifierKind: 'email', typeId: 1 }]);
    expect(JSON.stringify(audit)).not.toMatch(/jane@|Pledge|Hostile|renewal/);

    // …and dropped by the write: the next list is read again and shows it.
    const after = await system.slashCommand('jane@example.org');
    const list = await system.slack.waitForResponse(after.responseUrl);
    expect(JSON.stringify(list.body)).toContain('Pledge &lt;!channel&gt; &amp; renewal');
  });

  it('drops the donor’s lists under their other names too: logged by cons:, listed by email', async () => {
    await commandAnswer(system, 'jane@example.org');
    await submit(system, { donor: 'cons:1001001', subject: 'Logged by constituent id' });
    await threadAnswer(system);
    const { answer } = await commandAnswer(system, 'jane@example.org');
    expect(allText(answer)).toContain('Logged by constituent id');
  });

  it('logs nothing more for a double submit, a replayed submission or a second click with the same entry', async () => {
    const first = logSubmission({ donor: 'cons:1001001', subject: 'Once only', note: 'n', privateMetadata: metadata(system), viewId: 'V0ONCE' });
    await system.interact(first);
    await threadAnswer(system);
    // The very same signed request again (a replay).
    await system.interact(first);
    // The same form submitted again (a new trigger_id, the same view).
    await system.interact({ ...first, trigger_id: 'another.trigger' });
    // A second click on the shortcut: a new form, the same entry.
    const second = await submit(system, { donor: 'cons:1001001', subject: 'Once only', note: 'n', typeId: '0', viewId: 'V0SECOND' });
    expect(JSON.stringify(second.view)).toContain('already sent');
    expect(system.luminate.logCount).toBe(1);
  });

  it('logs once for a second click on the same message though only one of the two notes got its permalink', async () => {
    const privateMetadata = sealedOrigin(system, CHANNEL, THREAD, '1764400000.000900');
    const fields = { donor: 'cons:1001001', subject: 'Permalink or not', note: 'n', typeId: '0', privateMetadata };
    system.slack.failingMethods.set('chat.getPermalink', 'internal_error');
    await submit(system, { ...fields, viewId: 'V0LINK1' });
    await threadAnswer(system);
    expect((system.luminate.logged[0]!.note as { text: string }).text).not.toContain('https://');
    system.slack.failingMethods.delete('chat.getPermalink');
    const second = await submit(system, { ...fields, viewId: 'V0LINK2' });
    expect(JSON.stringify(second.view)).toContain('already sent');
    expect(system.slack.callsTo('chat.getPermalink').length).toBeGreaterThan(1);
    expect(system.luminate.logCount).toBe(1);
  });

  it.each([
    ['a subject over 80 characters', { subject: 'x'.repeat(81) }, 'log_subject'],
    ['a donor that does not parse', { donor: 'not a donor' }, 'log_donor'],
    ['an empty subject', { subject: '  ' }, 'log_subject'],
    ['a note that does not fit beside the provenance line', { note: 'y'.repeat(1490) }, 'log_note'],
    ['a type that is not configured', { typeId: '42' }, 'log_type'],
  ])('keeps the form open with an inline error for %s, and sends nothing', async (_, fields, block) => {
    const ack = await submit(system, fields);
    expect(ack.response_action).toBe('errors');
    expect(Object.keys(ack.errors ?? {})).toContain(block);
    expect(system.luminate.logCount).toBe(0);
    expect(logAudits(system)).toMatchObject([{ outcome: 'invalid' }]);
  });

  it.each([
    ['an unknown donor', { donor: 'nobody@example.org' }, 'log_donor', 'No donor'],
    ['an email several donors share', { donor: 'family@example.org' }, 'log_donor', 'More than one'],
    ['a type the site does not have', { typeId: '7' }, 'log_type', 'does not have this type'],
  ])('shows Luminate’s refusal of %s under the field, form kept', async (_, fields, block, words) => {
    const ack = await submit(system, fields);
    expect(ack.response_action).toBe('errors');
    expect(ack.errors?.[block]).toContain(words);
    expect(system.luminate.logged).toHaveLength(0);
    expect(logAudits(system)).toMatchObject([{ outcome: 'failed' }]);
  });

  it.each([
    ['the service account lacking permission', { kind: 'error', code: '14' } as const, 'not allowed to log'],
    ['Luminate refusing the request (429)', { kind: 'status', status: 429 } as const, 'unavailable'],
  ])('keeps what was typed in the form and says why for %s; a retry then goes through', async (_, fault, words) => {
    system.luminate.methodFaults.logInteraction = fault;
    const subject = `Kept subject ${fault.kind}`;
    const ack = await submit(system, { subject, viewId: `V0RETRY${fault.kind}` });
    expect(ack.response_action).toBe('update');
    const view = JSON.stringify(ack.view);
    expect(view).toContain(words);
    expect(view).toContain('Nothing was logged');
    expect(view).toContain(subject);
    expect(system.luminate.logged).toHaveLength(0);
    // Nothing was recorded, so the same form may be sent again.
    system.luminate.methodFaults = {};
    await submit(system, { subject, viewId: `V0RETRY${fault.kind}` });
    await threadAnswer(system);
    expect(system.luminate.logged).toHaveLength(1);
  });

  it.each([['hang_after_recording'], ['reset_after_recording']] as const)(
    'says "may or may not" with the list one click away when Luminate %s: exactly one call, no retry',
    async (kind) => {
      system.luminate.logAnswer = { kind };
      await submit(system, { subject: `Uncertain ${kind}`, viewId: `V0${kind}` });
      const answer = await threadAnswer(system);
      const text = allText(answer);
      expect(text).toContain('may or may not have been logged');
      expect(text).toContain('interaction_list_refresh');
      expect(system.luminate.logCount).toBe(1);
      expect(logAudits(system)).toMatchObject([{ outcome: 'uncertain' }]);
      // Submitting it again logs nothing more: it may already be there.
      await submit(system, { subject: `Uncertain ${kind}`, viewId: `V0${kind}` });
      expect(system.luminate.logCount).toBe(1);
    },
    15_000,
  );
});

describe('Log to Luminate: who may', () => {
  const system = useStandInSystem({
    env: { LUMINATE_LOGGING_ENABLED: 'true', SLACK_ALLOWED_LOGGERS: 'U0LOGGER', SLACK_ALLOWED_CHANNELS: 'C0DONORS,C0OTHER', LOOKUP_RATE_PER_MINUTE: '2' },
  });

  it('refuses someone allowed to look up but not in SLACK_ALLOWED_LOGGERS, before reading the message', async () => {
    await system.interact(logShortcut({ text: 'jane@example.org', responseUrl: system.slack.newResponseUrl(), user: 'U0AGENT', threadTs: THREAD }));
    expect(allText(await threadAnswer(system))).toContain("aren't one of the people who may log");
    expect(system.slack.callsTo('views.open')).toHaveLength(0);
    const ack = await submit(system, { user: 'U0AGENT' });
    expect(JSON.stringify(ack.view)).toContain("aren't one of the people who may log");
    expect(system.luminate.logCount).toBe(0);
  });

  it('refuses a channel the lookup limits do not allow, and a form whose origin was not sealed by the bot', async () => {
    await system.interact(logShortcut({ text: 'jane@example.org', responseUrl: system.slack.newResponseUrl(), user: 'U0LOGGER', channel: 'C0RANDOM' }));
    expect(allText(await threadAnswer(system))).toContain("can't be looked up in this channel");
    const forged = await submit(system, { user: 'U0LOGGER', privateMetadata: JSON.stringify({ c: CHANNEL, t: THREAD, m: MESSAGE, s: 'forged' }) });
    expect(JSON.stringify(forged.view)).toContain('only be looked up from allowed channels');
    expect(system.luminate.logCount).toBe(0);
    expect(logAudits(system).every((a) => a.outcome === 'denied')).toBe(true);
  });

  it('counts a log as a lookup against the rate limit', async () => {
    await submit(system, { user: 'U0LOGGER', subject: 'One', viewId: 'V0R1' });
    await submit(system, { user: 'U0LOGGER', subject: 'Two', viewId: 'V0R2' });
    const third = await submit(system, { user: 'U0LOGGER', subject: 'Three', viewId: 'V0R3' });
    expect(JSON.stringify(third.view)).toContain('lookups in the last minute');
    expect(system.luminate.logCount).toBe(2);
  });
});

describe('Log to Luminate: a double submit and the rate limit', () => {
  const system = useStandInSystem({ env: { LUMINATE_LOGGING_ENABLED: 'true', LOOKUP_RATE_PER_MINUTE: '2' } });

  it('costs no lookup for a form sent twice: the exactly-once guard answers before the limit counts', async () => {
    await submit(system, { user: 'U0TWICE', subject: 'First', viewId: 'V0TWICE1' });
    await threadAnswer(system);
    const again = await submit(system, { user: 'U0TWICE', subject: 'First', viewId: 'V0TWICE1' });
    expect(JSON.stringify(again.view)).toContain('already sent');
    // The second of this minute's two lookups is still there.
    await submit(system, { user: 'U0TWICE', subject: 'Second', viewId: 'V0TWICE2' });
    await threadAnswer(system, 2);
    expect(system.luminate.logCount).toBe(2);
    expect(logAudits(system).map((a) => a.outcome)).toEqual(['logged', 'denied', 'logged']);
    const third = await submit(system, { user: 'U0TWICE', subject: 'Third', viewId: 'V0TWICE3' });
    expect(JSON.stringify(third.view)).toContain('lookups in the last minute');
    expect(system.luminate.logCount).toBe(2);
  });
});

describe('Log to Luminate: the trigger’s 3 s with a slow group check and slow names', () => {
  const system = useStandInSystem({ env: { LUMINATE_LOGGING_ENABLED: 'true', SLACK_ALLOWED_USERGROUPS: 'S0DONORCARE' } });

  it('asks for the form within its share and tells the person inside the 3 s when views.open never answers', async () => {
    system.slack.usergroups.set('S0DONORCARE', ['U0SLOWNAMES']);
    system.slack.methodLatencyMs.set('usergroups.users.list', 850);
    system.slack.methodLatencyMs.set('users.info', 3000);
    system.slack.hangingMethods.add('views.open');
    const responseUrl = system.slack.newResponseUrl();
    const started = Date.now();
    await system.interact(logShortcut({ text: 'Talked to jane@example.org', responseUrl, user: 'U0SLOWNAMES', threadTs: THREAD }));
    const told = await system.slack.waitForResponse(responseUrl, 1, 5000);
    // The access check (850 ms) and the names share 1 s, then views.open its 1.4 s: before the trigger_id dies.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(String(told.body.text)).toMatch(/couldn't open the Log to Luminate form/);
    expect(system.slack.callsTo('usergroups.users.list')).toHaveLength(1);
    expect(system.slack.callsTo('views.open')).toHaveLength(1);
  });
});
