import { describe, expect, it } from 'vitest';
import { ModalOrigins } from '../../src/slack/modal-origin.js';

const origins = new ModalOrigins({ botToken: 'xoxb-one', requestSecret: 'signing-one' });

describe('ModalOrigins', () => {
  it('reads back what it sealed', () => {
    const sealed = origins.seal({ channelId: 'C0DONORS', threadTs: '1764300000.000100' });
    expect(origins.open(sealed.metadata)).toMatchObject({ channelId: 'C0DONORS', threadTs: '1764300000.000100' });
    expect(sealed.metadata.length).toBeLessThanOrEqual(3000);
  });

  it.each([
    ['unsealed', '{"c":"C0DONORS","t":null}'],
    ['not JSON', 'C0DONORS'],
    ['empty', ''],
    ['a changed thread', JSON.stringify({ ...(JSON.parse(origins.seal({ channelId: 'C0DONORS', threadTs: '1.1' }).metadata) as object), t: '2.2' })],
  ])('reads %s metadata as no channel', (_, metadata) => {
    expect(origins.open(metadata)).toMatchObject({ channelId: null, threadTs: null });
  });

  it('needs both secrets: a seal made with the same signing secret but another bot token does not verify', () => {
    for (const other of [new ModalOrigins({ botToken: 'xoxb-two', requestSecret: 'signing-one' }), new ModalOrigins({ botToken: 'xoxb-one', requestSecret: 'signing-two' })]) {
      expect(origins.open(other.seal({ channelId: 'C0DONORS', threadTs: null }).metadata).channelId).toBeNull();
    }
  });
});
