import { describe, expect, it } from 'vitest';
import type { StandInSystem } from '../../dev/stand-ins/harness.js';
import { globalShortcut, messageShortcut } from '../support/payloads.js';
import { commandAnswer, useStandInSystem, waitUntil, type SlackMessageBody } from '../support/system.js';

/**
 * Slack's Web API on a bad day, over real HTTP: a method rate-limited (429
 * with Retry-After) or hung must cost only the call that met it. Other
 * people's forms, answers and access checks go on.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A trigger_id lives about 3 s; views.open has to be on its way well inside that, even on a loaded machine. */
const VIEWS_OPEN_WITHIN_MS = 1500;

/** The last post to a response_url that is not the "looking up…" notice. */
async function finalAnswer(system: StandInSystem, responseUrl: string, timeoutMs: number): Promise<SlackMessageBody> {
  const isFinal = () => system.slack.responsesTo(responseUrl).some((r) => !String(r.body.text).startsWith(':hourglass'));
  await system.slack.waitFor(isFinal, timeoutMs, `an answer at ${responseUrl}`);
  return system.slack.responsesTo(responseUrl).find((r) => !String(r.body.text).startsWith(':hourglass'))!.body as SlackMessageBody;
}

describe('a rate-limited or hung Slack method stalls no one else', () => {
  const system = useStandInSystem();

  it("a 429 (Retry-After 20) on one person's chat.postEphemeral: another person's form still opens at once, and the first gets the answer through response_url", async () => {
    system.slack.rateLimitedMethods.set('chat.postEphemeral', 20);
    const responseUrl = system.slack.newResponseUrl();
    await system.interact(messageShortcut({ text: 'interaction 1000 jane@example.org', user: 'U0PERSONA', responseUrl }));
    await system.slack.waitForCall('chat.postEphemeral');
    // Let the bot read the 429 before the other person acts.
    await sleep(200);

    const started = Date.now();
    const ack = await system.interact(globalShortcut({ user: 'U0PERSONB' }));
    expect(ack.status).toBe(200);
    const open = await system.slack.waitForCall('views.open', 1, VIEWS_OPEN_WITHIN_MS);
    expect(Date.now() - started).toBeLessThan(VIEWS_OPEN_WITHIN_MS);
    expect((open.args.view as { callback_id?: string }).callback_id).toBe('lookup_interaction_modal');

    // The rate-limited call failed on its own (no waiting out Retry-After), and was not retried into the limit.
    const answer = await system.slack.waitForResponse(responseUrl, 1, 3000);
    expect(answer.body.text).toBe('Interaction 1000: Sample Subject');
    expect(answer.body.response_type).toBe('ephemeral');
    expect(system.slack.callsTo('chat.postEphemeral')).toHaveLength(1);
    expect(system.logLines.some((l) => l.includes('chat.postEphemeral failed') && l.includes('rate'))).toBe(true);
  });

  it('a hung chat.postEphemeral, even a client-full of them, blocks no other answer and ends in the response_url fallback', async () => {
    system.slack.hangingMethods.add('chat.postEphemeral');
    // As many as the Web API client's 100 calls in flight: once enough to stop every other Slack call.
    const urls = Array.from({ length: 100 }, () => system.slack.newResponseUrl());
    await Promise.all(urls.map((responseUrl, i) => system.interact(messageShortcut({ text: 'interaction 1000 jane@example.org', user: `U0HUNG${i}`, responseUrl }))));
    await system.slack.waitForCall('chat.postEphemeral', 100, 15_000);
    const hungAt = Date.now();

    const opening = Date.now();
    await system.interact(globalShortcut({ user: 'U0PERSONB' }));
    await system.slack.waitForCall('views.open', 1, VIEWS_OPEN_WITHIN_MS);
    expect(Date.now() - opening).toBeLessThan(VIEWS_OPEN_WITHIN_MS);
    // Answers that do not go through the Web API were never in the way, and still are not.
    const { answer } = await commandAnswer(system, '1001 cons:1001001', { timeoutMs: 2000 });
    expect(answer.text).toMatch(/^Interaction 1001/);

    // Each hung call times out, and its person gets the card through the shortcut's response_url instead.
    await system.slack.waitFor(() => urls.every((u) => system.slack.responsesTo(u).length > 0), 12_000, 'every hung answer through response_url');
    expect(system.slack.responsesTo(urls[0]!)[0]!.body.text).toBe('Interaction 1000: Sample Subject');
    // The Web API timeout (5 s), not forever; each hung call was tried once, never retried into the stall.
    expect(Date.now() - hungAt).toBeLessThan(9000);
    expect(system.slack.callsTo('chat.postEphemeral')).toHaveLength(100);
    // Nothing left hanging for shutdown to give up on.
    await waitUntil(() => system.bot.pendingAnswers === 0, 2000, 'no answers pending');
  }, 40_000);
  it.each([
    ['answers 429', (s: StandInSystem) => s.slack.rateLimitedMethods.set('views.open', 30)],
    ['never answers', (s: StandInSystem) => s.slack.hangingMethods.add('views.open')],
  ])("when views.open %s, the message shortcut's person is told through response_url, inside the trigger's 3 s, with no late retry", async (_what, misbehave) => {
    misbehave(system);
    const responseUrl = system.slack.newResponseUrl();
    const started = Date.now();
    await system.interact(messageShortcut({ text: 'Can someone look at this donor?', user: 'U0PERSONA', responseUrl }));
    const told = await system.slack.waitForResponse(responseUrl, 1, 4000);
    expect(Date.now() - started).toBeLessThan(3500);
    expect(told.body.response_type).toBe('ephemeral');
    expect(String(told.body.text)).toMatch(/couldn't open the lookup form just now\. Run the shortcut again/);
    // Neither a 429 nor a timeout is retried: a retry after the trigger_id has died could only fail again.
    await sleep(1000);
    expect(system.slack.callsTo('views.open')).toHaveLength(1);
  });
});

describe('a user-group check that Slack does not answer', () => {
  const system = useStandInSystem({ env: { SLACK_ALLOWED_USERS: 'U0ALLOWED', SLACK_ALLOWED_USERGROUPS: 'S0DONORCARE' } });

  it("a hung usergroups.users.list ends in \"couldn't confirm your access\" within a few seconds; other people's lookups go on", async () => {
    system.slack.usergroups.set('S0DONORCARE', ['U0MEMBER']);
    system.slack.hangingMethods.add('usergroups.users.list');
    const started = Date.now();
    const member = await system.slashCommand('1000 jane@example.org', { user_id: 'U0MEMBER' });
    await system.slack.waitForCall('usergroups.users.list');

    // Someone allowed by name needs no group check, and is answered meanwhile.
    const allowedAck = await system.slashCommand('1001 cons:1001001', { user_id: 'U0ALLOWED' });
    const allowed = await system.slack.waitForResponse(allowedAck.responseUrl, 1, 1400);
    expect(allowed.body.text).toMatch(/^Interaction 1001/);

    const refused = await finalAnswer(system, member.responseUrl, 8000);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(refused.text).toMatch(/couldn't confirm your access just now\. Try again/);
    expect(system.logLines.some((l) => l.includes('could not read a user group') && l.includes('S0DONORCARE'))).toBe(true);
    expect(system.luminate.requests.filter((r) => r.interactionId === '1000')).toHaveLength(0);

    // Once Slack answers again, the same person gets in.
    system.slack.hangingMethods.clear();
    const againAck = await system.slashCommand('1000 jane@example.org', { user_id: 'U0MEMBER' });
    expect((await finalAnswer(system, againAck.responseUrl, 5000)).text).toBe('Interaction 1000: Sample Subject');
  }, 20_000);
});

describe('a message shortcut while a user-group check hangs', () => {
  // Its own system: no membership read yet, as on the first shortcut after a start.
  const system = useStandInSystem({ env: { SLACK_ALLOWED_USERGROUPS: 'S0DONORCARE' } });

  it("a message shortcut whose form must open inside the trigger's 3 s does not wait out a hung group check: it says so at once", async () => {
    system.slack.usergroups.set('S0DONORCARE', ['U0MEMBER']);
    system.slack.hangingMethods.add('usergroups.users.list');
    const started = Date.now();
    await system.interact(messageShortcut({ text: 'about interaction 1000, which donor?', user: 'U0MEMBER', responseUrl: system.slack.newResponseUrl() }));
    const told = await system.slack.waitForCall('chat.postEphemeral', 1, 4000);
    // Inside the trigger's life, so a person told to retry is not left waiting on a form that can no longer open.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(String(told.args.text)).toMatch(/couldn't confirm your access just now/);
    expect(system.slack.callsTo('views.open')).toHaveLength(0);
    expect(system.audit.at(-1)).toMatchObject({ surface: 'message_shortcut', outcome: 'denied', interactionId: null });
  });
});

describe('several allowed user groups, one of them gone', () => {
  // S0GONE is unknown to the stand-in, which answers no_such_subteam as Slack does for a deleted group.
  const system = useStandInSystem({ env: { SLACK_ALLOWED_USERGROUPS: 'S0GONE,S0DONORCARE' } }, () => system.slack.usergroups.set('S0DONORCARE', ['U0MEMBER']));

  it('a member of the readable group is allowed, and the failing group is logged', async () => {
    const ack = await system.slashCommand('1000 jane@example.org', { user_id: 'U0MEMBER' });
    const answer = await finalAnswer(system, ack.responseUrl, 5000);
    expect(answer.text).toBe('Interaction 1000: Sample Subject');
    const logged = system.logLines.find((l) => l.includes('could not read a user group'));
    expect(logged).toBeDefined();
    expect(logged).toContain('S0GONE');
    expect(logged).toContain('no_such_subteam');
    expect(logged).toMatch(/"level":"warn"/);
  });

  it('someone in neither group is told access could not be confirmed (one group was unreadable), not that they lack access', async () => {
    const ack = await system.slashCommand('1000 jane@example.org', { user_id: 'U0STRANGER' });
    const answer = await finalAnswer(system, ack.responseUrl, 5000);
    expect(answer.text).toMatch(/couldn't confirm your access/);
  });
});
