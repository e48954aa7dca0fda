import { describe, expect, it } from 'vitest';
import { renderInteractionList } from '../../src/slack/render/interaction-list.js';
import { LIST_ACTIONS } from '../../src/slack/render/action-ids.js';
import { checkBlockKit } from '../support/block-kit.js';

const typeNames = new Map([['1', 'Phone call <b>&']]);
const row = (i: number, subject: string | null) => ({
  interactionId: String(2000 + i),
  consId: '1001010',
  typeId: i % 2 ? '1' : '99',
  categoryId: '0',
  subject,
  creationDate: '2025-01-02T03:04:05Z',
  createdBy: '1',
});

describe('renderInteractionList', () => {
  it('drops a button whose signed value would not fit rather than cut it (a cut value fails its check)', () => {
    const long = 'v'.repeat(2001);
    const message = renderInteractionList(
      { identifier: { kind: 'cons', consId: '1' }, filters: {}, page: 1, rows: [row(1, 'a'), row(2, 'b')], hasOlder: true, fetchedAt: 0, cached: true, now: 0, typeNames },
      { page: (n) => (n === 0 ? long : `page ${n}`), row: (r) => (r.interactionId === '2001' ? long : `row ${r.interactionId}`) },
    );
    checkBlockKit(message);
    const json = JSON.stringify(message);
    expect(json).not.toContain('vvvv');
    expect(json).toContain('row 2002');
    const actions = message.blocks.at(-1) as { elements: { action_id: string }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual([LIST_ACTIONS.older, LIST_ACTIONS.refresh]);
  });

  it('keeps every Block Kit limit and escapes donor text, whatever the data', () => {
    const hostile = `<!here> @channel & <https://evil.example|x> ${'長'.repeat(5000)}`;
    const rows = Array.from({ length: 10 }, (_, i) => row(i, i === 3 ? null : hostile));
    const identifier = { kind: 'member', memberId: `<!channel>${'x'.repeat(250)}` } as const;
    const message = renderInteractionList(
      { identifier, filters: { since: '2025-01-01', typeId: 1 }, page: 4, rows, hasOlder: true, fetchedAt: 0, cached: true, now: 120_000, typeNames },
      { page: (n) => `page ${n}`, row: (r) => `row ${r.interactionId}` },
    );
    checkBlockKit(message);
    const json = JSON.stringify(message);
    expect(json).not.toMatch(/<!here>|<!channel>|<https:\/\/evil|<b>/);
    expect(json).toContain('&lt;!here&gt;');
    expect(json).toContain('_(no subject)_');
    expect(json).toContain('Type 99');
    const actions = message.blocks.at(-1) as { elements: { action_id: string; value: string }[] };
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([
      [LIST_ACTIONS.newer, 'page 3'],
      [LIST_ACTIONS.older, 'page 5'],
      [LIST_ACTIONS.refresh, 'page 4'],
    ]);
    expect(json).toContain('Showing 41–50');
  });

  it('cuts a very long donor name on its own, so the identifier still follows it', () => {
    const donor = { consId: '1001010', firstName: '&'.repeat(3000), lastName: 'x', email: null };
    const message = renderInteractionList(
      { identifier: { kind: 'email', email: 'long@example.org' }, filters: {}, page: 0, rows: [row(1, 'Hi')], hasOlder: false, fetchedAt: 0, cached: false, now: 0, typeNames, donor },
      { page: (n) => `page ${n}`, row: (r) => `row ${r.interactionId}` },
    );
    checkBlockKit(message);
    expect((message.blocks[0] as { text: { text: string } }).text.text).toMatch(/^\*Interactions of (?:&amp;)+… \(long@example\.org\)\*, newest first$/);
    expect(message.text).toMatch(/^Interactions of (?:&amp;)+… \(long@example\.org\)$/);
  });
});
