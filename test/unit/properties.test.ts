import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Interaction } from '../../src/luminate/schema.js';
import { findInMessage } from '../../src/service/find-in-message.js';
import { parseCommandText } from '../../src/service/requests.js';
import { renderInteractionCard } from '../../src/slack/render/interaction-card.js';
import { invalidInputMessage } from '../../src/slack/render/help-messages.js';
import { describeInputProblem } from '../../src/slack/render/input-problems.js';
import { LIMITS } from '../../src/slack/render/mrkdwn.js';
import { CHECKED_LIMITS } from '../support/block-kit.js';

/** Strings people paste: anything, plus the shapes that break naive parsers. */
const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(
    '9007199254740993 jane@example.org',
    '１０００ jane@example.org',
    '1e3 jane@example.org',
    '0x10 jane@example.org',
    "1000 jane@example.org'; DROP TABLE constituents;--",
    '1000 <script>alert(1)</script>@x.org',
    `1000 ${'a'.repeat(5000)}@example.org`,
    '1000 \u0000\u0007\u001b[31m@x.org',
    '1000 <!channel>',
    '&lt;!here&gt; 1000',
    '1000 cons:',
    'member:JD 1000',
  ),
);

/** Every mrkdwn text in a message with its limit; `<` only in the bot's own date tokens, `>` only as quote markers. */
function checkMessage(message: { text: string; blocks: unknown[] }): void {
  expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  expect(message.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
  const texts: [string, number][] = [[message.text, LIMITS.fallbackText]];
  for (const block of message.blocks as { type: string; text?: { type: string; text: string }; fields?: { text: string }[]; elements?: { text?: string }[] }[]) {
    if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    if (block.type === 'section') {
      if (block.text) texts.push([block.text.text, LIMITS.sectionText]);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(CHECKED_LIMITS.sectionFields);
      for (const f of block.fields ?? []) texts.push([f.text, LIMITS.fieldText]);
    }
    if (block.type === 'context') for (const e of block.elements ?? []) if (e.text) texts.push([e.text, LIMITS.contextText]);
  }
  for (const [text, limit] of texts) {
    expect(text.length).toBeLessThanOrEqual(limit);
    const stripped = text.replace(/<!date\^\d+\^\{date_short_pretty\} at \{time\}\|[^<>&]*>/g, '').replace(/^>/gm, '');
    expect(stripped).not.toMatch(/[<>]/);
    expect(stripped.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
  }
}

describe('properties', () => {
  it('any command text parses to help, a valid lookup or a shown problem, and never throws', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const parsed = parseCommandText(text);
        if (parsed.kind === 'card') {
          expect(Number.isSafeInteger(parsed.request.interactionId)).toBe(true);
          expect(parsed.request.interactionId).toBeGreaterThanOrEqual(0);
          if (parsed.request.identifier.kind === 'email') expect(parsed.request.identifier.email.length).toBeLessThanOrEqual(254);
          if (parsed.request.identifier.kind === 'cons') expect(parsed.request.identifier.consId).toMatch(/^\d+$/);
        }
        if (parsed.kind === 'invalid') {
          expect(describeInputProblem(parsed.problem).length).toBeLessThan(300);
          checkMessage(invalidInputMessage(parsed.problem));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('the hostile examples are refused', () => {
    for (const text of ['9007199254740993 jane@example.org', '１０００ jane@example.org', '1e3 jane@example.org', '0x10 jane@example.org', `1000 ${'a'.repeat(5000)}@example.org`, '1000 <script>alert(1)</script>@x.org', '1000 \u0000@x.org']) {
      expect(parseCommandText(text).kind, text).toBe('invalid');
    }
  });

  it('any message text yields findings without throwing', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const findings = findInMessage(text);
        if (findings.request) expect(Number.isSafeInteger(findings.request.interactionId)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('long text (up to 40 000 characters, as in a Slack message) is parsed in time in step with its length', () => {
    // Runs of one short unit after a word a pattern anchors on: the shape that makes backtracking patterns blow up.
    const unitChar = fc.constantFrom(' ', '\t', '\n', '\u00a0', 'x', '.', '@', ':', '#', '-', '<', '|', 'a', '1', '\u202e');
    const long = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('', 'interaction', 'interaction id', 'id', '#', 'cons', 'cons id', 'member', 'member:', '<mailto:', 'jane@', 'x'),
          fc.string({ unit: unitChar, minLength: 1, maxLength: 4 }),
          fc.integer({ min: 1_000, max: 40_000 }),
          fc.string({ maxLength: 20 }),
        )
        .map(([anchor, unit, length, tail]) => `${anchor}${unit.repeat(Math.floor(length / unit.length))}${tail}`.slice(0, 40_000)),
      fc.string({ unit: 'grapheme', maxLength: 40_000 }),
    );
    fc.assert(
      fc.property(long, (text) => {
        const started = performance.now();
        const findings = findInMessage(text);
        const parsed = parseCommandText(text);
        if (parsed.kind === 'invalid') checkMessage(invalidInputMessage(parsed.problem));
        expect(performance.now() - started).toBeLessThan(500);
        if (findings.request) expect(Number.isSafeInteger(findings.request.interactionId)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('any subject and note from Luminate render within Block Kit limits, with no unescaped <, > or &', () => {
    const maybe = (arb: fc.Arbitrary<string>) => fc.option(arb, { nil: null });
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6000 }), fc.string({ unit: 'binary', maxLength: 4000 }), fc.constantFrom('<!channel>', '<@U1>', '&amp;', '<https://x|y>'));
    const interaction = fc.record({
      interactionId: fc.string({ minLength: 1, maxLength: 40 }),
      typeId: maybe(fc.string({ maxLength: 40 })),
      categoryId: maybe(fc.string({ maxLength: 40 })),
      consId: maybe(fc.string({ maxLength: 3000 })),
      createdBy: maybe(fc.string({ maxLength: 100 })),
      creationDate: maybe(fc.oneof(fc.string({ maxLength: 40 }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()))),
      subject: maybe(text),
      note: fc.option(
        fc.record({
          type: maybe(fc.string({ maxLength: 100 })),
          text: maybe(text),
          createdBy: maybe(fc.string({ maxLength: 40 })),
          creationDate: maybe(fc.string({ maxLength: 40 })),
          modifiedBy: maybe(fc.string({ maxLength: 200 })),
          modifiedDate: maybe(fc.string({ maxLength: 40 })),
        }),
        { nil: null },
      ),
    }) as fc.Arbitrary<Interaction>;
    fc.assert(
      fc.property(interaction, fc.boolean(), (i, cached) => {
        checkMessage(renderInteractionCard(i, { fetchedAt: 0, cached, now: 120_000, typeNames: new Map([['0', 'Other']]) }, { buttons: { value: '{}', refresh: true, share: true, openUrl: null } }));
      }),
      { numRuns: 500 },
    );
  });
});
