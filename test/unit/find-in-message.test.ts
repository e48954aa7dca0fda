import { describe, expect, it } from 'vitest';
import { findInMessage } from '../../src/service/find-in-message.js';

const lookupIn = (text: string) => findInMessage(text).request;

describe('findInMessage', () => {
  it.each([
    ['Can someone check interaction 1000 for jane@example.org?', 1000],
    ['interaction #1000 — jane@example.org', 1000],
    ['Interaction ID: 1000, donor jane@example.org', 1000],
    ['re id 1000 (jane@example.org)', 1000],
    ['jane@example.org called about #1000', 1000],
  ])('finds the id in %j', (text, id) => {
    expect(lookupIn(text)).toEqual({ interactionId: id, identifier: { kind: 'email', email: 'jane@example.org' } });
  });

  it("reads Slack's mailto form and keeps the email as typed", () => {
    expect(lookupIn('interaction 1000 from <mailto:Jane@Example.org|Jane@Example.org>')?.identifier).toEqual({ kind: 'email', email: 'Jane@Example.org' });
  });

  it('takes one email written in two cases as one donor', () => {
    expect(lookupIn('interaction 1000 from Jane@Example.org (jane@example.org)')?.identifier).toEqual({ kind: 'email', email: 'Jane@Example.org' });
  });

  it('finds cons: and member: identifiers, and prefers them to an email', () => {
    expect(lookupIn('interaction 1000 cons:1001001')?.identifier).toEqual({ kind: 'cons', consId: '1001001' });
    expect(lookupIn('interaction 1000 member:JD-1001.')?.identifier).toEqual({ kind: 'member', memberId: 'JD-1001' });
    expect(lookupIn('interaction 1000 for jane@example.org, cons id 1001001')?.identifier).toEqual({ kind: 'cons', consId: '1001001' });
  });

  it('prefers the number next to "interaction" over other ids', () => {
    expect(lookupIn('ticket id 77, interaction 1000, jane@example.org')?.interactionId).toBe(1000);
    expect(lookupIn('#55 and #56 but interaction 1000 for jane@example.org')?.interactionId).toBe(1000);
  });

  it('does not read a constituent id or an amount as the interaction id', () => {
    const findings = findInMessage('Cons ID 1001001 gave $50 today');
    expect(findings.interactionIds).toEqual([]);
    expect(findings.identifiers).toEqual([{ kind: 'cons', consId: '1001001' }]);
    expect(findings.request).toBeNull();
  });

  it('is ambiguous with several interaction ids or several donors, and lists them', () => {
    const ids = findInMessage('interaction 1000 or interaction 1001? jane@example.org');
    expect(ids.request).toBeNull();
    expect(ids.interactionIds).toEqual([1000, 1001]);
    const donors = findInMessage('interaction 1000: jane@example.org or bob@example.org');
    expect(donors.request).toBeNull();
    expect(donors.identifiers).toHaveLength(2);
  });

  it('counts a repeated value once', () => {
    expect(lookupIn('interaction 1000 (interaction #1000) jane@example.org, JANE@example.org')?.interactionId).toBe(1000);
  });

  it('finds nothing in an ordinary message', () => {
    expect(findInMessage('Thanks all, see you Monday!')).toEqual({ request: null, donor: null, interactionIds: [], identifiers: [] });
  });

  it('names the donor on its own when the id is missing, by the same precedence', () => {
    const findings = findInMessage('Can someone check cons:1001001 (jane@example.org)?');
    expect(findings.request).toBeNull();
    expect(findings.donor).toEqual({ kind: 'cons', consId: '1001001' });
  });
});
