import { describe, expect, it } from 'vitest';
import * as errors from '../../src/luminate/errors.js';
import { LuminateApiError, LuminateBadResponseError, LuminateCircuitOpenError, LuminateTimeoutError, LuminateUnavailableError } from '../../src/luminate/errors.js';
import type { InteractionRequest } from '../../src/luminate/identifiers.js';
import type { InputProblem } from '../../src/service/requests.js';
import * as failureMessages from '../../src/slack/render/failure-messages.js';
import * as helpMessages from '../../src/slack/render/help-messages.js';
import * as logMessages from '../../src/slack/render/log-messages.js';
import * as refusalMessages from '../../src/slack/render/refusal-messages.js';
import * as shareMessages from '../../src/slack/render/share-messages.js';
import type { SlackMessage } from '../../src/slack/render/message.js';

const messages = { ...failureMessages, ...helpMessages, ...logMessages, ...refusalMessages, ...shareMessages };

const lookups: InteractionRequest[] = [
  { interactionId: 1000, identifier: { kind: 'email', email: 'jane@example.org' } },
  { interactionId: 1, identifier: { kind: 'member', memberId: '<!channel>&<b>' } },
];
const codes = ['1', '2', '3', '4', '5', '6', '8', '9', '10', '14', '15', '16', '17', '22', '23', '26', '27', '32', '35', '99'];
const errorClasses = errors as unknown as Record<string, new (...args: never[]) => unknown>;
const construct = (name: string, ...args: unknown[]): unknown => new (errorClasses[name] as unknown as new (...a: unknown[]) => unknown)(...args);
const problems = ['html', 'not_json', 'empty_body', 'wrong_shape', 'http_status', 'blocked', 'redirect', 'mismatch', 'too_large'];

/** Every failure the bot can describe, with a hostile message from Luminate where it has one. */
function everyFailure(): unknown[] {
  return [
    ...codes.map((c) => new LuminateApiError(c, '<!channel> <https://evil.example|click> & more')),
    new LuminateTimeoutError(10_000),
    new LuminateUnavailableError('HTTP 503', 503),
    new LuminateCircuitOpenError(),
    ...problems.map((p) => construct('LuminateBadResponseError', 'x', 403, { problem: p, locationHost: 'secure3.convio.net' })),
    construct('LuminateNotVisibleError'),
    new Error('<b>unexpected</b>'),
  ];
}

/** Every input problem, each quoting `typed` where it quotes anything. */
function everyInputProblem(typed: string): InputProblem[] {
  return [
    ...(['bad_interaction_id', 'bad_cons_id', 'bad_type_id'] as const).flatMap((kind) => (['not_digits', 'too_large'] as const).map((trouble) => ({ kind, input: typed, trouble }))),
    ...(['bad_member_id', 'bad_email', 'not_a_donor', 'not_a_filter'] as const).map((kind) => ({ kind, input: typed })),
    { kind: 'repeated_filter', field: 'type' },
    { kind: 'bad_date', field: 'since', input: typed },
    { kind: 'empty_range', since: '2025-02-01', until: '2025-01-01' },
    { kind: 'missing_type' },
    { kind: 'unknown_type', input: typed, known: [typed, 'Phone call'] },
    { kind: 'unknown_type', input: typed, known: [] },
    { kind: 'too_long', length: 40_000 },
    { kind: 'missing_donor' },
    { kind: 'too_many_words' },
  ];
}

