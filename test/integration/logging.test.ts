import { afterEach, describe, expect, it } from 'vitest';
import { startStandInSystem, type StandInSystem } from '../../dev/stand-ins/harness.js';
import { commandAnswer, expectNoSecretLeaked } from '../support/system.js';

let system: StandInSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

const parsed = (s: StandInSystem) => s.logLines.map((l) => JSON.parse(l) as { level: string; source?: string; msg: string });

describe('LOG_LEVEL and Bolt', () => {
  it("debug shows Bolt's own debug lines, redacted: no secret, no donor email", async () => {
    system = await startStandInSystem({ env: { LOG_LEVEL: 'debug' } });
    expect((await commandAnswer(system, '1000 jane@example.org')).answer.text).toBe('Interaction 1000: Sample Subject');
    const bolt = parsed(system).filter((l) => l.source === 'bolt' && l.level === 'debug');
    expect(bolt.length).toBeGreaterThan(0);
    // Bolt's debug lines quote the request Slack sent, which names the donor.
    expect(system.logLines.join('')).not.toContain('jane@example.org');
    expectNoSecretLeaked(system);
  });

  it("info shows none of Bolt's debug lines", async () => {
    system = await startStandInSystem({ env: { LOG_LEVEL: 'info' } });
    expect((await commandAnswer(system, '1000 jane@example.org')).answer.text).toBe('Interaction 1000: Sample Subject');
    expect(system.logLines.length).toBeGreaterThan(0);
    expect(parsed(system).filter((l) => l.level === 'debug')).toHaveLength(0);
  });
});

describe('what Luminate quotes back', () => {
  it('reaches the log without the donor email, any credential, or more than a few KB', async () => {
    system = await startStandInSystem({ env: { LOG_LEVEL: 'info' } });
    const [, , apiKey, password] = system.secrets;
    // Some proxies and misconfigured sites echo the request in their error text.
    const echo = `No interaction for primary_email=jane.doe@example.org api_key=${apiKey} login_password=${password} ${'x'.repeat(1_000_000)}`;
    system.luminate.fault = { kind: 'error', code: '1', message: echo };
    const ack = await system.slashCommand('1000 jane.doe@example.org');
    await system.slack.waitForResponse(ack.responseUrl);
    await expect.poll(() => system!.logLines.some((l) => l.includes('luminate lookup failed'))).toBe(true);
    const line = system.logLines.find((l) => l.includes('luminate lookup failed'))!;
    expect(line).toMatch(/"code":"1"/);
    // The client keeps at most 300 characters of Luminate's message; the logger's own cut is the backstop.
    expect(line.length).toBeLessThan(4_000);
    const logs = system.logLines.join('');
    expect(logs).not.toMatch(/jane\.doe|example\.org/);
    for (const secret of system.secrets) expect(logs).not.toContain(secret);
  });
});
