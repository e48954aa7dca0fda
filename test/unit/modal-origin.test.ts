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

  it('seals the message a log form was opened on: a changed message reads as no origin', () => {
    const sealed = origins.seal({ channelId: 'C0DONORS', threadTs: '1.1', messageTs: '1764300000.000200' });
    expect(origins.open(sealed.metadata)).toMatchObject({ channelId: 'C0DONORS', threadTs: '1.1', messageTs: '1764300000.000200' });
    const moved = JSON.stringify({ ...(JSON.parse(sealed.metadata) as object), m: '1764300000.000999' });
    expect(origins.open(moved)).toMatchObject({ channelId: null, threadTs: null });
    const dropped = JSON.stringify({ ...(JSON.parse(sealed.metadata) as object), m: undefined });
    expect(origins.open(dropped).channelId).toBeNull();
  });

  it('needs both secrets: a seal made with the same signing secret but another bot token does not verify', () => {
    for (const other of [new ModalOrigins({ botToken: 'xoxb-two', requestSecret: 'signing-one' }), new ModalOrigins({ botToken: 'xoxb-one', requestSecret: 'signing-two' })]) {
      expect(origins.open(other.seal({ channelId: 'C0DONORS', threadTs: null }).metadata).channelId).toBeNull();
    }
  });
});