function everyMessage(): [string, SlackMessage][] {
  const out: [string, SlackMessage][] = [];
  for (const lookup of lookups) {
    for (const error of everyFailure()) {
      const d = messages.describeLookupFailure(error, lookup);
      out.push([`describeLookupFailure ${String(error)}`, { text: `${d.headline} ${d.action}`, blocks: [] }]);
      out.push([`lookupFailureMessage ${String(error)}`, messages.lookupFailureMessage(error, lookup)]);
      out.push([`listFailureMessage ${String(error)}`, messages.listFailureMessage(error, lookup.identifier)]);
    }
    out.push(['lookingUpMessage', messages.lookingUpMessage(lookup)]);
    out.push(['lookingUpListMessage', messages.lookingUpListMessage(lookup.identifier)]);
  }
  out.push(['usageMessage', messages.usageMessage()]);
  for (const problem of everyInputProblem('<!here> is not an id & <that>')) out.push([`invalidInputMessage ${problem.kind}`, messages.invalidInputMessage(problem)]);
  for (const reason of ['user', 'channel', 'no_channel', 'check_failed'] as const) {
    for (const contact of [undefined, 'U0ADMIN', 'S0GROUP', 'C0HELP', '<Helpdesk> & co']) {
      for (const channels of [[], ['C0ONE', 'C0TWO']]) out.push([`accessDeniedMessage ${reason} ${contact}`, messages.accessDeniedMessage(reason, { contact, channels })]);
    }
  }
  out.push(['rateLimitedMessage', messages.rateLimitedMessage(30, 12_345)]);
  out.push(['refusalMessage denied', messages.refusalMessage({ kind: 'denied', reason: 'channel' }, { contact: '<Helpdesk> & co', channels: ['C0ONE'] })]);
  out.push(['refusalMessage rate_limited', messages.refusalMessage({ kind: 'rate_limited', perMinute: 30, retryAfterMs: 1500 }, { channels: [] })]);
  for (const reason of ['no_channel', 'not_member', 'rejected', 'channel_external', 'channel_pending_external', 'channel_unconfirmed', 'channel_not_visible', 'channel_check_missing_scope', 'channel_check_failed'] as const) out.push([`shareFailedMessage ${reason}`, messages.shareFailedMessage(reason)]);
  out.push(['sharedMessage', messages.sharedMessage('C0SHARE')]);
  out.push(['formNotOpenedMessage', messages.formNotOpenedMessage()]);
  for (const lookup of lookups) {
    for (const failure of [{ kind: 'error', error: new LuminateApiError('1', '<!channel> <https://evil.example|click>') }, { kind: 'rate_limited', perMinute: 30, retryAfterMs: 1500 }] as const) {
      const note = messages.refreshFailedNote(failure, lookup, 120_000);
      out.push([`refreshFailedNote ${failure.kind}`, { text: note, blocks: [] }]);
    }
  }
  out.push(['otherWorkspaceMessage', messages.otherWorkspaceMessage()]);
  for (const contact of [undefined, 'U0ADMIN', '<Helpdesk> & co']) {
    out.push([`contactText ${contact}`, { text: messages.contactText(contact), blocks: [] }]);
    out.push([`loggingDisabledMessage ${contact}`, messages.loggingDisabledMessage(contact)]);
    out.push([`notALoggerMessage ${contact}`, messages.notALoggerMessage(contact)]);
  }
  for (const { identifier } of lookups) {
    for (const error of everyFailure()) {
      const d = messages.describeLogFailure(error, identifier);
      out.push([`describeLogFailure ${String(error)}`, { text: `${d.headline} ${d.action}`, blocks: [] }]);
      out.push([`logFailureMessage ${String(error)}`, messages.logFailureMessage(error, identifier)]);
    }
    for (const name of [null, 'Jane <!here> & Doe']) {
      out.push(['loggedHeadline', { text: messages.loggedHeadline(identifier, name), blocks: [] }]);
      out.push(['withHeadline', messages.withHeadline(messages.loggedHeadline(identifier, name), messages.loggingMessage())]);
      out.push(['loggedNotFoundMessage', messages.loggedNotFoundMessage(identifier, name, 'https://secure2.convio.net/org/admin/ConsProfileUser?consId=1')]);
      out.push(['loggedNotFoundMessage', messages.loggedNotFoundMessage(identifier, name, null)]);
    }
    out.push(['uncertainLogMessage', messages.uncertainLogMessage(identifier, '{"list":1}')]);
  }
  out.push(['duplicateLogMessage', messages.duplicateLogMessage()]);
  out.push(['loggingMessage', messages.loggingMessage()]);
  return out;
}

/** Slack's own syntax: mentions, channels, groups, dates, links. Any other `<` is a mistake. */
const SLACK_SYNTAX = /<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|!subteam\^S[A-Z0-9]+|!date\^[^>]{1,200}|https:\/\/[^|>\s]{1,2000}\|[^>]{1,500})>/g;

