import { describe, expect, it } from 'vitest';
import { decodeSlackText, parseCommandText, parseIdentifier, parseInteractionId } from '../../src/service/requests.js';
import { interactionKey } from '../../src/luminate/identifiers.js';
import { describeInputProblem } from '../../src/slack/render/input-problems.js';

const lookup = (text: string) => {
  const parsed = parseCommandText(text);
  if (parsed.kind !== 'card') throw new Error(`expected a card request for ${JSON.stringify(text)}, got ${JSON.stringify(parsed)}`);
  return parsed.request;
};
const problem = (text: string) => {
  const parsed = parseCommandText(text);
  if (parsed.kind !== 'invalid') throw new Error(`expected a problem for ${JSON.stringify(text)}, got ${JSON.stringify(parsed)}`);
  return describeInputProblem(parsed.problem);
};

describe('parseCommandText', () => {
  it('reads each identifier kind', () => {
    expect(lookup('1000 jane@example.org')).toEqual({ interactionId: 1000, identifier: { kind: 'email', email: 'jane@example.org' } });
    expect(lookup('1000 cons:1001001')).toEqual({ interactionId: 1000, identifier: { kind: 'cons', consId: '1001001' } });
    expect(lookup('1000 cons_id:1001001').identifier).toEqual({ kind: 'cons', consId: '1001001' });
    expect(lookup('1000 member:JD-1001')).toEqual({ interactionId: 1000, identifier: { kind: 'member', memberId: 'JD-1001' } });
    expect(lookup('1000 MEMBER_ID:JD-1001').identifier).toEqual({ kind: 'member', memberId: 'JD-1001' });
  });

  it('keeps the email as typed (interactionKey folds case for the cache) and strips leading zeros', () => {
    expect(lookup('001000 Jane@Example.ORG')).toEqual({ interactionId: 1000, identifier: { kind: 'email', email: 'Jane@Example.ORG' } });
    expect(interactionKey(lookup('001000 Jane@Example.ORG'))).toBe(interactionKey(lookup('1000 jane@example.org')));
    expect(interactionKey(lookup('1000 member:JD-1001'))).not.toBe(interactionKey(lookup('1000 member:jd-1001')));
    expect(lookup('1000 cons:0001001001').identifier).toEqual({ kind: 'cons', consId: '1001001' });
    expect(lookup('0 cons:0').interactionId).toBe(0);
  });

  it("accepts Slack's encodings: mailto links and entities", () => {
    expect(lookup('1000 <mailto:jane@example.org|jane@example.org>').identifier).toEqual({ kind: 'email', email: 'jane@example.org' });
    expect(lookup('1000 <mailto:Jane@Example.org>').identifier).toEqual({ kind: 'email', email: 'Jane@Example.org' });
    expect(lookup('1000 o&amp;brien@example.org').identifier).toEqual({ kind: 'email', email: 'o&brien@example.org' });
  });

  it('tolerates extra spaces, tabs, "#" before the id and a space after the prefix', () => {
    expect(lookup('  \t1000 \t  jane@example.org  ')).toEqual(lookup('1000 jane@example.org'));
    expect(lookup('#1000 jane@example.org').interactionId).toBe(1000);
    expect(lookup('1000 cons: 1001001').identifier).toEqual({ kind: 'cons', consId: '1001001' });
  });

  it('answers help for no text or "help"', () => {
    for (const text of ['', '   ', 'help', 'HELP', '?']) expect(parseCommandText(text)).toEqual({ kind: 'help' });
  });

  it('names the problem with bad input', () => {
    expect(problem('1000')).toMatch(/both the interaction id and the donor/);
    expect(problem('abc jane@example.org')).toMatch(/"abc" is not an interaction id/);
    expect(problem('1000 jane')).toMatch(/"jane" is not a donor identifier/);
    expect(problem('1000 jane@')).toMatch(/not a valid email address/);
    expect(problem('1000 cons:abc')).toMatch(/"abc" is not a constituent id/);
    expect(problem('1000 member:')).toMatch(/is not a member id/);
    expect(problem('1000 jane@example.org extra')).toMatch(/Too many words/);
  });

  it('refuses numbers that are not plain safe integers', () => {
    for (const id of ['1e3', '0x10', '-1', '1.5', '１０００', '9007199254740993', '99999999999999999999']) {
      expect(parseCommandText(`${id} jane@example.org`).kind, id).toBe('invalid');
    }
    expect(problem('9007199254740993 jane@example.org')).toMatch(/too large/);
  });

  it('keeps echoed input short and free of control characters', () => {
    const long = `${'x'.repeat(5000)}@example.org`;
    const text = problem(`1000 ${long}`);
    expect(text.length).toBeLessThan(200);
    // eslint-disable-next-line no-control-regex -- the test is that this control character is gone
    expect(problem('1000 a\u0007b')).not.toMatch(/\u0007/);
  });
});

describe('parts', () => {
  it('parseInteractionId', () => {
    expect(parseInteractionId('42')).toEqual({ ok: true, value: 42 });
    expect(parseInteractionId(' #42 ')).toEqual({ ok: true, value: 42 });
    expect(parseInteractionId('').ok).toBe(false);
  });

  it('parseIdentifier accepts international addresses and refuses spaces in member ids', () => {
    expect(parseIdentifier('zoë@exämple.de')).toEqual({ ok: true, value: { kind: 'email', email: 'zoë@exämple.de' } });
    expect(parseIdentifier('member:a b').ok).toBe(false);
  });

  it('decodeSlackText unwraps mailto and links and decodes entities', () => {
    expect(decodeSlackText('<mailto:a@b.org|a@b.org> &lt;x&gt; &amp;amp; <https://x.org|x>')).toBe('a@b.org <x> &amp; https://x.org');
  });
});
