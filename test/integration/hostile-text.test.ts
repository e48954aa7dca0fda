import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { messageShortcut } from '../support/payloads.js';
import { useStandInSystem } from '../support/system.js';

const system = useStandInSystem({ env: { SLACK_ALLOWED_USERGROUPS: 'S0DONORCARE', LOOKUP_RATE_PER_MINUTE: '3' } }, () => {
  system.slack.usergroups.set('S0DONORCARE', ['U0AGENT', 'U0HASTY', 'U0FORMS']);
});

const waitForCall = (method: string, count = 1) => system.slack.waitForCall(method, count);

/** Sends the shortcut and, right behind it, GET /healthz; resolves with how long the health check took. */
async function healthWhileShortcut(text: string): Promise<number> {
  const shortcut = system.interact(messageShortcut({ text, user: 'U0AGENT', responseUrl: system.slack.newResponseUrl() }));
  const started = performance.now();
  const health = await fetch(system.botUrl.replace('/slack/events', '/healthz'));
  const ms = performance.now() - started;
  expect(health.status).toBe(200);
  expect((await shortcut).status).toBe(200);
  return ms;
}

describe('a crafted message does not stall the bot', () => {
  // Before the scan was bounded, the first took ~16 s of blocked event loop and the others hours.
  it.each([
    ['"interaction" + 3 000 spaces + a letter', `interaction${' '.repeat(3_000)}x`],
    ['"interaction" + 40 000 characters of tabs, newlines and NBSP', `interaction${'\t\n\u00a0 '.repeat(10_000)}x`.slice(0, 40_000)],
    ['40 000 characters of x.x.x. before @', `${'x.'.repeat(19_999)}@`],
  ])('message shortcut on %s: /healthz answers promptly and the person gets the form', async (_name, text) => {
    // Generous for a loaded machine: the old scan blocked for 16 s and more.
    expect(await healthWhileShortcut(text)).toBeLessThan(2_000);
    const view = (await waitForCall('views.open')).args.view as { blocks: unknown[] };
    expect(JSON.stringify(view.blocks)).toContain('No interaction id or donor found in the message.');
  });
});

describe('refusals come before the message is read', () => {
  it('a person outside the allowed group is refused without the message being read (the audit line names no lookup)', async () => {
    await system.interact(messageShortcut({ text: 'interaction 1000 jane@example.org', user: 'U0STRANGER', responseUrl: system.slack.newResponseUrl() }));
    expect(String((await waitForCall('chat.postEphemeral')).args.text)).toMatch(/don't have access/);
    expect(system.audit).toEqual([expect.objectContaining({ user: 'U0STRANGER', outcome: 'denied', surface: 'message_shortcut', interactionId: null, identifierKind: null })]);
    expect(system.slack.callsTo('views.open')).toHaveLength(0);
    expect(system.luminate.requests).toHaveLength(0);
  });

  it('a person over the rate limit gets the limit message instead of a form, without the message being read', async () => {
    for (let i = 0; i < 3; i++) {
      const ack = await system.slashCommand('1000 jane@example.org', { user_id: 'U0HASTY' });
      if (!ack.body) await system.slack.waitForResponse(ack.responseUrl);
    }
    system.audit.length = 0;
    await system.interact(messageShortcut({ text: 'Can someone look at interaction 1000?', user: 'U0HASTY', responseUrl: system.slack.newResponseUrl() }));
    expect(String((await waitForCall('chat.postEphemeral')).args.text)).toMatch(/You've made 3 lookups in the last minute/);
    expect(system.slack.callsTo('views.open')).toHaveLength(0);
    expect(system.audit).toEqual([expect.objectContaining({ user: 'U0HASTY', outcome: 'rate_limited', interactionId: null })]);
  });

  it('opening the form costs no lookup: after three forms, three lookups still go through', async () => {
    for (let i = 1; i <= 3; i++) {
      await system.interact(messageShortcut({ text: 'Can someone look at interaction 1000?', user: 'U0FORMS', responseUrl: system.slack.newResponseUrl() }));
      await waitForCall('views.open', i);
    }
    for (let i = 0; i < 3; i++) {
      await system.interact(messageShortcut({ text: `interaction 100${i % 2} cons:1001001`, user: 'U0FORMS', responseUrl: system.slack.newResponseUrl() }));
      expect(String((await waitForCall('chat.postEphemeral', i + 1)).args.text)).toMatch(/^Interaction 100\d/);
    }
  });
});