describe('every message the bot can produce', () => {
  it('covers every exported function of the slack/render/*-messages.ts modules', () => {
    const covered = new Set(everyMessage().map(([name]) => name.split(' ')[0]));
    const exported = Object.entries(messages)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k);
    expect(exported.filter((name) => !covered.has(name))).toEqual([]);
  });

  it('has no < that is not Slack syntax, in text or blocks', () => {
    const bad = everyMessage()
      .map(([name, m]) => [name, JSON.stringify(m).replace(SLACK_SYNTAX, '')] as const)
      .filter(([, text]) => text.includes('<'))
      .map(([name, text]) => `${name}: ${text.slice(Math.max(0, text.indexOf('<') - 40), text.indexOf('<') + 40)}`);
    expect(bad).toEqual([]);
  });

  it("never shows Luminate's own message", () => {
    for (const [name, m] of everyMessage()) expect(JSON.stringify(m), name).not.toMatch(/evil\.example|click/);
  });
});

describe('the words for a failed log', () => {
  const jane = { kind: 'email', email: 'jane@example.org' } as const;
  it('names the field the person can fix, and always says nothing was logged', () => {
    expect(messages.describeLogFailure(new LuminateApiError('16', ''), jane)).toMatchObject({ field: 'donor' });
    expect(messages.describeLogFailure(new LuminateApiError('8', ''), jane)).toMatchObject({ field: 'donor' });
    expect(messages.describeLogFailure(Object.assign(new LuminateApiError('1', ''), { reason: 'bad_type' }), jane)).toMatchObject({ field: 'type' });
    const permission = messages.describeLogFailure(new LuminateApiError('14', ''), jane);
    expect(permission.field).toBeNull();
    expect(permission.action).toContain('logInteraction');
    for (const error of everyFailure()) expect(messages.describeLogFailure(error, jane).headline).toContain('Nothing was logged.');
  });

  it('never asks for an interaction id, which a log does not have', () => {
    for (const error of everyFailure()) {
      const { headline, action, inline } = messages.describeLogFailure(error, jane);
      expect(`${headline} ${action} ${inline}`).not.toMatch(/interaction id/i);
    }
  });

  it('refuses to word an uncertain write as a failure', () => {
    expect(() => messages.describeLogFailure(new errors.LuminateWriteUncertainError('timeout'), jane)).toThrow(TypeError);
  });
});

describe('the words for each failure', () => {
  const [jane] = lookups as [InteractionRequest];
  const words = (error: unknown) => {
    const d = messages.describeLookupFailure(error, jane);
    return `${d.headline} ${d.action}`;
  };

  it('code 16 (no such donor) reads differently from 27/32 (no such interaction for the donor)', () => {
    expect(words(new LuminateApiError('16', ''))).toMatch(/no constituent|no donor/i);
    expect(words(new LuminateApiError('16', ''))).not.toMatch(/no interaction \*1000\*/);
    expect(words(new LuminateApiError('27', ''))).toMatch(/no interaction \*1000\* for/);
    expect(words(new LuminateApiError('32', ''))).toBe(words(new LuminateApiError('27', '')));
  });

  it.each(['22', '23', '35'])('code %s tells the asker it is their input, not to try again in a minute', (code) => {
    const text = words(new LuminateApiError(code, ''));
    expect(text).toMatch(/what you typed|your input/i);
    expect(text).not.toMatch(/try again in a minute/i);
  });

  it('a blocked answer (403 page, errorResponse without a code) points at the allow-list and firewalls', () => {
    const text = words(new LuminateBadResponseError('x', 403, { problem: 'blocked' }));
    expect(text).toMatch(/allow-list/);
    expect(text).toMatch(/firewall/);
    expect(text).not.toMatch(/maintenance/);
  });

  it('a redirect names where Luminate pointed', () => {
    expect(words(new LuminateBadResponseError('x', 302, { problem: 'redirect', locationHost: 'secure3.convio.net' }))).toMatch(/secure3\.convio\.net.*LUMINATE_URL/);
  });

  it('an empty answer is "not found, or not visible to the service account"', () => {
    expect(words(construct('LuminateNotVisibleError'))).toMatch(/not visible to the bot's service account/);
  });

  it("a mismatched answer couldn't be confirmed", () => {
    expect(words(new LuminateBadResponseError('x', 200, { problem: 'mismatch' }))).toMatch(/couldn.t be confirmed|could not be confirmed/i);
  });
});
