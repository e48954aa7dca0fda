import { describe, expect, it } from 'vitest';
import { decodeCardReference, decodeListReference, encodeCardReference, encodeListReference } from '../../src/slack/card-reference.js';
import { listKey } from '../../src/service/list-cache.js';
import { MAX_COMMAND_TEXT, parseCommandText } from '../../src/service/requests.js';
import { describeInputProblem } from '../../src/slack/render/input-problems.js';

const typeNames = new Map([
  ['0', 'Other'],
  ['1', 'Phone call'],
  ['3', 'Email'],
]);
const list = (text: string) => {
  const parsed = parseCommandText(text, { typeNames });
  if (parsed.kind !== 'list') throw new Error(`expected a list for ${JSON.stringify(text)}, got ${JSON.stringify(parsed)}`);
  return parsed.list;
};
const problem = (text: string) => {
  const parsed = parseCommandText(text, { typeNames });
  if (parsed.kind !== 'invalid') throw new Error(`expected a problem for ${JSON.stringify(text)}, got ${JSON.stringify(parsed)}`);
  return describeInputProblem(parsed.problem);
};

describe('parseCommandText: a donor alone asks for their list', () => {
  it('reads each identifier kind, page 0, no filters', () => {
    expect(list('jane@example.org')).toEqual({ identifier: { kind: 'email', email: 'jane@example.org' }, filters: {}, page: 0 });
    expect(list('<mailto:jane@example.org|jane@example.org>').identifier).toEqual({ kind: 'email', email: 'jane@example.org' });
    expect(list('cons:1001001').identifier).toEqual({ kind: 'cons', consId: '1001001' });
    expect(list('cons: 1001001 since:2025-01-01')).toMatchObject({ identifier: { kind: 'cons', consId: '1001001' }, filters: { since: '2025-01-01' } });
    expect(list('member:JD-1001').identifier).toEqual({ kind: 'member', memberId: 'JD-1001' });
  });

  it('reads filters in any order, a type by id or by a name with spaces, case-insensitively', () => {
    expect(list('jane@example.org since:2025-01-01 type:Phone call until:2025-06-30').filters).toEqual({ since: '2025-01-01', until: '2025-06-30', typeId: 1 });
    expect(list('jane@example.org type:phone   CALL').filters).toEqual({ typeId: 1 });
    expect(list('jane@example.org type:7').filters).toEqual({ typeId: 7 });
    expect(list('jane@example.org Until:2024-02-29').filters).toEqual({ until: '2024-02-29' });
  });

  it.each([
    ['jane@example.org since:2025-02-29', /"2025-02-29" is not a date for since/],
    ['jane@example.org since:25-01-01', /not a date for since: use YYYY-MM-DD/],
    ['jane@example.org until:2025-1-1', /not a date for until/],
    ['jane@example.org since:2025-02-01 until:2025-01-01', /is after/],
    ['jane@example.org type:Lunch meeting', /"Lunch meeting" is not an interaction type: use its id or one of "Other", "Phone call", "Email"/],
    ['jane@example.org type:', /needs an interaction type/],
    ['jane@example.org type:1 type:3', /given twice/],
    ['jane@example.org later', /"later" is not a filter/],
    ['jane@example.org bob@example.org', /is not a filter/],
    ['cons:12x', /not a constituent id/],
    ['jane@ since:2025-01-01', /not a valid email/],
  ])('refuses %j with a specific problem', (text, expected) => {
    expect(problem(text)).toMatch(expected);
  });

  it('returns each problem as data, for the Slack side to word', () => {
    const invalid = (text: string) => parseCommandText(text, { typeNames });
    expect(invalid('jane@example.org since:2025-02-30')).toEqual({ kind: 'invalid', problem: { kind: 'bad_date', field: 'since', input: '2025-02-30' } });
    expect(invalid('jane@example.org type:Lunch')).toEqual({ kind: 'invalid', problem: { kind: 'unknown_type', input: 'Lunch', known: ['Other', 'Phone call', 'Email'] } });
    expect(invalid('jane@example.org until:2025-01-01 until:2025-01-02')).toEqual({ kind: 'invalid', problem: { kind: 'repeated_filter', field: 'until' } });
    expect(invalid('cons:99999999999999999')).toEqual({ kind: 'invalid', problem: { kind: 'bad_cons_id', input: '99999999999999999', trouble: 'too_large' } });
    expect(invalid('x1 jane@example.org')).toEqual({ kind: 'invalid', problem: { kind: 'bad_interaction_id', input: 'x1', trouble: 'not_digits' } });
  });

  it('still reads <id> <donor> as a card, and a lone id still asks for the donor', () => {
    expect(parseCommandText('1000 jane@example.org', { typeNames }).kind).toBe('card');
    expect(problem('1000')).toMatch(/both the interaction id and the donor/);
  });

  it('parses long hostile filter text in time in step with its length', () => {
    const started = performance.now();
    for (const text of [`a@b.org type:${' x'.repeat(490)}`, `a@b.org ${'since: '.repeat(140)}`, `a@b.org type:${'\u00a0'.repeat(980)}`]) {
      expect(text.length).toBeLessThanOrEqual(MAX_COMMAND_TEXT);
      parseCommandText(text, { typeNames });
    }
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('list and card references in button values', () => {
  const identifier = { kind: 'email', email: 'Jane@Example.org' } as const;

  it('round-trip a page with its filters and place, and a card with the page it came from', () => {
    const page = { list: { identifier, filters: { since: '2025-01-01', typeId: 1 }, page: 3 }, channelId: 'C0DONORS', threadTs: '1764400000.000100' };
    expect(decodeListReference(encodeListReference(page))).toEqual(page);
    const card = { request: { interactionId: 2001, identifier }, channelId: null, threadTs: null, list: { filters: { until: '2025-06-30' }, page: 2 } };
    expect(decodeCardReference(encodeCardReference(card))).toEqual(card);
  });

  it.each([
    '{"k":"email","v":"a@b.org","l":{"p":-1}}',
    '{"k":"email","v":"a@b.org","l":{"p":0,"s":"2025-01-01T00:00:00"}}',
    '{"k":"email","v":"a@b.org","l":{"p":0,"y":"1; drop"}}',
    '{"k":"email","v":"not an email","l":{"p":0}}',
    '{"k":"email","v":"a@b.org"}',
    'null',
  ])('refuses a forged list value %s', (value) => {
    expect(decodeListReference(value)).toBeNull();
  });

  it('keys a page by the donor (email case folded), the filters and the page', () => {
    const key = (email: string, page: number, since?: string) => listKey({ identifier: { kind: 'email', email }, filters: since ? { since } : {}, page });
    expect(key('Jane@Example.org', 0)).toBe(key('jane@example.org', 0));
    expect(key('jane@example.org', 0)).not.toBe(key('jane@example.org', 1));
    expect(key('jane@example.org', 0)).not.toBe(key('jane@example.org', 0, '2025-01-01'));
  });
});
