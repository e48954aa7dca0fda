import { describe, expect, it } from 'vitest';
import { constituentAdminUrl } from '../../src/luminate/admin-url.js';
import { decodeCardReference, encodeCardReference, type CardReference } from '../../src/slack/card-reference.js';

describe('card references in button values', () => {
  it.each<CardReference>([
    { request: { interactionId: 1000, identifier: { kind: 'email', email: 'jane@example.org' } }, channelId: 'C0DONORS', threadTs: '1700000000.000100' },
    { request: { interactionId: 0, identifier: { kind: 'cons', consId: '1001001' } }, channelId: null, threadTs: null },
    { request: { interactionId: 7, identifier: { kind: 'member', memberId: 'JD-1001' } }, channelId: 'C1', threadTs: null },
  ])('round-trips %#', (reference) => {
    const value = encodeCardReference(reference);
    expect(value.length).toBeLessThanOrEqual(2000);
    expect(decodeCardReference(value)).toEqual(reference);
  });

  it('refuses values that are not ours', () => {
    for (const value of [undefined, '', 'x', '{}', '{"i":"1e3","k":"email","v":"a@b.org"}', '{"i":1,"k":"cons","v":"abc"}', '{"i":1,"k":"email","v":"cons:1"}']) {
      expect(decodeCardReference(value)).toBeNull();
    }
    expect(decodeCardReference('{"i":1,"k":"cons","v":"1","c":"<!channel>","t":"evil"}')).toMatchObject({ channelId: null, threadTs: null });
  });
});

describe('constituentAdminUrl', () => {
  it('fills {consId} and refuses ids that are not plain digits', () => {
    expect(constituentAdminUrl('https://x.org/org/admin/ConsProfileUser?consId={consId}', '1001001')).toBe('https://x.org/org/admin/ConsProfileUser?consId=1001001');
    expect(constituentAdminUrl('https://x.org/{consId}', '1&x=<y>')).toBeNull();
    expect(constituentAdminUrl('https://x.org/{consId}', null)).toBeNull();
  });
});
