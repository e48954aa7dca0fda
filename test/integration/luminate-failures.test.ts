import { describe, expect, it } from 'vitest';
import { luminateFixture } from '../support/fixtures.js';
import { allText, commandAnswer, useStandInSystem } from '../support/system.js';

let nextId = 8100;
// The production resilience defaults (retries, a breaker opening after 5 failures), not the harness's test-friendly ones.
const system = useStandInSystem({ resilience: { retryDelayMs: undefined, breakerThreshold: undefined } });

const apiKey = () => system.config.luminate.apiKey;
const password = () => system.config.luminate.loginPassword;

describe("Luminate's error text never reaches Slack or the logs as it was", () => {
  it('an errorResponse echoing the API key, the password and a donor email: none of them in Slack or in the log', async () => {
    const email = 'echoed.donor@example.net';
    system.luminate.fault = { kind: 'error', code: '999', message: `Request api_key ${apiKey()} password ${password()} primary_email ${email} rejected` };
    const logsBefore = system.logLines.length;
    const { answer } = await commandAnswer(system, `${nextId++} cons:1001001`);
    const text = allText(answer);
    expect(text).toContain('code 999');
    for (const leak of [apiKey(), password(), email]) expect(text).not.toContain(leak);
    const logs = system.logLines.slice(logsBefore).join('\n');
    expect(logs).toContain('luminate lookup failed');
    expect(logs).toContain('999');
    for (const leak of [apiKey(), password(), email]) expect(logs).not.toContain(leak);
  });
});

describe('answers about one record', () => {
  it('an answer about another interaction is not shown: the person is told it could not be confirmed, and a warning without donor data is logged', async () => {
    const body = JSON.parse(luminateFixture('getInteraction.json')) as { getInteractionResponse: { interaction: Record<string, unknown> } };
    body.getInteractionResponse.interaction.interactionId = '999';
    system.luminate.fault = { kind: 'status', status: 200, contentType: 'application/json', body: JSON.stringify(body) };
    const logsBefore = system.logLines.length;
    const { answer } = await commandAnswer(system, '1000 jane@example.org');
    const text = allText(answer);
    expect(text).toMatch(/couldn't be confirmed/);
    expect(text).not.toContain('Sample Subject');
    const warning = system.logLines.slice(logsBefore).find((l) => l.includes('"level":"warn"') && l.includes('mismatch'));
    expect(warning).toBeDefined();
    expect(warning).not.toMatch(/jane|example\.org|Sample Subject|1001001/);
    expect(system.audit.at(-1)).toMatchObject({ outcome: 'error' });
  });

  it('six lookups of a hidden record, at the default breaker settings, say "not visible" and do not pause Luminate for everyone', async () => {
    system.luminate.fault = { kind: 'status', status: 200, contentType: 'application/json', body: JSON.stringify({ getInteractionResponse: { interaction: [] } }) };
    for (let i = 0; i < 6; i++) {
      const { answer } = await commandAnswer(system, `${nextId++} cons:1001001`);
      expect(allText(answer)).toMatch(/not visible to the bot's service account/);
      expect(system.audit.at(-1)).toMatchObject({ outcome: 'not_found' });
    }
    expect(system.luminate.requests).toHaveLength(6);
    system.luminate.fault = null;
    const { answer } = await commandAnswer(system, '1001 cons:1001001');
    expect(answer.text).toBe('Interaction 1001: Phone call: Gift Aid question');
    expect(system.luminate.requests).toHaveLength(7);
  });
});
