import { describe, expect, it } from 'vitest';
import {
  LuminateApiError,
  LuminateBadResponseError,
  LuminateCircuitOpenError,
  LuminateTimeoutError,
  LuminateUnavailableError,
} from '../../src/luminate/errors.js';
import type { InteractionRequest } from '../../src/luminate/identifiers.js';
import { describeLookupFailure, lookupFailureMessage } from '../../src/slack/render/failure-messages.js';
import { invalidInputMessage, usageMessage } from '../../src/slack/render/help-messages.js';
import { accessDeniedMessage } from '../../src/slack/render/refusal-messages.js';

const lookup: InteractionRequest = { interactionId: 1000, identifier: { kind: 'email', email: 'jane@example.org' } };
const describe_ = (error: unknown) => describeLookupFailure(error, lookup);

describe('describeLookupFailure', () => {
  it('code 16: no donor matches, with what to try', () => {
    const d = describe_(new LuminateApiError('16', 'whatever'));
    // For the person asking: what to check, without sending them to an admin.
    expect(d.action).not.toMatch(/admin/);
    expect(d.headline).toBe('No donor in Luminate Online matches *jane@example.org*.');
    expect(d.action).toMatch(/cons:.*member:/);
  });

  it.each(['26', '27', '32'])('code %s: nothing found for that donor, with what to try', (code) => {
    const d = describe_(new LuminateApiError(code, 'whatever'));
    // For the person asking: what to check, without sending them to an admin.
    expect(d.action).not.toMatch(/admin/);
    expect(d.headline).toBe('Luminate Online has no interaction *1000* for *jane@example.org*.');
    expect(d.action).toMatch(/cons:/);
  });

  it.each(['8', '15'])('code %s: several constituents share the identifier', (code) => {
    const d = describe_(new LuminateApiError(code, 'x'));
    expect(d.headline).toMatch(/More than one constituent matches/);
    expect(d.action).toMatch(/cons:.*member:/);
  });

  it.each([
    ['2', /API key/, /LUMINATE_API_KEY/],
    ['3', /service account/, /LUMINATE_LOGIN_NAME.*allow-list/],
    ['4', /not on the API allow-list/, /Open API Configuration.*\/32/],
    ['14', /not allowed to read interactions/, /getInteraction/],
    ['5', /refused the bot's request/, /LUMINATE_URL/],
    ['6', /refused the bot's request/, /tell an admin/],
    ['9', /refused the bot's request/, /tell an admin/],
  ])('code %s is for an admin, and says what to fix', (code, headline, action) => {
    const d = describe_(new LuminateApiError(code, 'x'));
    // For an admin of the bot: the words send the person there.
    expect(d.action).toMatch(/an admin/);
    expect(d.headline).toMatch(headline);
    expect(d.action).toMatch(action);
  });

  it("code 1 and unknown codes show Luminate's code, never its message", () => {
    expect(describe_(new LuminateApiError('1', 'Bad <input> & stuff')).headline).toBe('Luminate Online could not process the request (code 1).');
    expect(describe_(new LuminateApiError('99', '<!channel>')).headline).toBe('Luminate Online answered with an error (code 99).');
    expect(describe_(new LuminateApiError('<b>', 'x')).headline).toContain('code &lt;b&gt;');
  });

  it('timeouts, outages and bad answers say what happened and to try again', () => {
    expect(describe_(new LuminateTimeoutError(10_000)).headline).toBe('Luminate Online did not answer within 10 seconds.');
    expect(describe_(new LuminateUnavailableError('HTTP 503', 503)).headline).toBe('Luminate Online is unavailable right now.');
    expect(describe_(new LuminateBadResponseError('HTML', 200)).headline).toMatch(/not a valid response/);
    for (const e of [new LuminateTimeoutError(1), new LuminateUnavailableError('x'), new LuminateBadResponseError('x', 200)]) {
      expect(describe_(e).action).toMatch(/[Tt]ry again/);
    }
  });

  it('an open circuit says Luminate is not answering, and when to try again', () => {
    const d = describe_(new LuminateCircuitOpenError());
    expect(d.headline).toBe('Luminate Online is not answering right now.');
    expect(d.action).toMatch(/Try again in a minute/);
  });

  it('an unexpected error does not leak its message', () => {
    const d = describe_(new Error('secret-ish internals at /srv/app.js:12'));
    expect(`${d.headline} ${d.action}`).not.toContain('internals');
    expect(d.action).toMatch(/logs/);
  });

  it('escapes the identifier the person typed', () => {
    const hostile: InteractionRequest = { interactionId: 1, identifier: { kind: 'member', memberId: '<!channel>&' } };
    expect(describeLookupFailure(new LuminateApiError('16', ''), hostile).headline).toContain('member:&lt;!channel&gt;&amp;');
  });
});

describe('messages', () => {
  it('a failure message has a fallback text and blocks', () => {
    const m = lookupFailureMessage(new LuminateApiError('8', ''), lookup);
    expect(m.text).toMatch(/More than one constituent/);
    expect(m.blocks).toHaveLength(2);
  });

  it('invalid input is escaped and shows the right form', () => {
    const m = invalidInputMessage({ kind: 'not_a_donor', input: '<!here>' });
    expect(m.text).toContain('"&lt;!here&gt;" is not a donor identifier');
    expect(m.text).toContain('&lt;!here&gt;');
    expect(m.text).not.toContain('<!here>');
    expect(JSON.stringify(m.blocks)).toContain('/interaction 1000 jane@example.org');
  });

  it('usage gives examples of each identifier', () => {
    const all = JSON.stringify(usageMessage().blocks);
    for (const example of ['jane@example.org', 'cons:1001001', 'member:JD-1001']) expect(all).toContain(example);
  });
});

describe('accessDeniedMessage', () => {
  it('tells a refused user who to ask: a user, a group, or words', () => {
    expect(accessDeniedMessage('user', { contact: 'U0LEAD', channels: [] }).text).toContain('Ask <@U0LEAD> to add you');
    expect(accessDeniedMessage('user', { contact: 'S0LEADS', channels: [] }).text).toContain('<!subteam^S0LEADS>');
    expect(accessDeniedMessage('user', { contact: 'the <data> team', channels: [] }).text).toContain('the &lt;data&gt; team');
    expect(accessDeniedMessage('user', { channels: [] }).text).toContain('whoever manages the Luminate Interactions app');
  });

  it('names the allowed channels when the channel is wrong or missing', () => {
    expect(JSON.stringify(accessDeniedMessage('channel', { channels: ['C1', 'C2'] }).blocks)).toContain('Use <#C1>, <#C2>');
    expect(JSON.stringify(accessDeniedMessage('no_channel', { channels: ['C1'] }).blocks)).toContain('in <#C1>');
    expect(accessDeniedMessage('check_failed', { channels: [] }).text).toMatch(/Try again/);
  });
});
