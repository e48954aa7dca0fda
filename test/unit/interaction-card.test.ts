import { describe, expect, it } from 'vitest';
import type { Interaction } from '../../src/luminate/schema.js';
import { renderInteractionCard, type CardContext } from '../../src/slack/render/interaction-card.js';
import { LIMITS } from '../../src/slack/render/mrkdwn.js';
import { documentedInteraction } from '../support/fixtures.js';

const documented = documentedInteraction();
const NOW = Date.parse('2026-11-29T12:00:00Z');
const context: CardContext = { fetchedAt: NOW, cached: false, now: NOW, typeNames: new Map([['0', 'Other'], ['1', 'Phone call']]) };

/** Every mrkdwn string in a message, with where it sits and its limit. */
function mrkdwnTexts(blocks: ReturnType<typeof renderInteractionCard>['blocks']): { text: string; limit: number }[] {
  const out: { text: string; limit: number }[] = [];
  for (const block of blocks) {
    if (block.type === 'section') {
      if (block.text) out.push({ text: block.text.text, limit: LIMITS.sectionText });
      for (const f of block.fields ?? []) out.push({ text: f.text, limit: LIMITS.fieldText });
    }
    if (block.type === 'context') for (const e of block.elements) if ('text' in e) out.push({ text: e.text, limit: LIMITS.contextText });
  }
  return out;
}

/** `<` only in the bot's own date tokens, `>` only as its quote markers, `&` only in entities. */
function assertSafe(text: string): void {
  const withoutDates = text.replace(/<!date\^\d+\^\{date_short_pretty\} at \{time\}\|[^<>&]*>/g, '').replace(/^>/gm, '');
  expect(withoutDates).not.toMatch(/[<>]/);
  expect(withoutDates.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
}

describe('renderInteractionCard', () => {
  it('shows the documented example: subject, ids, type name, dates, creator, note', () => {
    const { text, blocks } = renderInteractionCard(documented, context);
    expect(text).toBe('Interaction 1000: Sample Subject');
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Sample Subject' } });
    const all = mrkdwnTexts(blocks).map((t) => t.text).join('\n');
    expect(all).toContain('*Interaction*\n1000');
    expect(all).toContain('*Type*\nPhone call (1)');
    expect(all).toContain('*Constituent*\n1001001');
    expect(all).toContain('*Created by*\n1001001');
    expect(all).toContain('*Created*\n<!date^1454341415^{date_short_pretty} at {time}|2016-02-01 15:43 UTC>');
    expect(all).toContain('>Lorem ipsum dolor sit amet, consetetur sadipscing');
    expect(all).toContain('Comment · last modified <!date^1454341415');
    expect(all).toContain('From Luminate Online · fetched just now');
  });

  it('says when the answer came from the cache, and how old it is', () => {
    const { blocks } = renderInteractionCard(documented, { ...context, cached: true, fetchedAt: NOW - 180_000 });
    expect(mrkdwnTexts(blocks).at(-1)!.text).toBe('From Luminate Online · cached, fetched 3 minutes ago.');
  });

  it('renders an interaction without a note, subject or type name', () => {
    const bare: Interaction = { ...documented, note: null, subject: null, typeId: '42', createdBy: null };
    const { text, blocks } = renderInteractionCard(bare, context);
    expect(text).toBe('Interaction 1000: Interaction 1000');
    const all = mrkdwnTexts(blocks).map((t) => t.text).join('\n');
    expect(all).toContain('_No note on this interaction._');
    expect(all).toContain('*Type*\nType 42');
    expect(all).toContain('*Created by*\n—');
  });

  it('escapes Slack control syntax and & in subject and note, so nothing pings or hides a link', () => {
    const hostile: Interaction = {
      ...documented,
      subject: 'Hi <!channel> & <!here|here> <@U123> <!subteam^S1>',
      note: { ...documented.note!, text: 'see <https://evil.example|your receipt> & <!everyone>\n> quoted?', type: '<b>' },
    };
    const { text, blocks } = renderInteractionCard(hostile, context);
    assertSafe(text);
    for (const { text: t } of mrkdwnTexts(blocks)) assertSafe(t);
    const note = mrkdwnTexts(blocks).find((t) => t.text.startsWith('*Note*'))!.text;
    expect(note).toBe('*Note*\n>see &lt;https://evil.example|your receipt&gt; &amp; &lt;!everyone&gt;\n>&gt; quoted?');
    // The header is plain_text, which Slack never parses: shown as written.
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: hostile.subject } });
  });

  it('keeps non-ASCII text intact', () => {
    const intl: Interaction = { ...documented, subject: 'Zoë’s 5 € gift 🎉 日本語', note: { ...documented.note!, text: 'Grüße — ❤️' } };
    const { blocks } = renderInteractionCard(intl, context);
    expect(blocks[0]).toMatchObject({ text: { text: 'Zoë’s 5 € gift 🎉 日本語' } });
    expect(mrkdwnTexts(blocks).map((t) => t.text).join()).toContain('>Grüße — ❤️');
  });

  it('keeps long subjects and notes within Block Kit limits, visibly shortened', () => {
    const long: Interaction = {
      ...documented,
      subject: 'S'.repeat(500),
      consId: '9'.repeat(5000),
      note: { ...documented.note!, text: '<&>\n'.repeat(5000) },
    };
    const { text, blocks } = renderInteractionCard(long, context);
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    expect(text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    const header = blocks[0] as { text: { text: string } };
    expect(header.text.text).toHaveLength(LIMITS.headerText);
    expect(header.text.text.endsWith('…')).toBe(true);
    for (const { text: t, limit } of mrkdwnTexts(blocks)) {
      expect(t.length).toBeLessThanOrEqual(limit);
      assertSafe(t);
    }
    const note = mrkdwnTexts(blocks).find((t) => t.text.startsWith('*Note*'))!.text;
    expect(note).toContain('…');
    expect(note).toContain('the full note is in Luminate Online');
  });
});

describe('card buttons', () => {
  const buttons = { value: '{"i":1000}', refresh: true, share: true, openUrl: 'https://x.org/org/admin/ConsProfileUser?consId=1001001' };

  it('carries Refresh, Share (behind a confirmation) and Open in Luminate', () => {
    const { blocks } = renderInteractionCard(documented, context, { buttons });
    const actions = blocks.at(-1) as { type: string; elements: Record<string, unknown>[] };
    expect(actions.type).toBe('actions');
    expect(actions.elements.map((e) => e.action_id)).toEqual(['interaction_refresh', 'interaction_share', 'interaction_open']);
    expect(actions.elements[1]).toMatchObject({ value: '{"i":1000}', confirm: { confirm: { text: 'Share' }, deny: { text: 'Cancel' } } });
    expect(actions.elements[2]).toMatchObject({ url: buttons.openUrl });
  });

  it('leaves out what does not apply, and the block when nothing does', () => {
    const onlyOpen = renderInteractionCard(documented, context, { buttons: { ...buttons, refresh: false, share: false } });
    expect((onlyOpen.blocks.at(-1) as { elements: unknown[] }).elements).toHaveLength(1);
    const none = renderInteractionCard(documented, context, { buttons: { ...buttons, refresh: false, share: false, openUrl: null } });
    expect(none.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('adds a footer to the freshness line', () => {
    const { blocks } = renderInteractionCard(documented, context, { footer: 'Shared by <@U1>.' });
    expect(JSON.stringify(blocks.at(-1))).toContain('fetched just now. Shared by <@U1>.');
  });
});
