import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { LuminateApiError } from '../../src/luminate/errors.js';
import type { Interaction } from '../../src/luminate/schema.js';
import { parseCommandText } from '../../src/service/requests.js';
import { renderInteractionCard, type CardContext } from '../../src/slack/render/interaction-card.js';
import { lookupFormView } from '../../src/slack/render/lookup-modal.js';
import { lookupFailureMessage } from '../../src/slack/render/failure-messages.js';
import { invalidInputMessage, lookingUpMessage } from '../../src/slack/render/help-messages.js';
import { describeInputProblem } from '../../src/slack/render/input-problems.js';
import { documentedInteraction } from '../support/fixtures.js';

const documented = documentedInteraction();
const NOW = Date.parse('2026-11-29T12:00:00Z');
const context: CardContext = { fetchedAt: NOW, cached: false, now: NOW, typeNames: new Map([['0', 'Other']]) };
const footer = 'Shared by <@U0AGENT>';

/** Every text object in blocks, wherever it sits (section text and fields, context elements, header). */
function textObjects(blocks: types.KnownBlock[]): { type: string; text: string; verbatim?: boolean }[] {
  const out: { type: string; text: string; verbatim?: boolean }[] = [];
  for (const block of blocks as { type: string; text?: { type: string; text: string }; fields?: { type: string; text: string }[]; elements?: unknown[] }[]) {
    if (block.type === 'actions') continue;
    if (block.text) out.push(block.text);
    for (const f of block.fields ?? []) out.push(f);
    for (const e of (block.elements ?? []) as { type: string; text?: string }[]) if (typeof e.text === 'string') out.push(e as { type: string; text: string });
  }
  return out;
}

const mrkdwnObjects = (blocks: types.KnownBlock[]) => textObjects(blocks).filter((t) => t.type === 'mrkdwn');
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

describe('donor text that would notify a channel', () => {
  const noisy: Interaction = {
    ...documented,
    subject: '@channel #general',
    createdBy: '@here',
    note: { ...documented.note!, text: 'Please tell @here and @channel in #general', type: '@everyone' },
  };

  it('renders every mrkdwn object of the card verbatim, so Slack does not turn plain @here or #general into mentions', () => {
    const { blocks } = renderInteractionCard(noisy, context, { footer });
    const objects = mrkdwnObjects(blocks);
    expect(objects.map((o) => o.text).join('\n')).toContain('@here and @channel in #general');
    expect(objects.length).toBeGreaterThan(4);
    expect(objects.filter((o) => o.verbatim !== true)).toEqual([]);
  });

  it('echoes what a person typed verbatim too', () => {
    const lookup = { interactionId: 1000, identifier: { kind: 'member', memberId: '@here' } } as const;
    const parsed = parseCommandText('@channel #general');
    if (parsed.kind !== 'invalid') throw new Error(`expected a problem, got ${parsed.kind}`);
    const problem = parsed.problem;
    for (const message of [invalidInputMessage(problem), lookingUpMessage(lookup), lookupFailureMessage(new LuminateApiError('1', '@here'), lookup)]) {
      const objects = mrkdwnObjects(message.blocks);
      expect(objects.length).toBeGreaterThan(0);
      expect(objects.filter((o) => o.verbatim !== true)).toEqual([]);
    }
    const form = lookupFormView({ origin: { channelId: 'C1', threadTs: null, metadata: '{}' }, hint: 'The message mentions donors member:@here, member:#general: which one?' });
    expect(mrkdwnObjects(form.blocks as types.KnownBlock[]).filter((o) => o.verbatim !== true)).toEqual([]);
  });
});

describe('bidirectional controls in donor text and echoed input', () => {
  const disguised = 'Refund \u202Efdp.exe';

  it('drops them from the subject, the note and the ids on the card', () => {
    const interaction: Interaction = {
      ...documented,
      subject: disguised,
      createdBy: 'JD\u2066-1001\u2069',
      note: { ...documented.note!, text: `${disguised}\n\u200Fsecond line\u200E`, modifiedBy: '\u202Aagent\u202C' },
    };
    const card = renderInteractionCard(interaction, context, { footer });
    const texts = textObjects(card.blocks).map((t) => t.text);
    expect(card.text).toBe('Interaction 1000: Refund fdp.exe');
    expect(texts[0]).toBe('Refund fdp.exe');
    expect(texts.join('\n')).toContain('>Refund fdp.exe\n>second line');
    expect(texts.join('\n')).toContain('JD-1001');
    for (const text of [card.text, ...texts]) expect(text).not.toMatch(BIDI);
  });

  it('drops them from a member id echoed back, and from quoted bad input', () => {
    const lookup = { interactionId: 1000, identifier: { kind: 'member', memberId: 'JD\u202E1001' } } as const;
    const parsed = parseCommandText('1000 Refund\u202Efdp.exe');
    if (parsed.kind !== 'invalid') throw new Error(`expected a problem, got ${parsed.kind}`);
    const problem = parsed.problem;
    expect(describeInputProblem(problem)).toContain('"Refundfdp.exe"');
    for (const message of [invalidInputMessage(problem), lookingUpMessage(lookup), lookupFailureMessage(new LuminateApiError('1', disguised), lookup)]) {
      expect(message.text).not.toMatch(BIDI);
      for (const t of textObjects(message.blocks)) expect(t.text).not.toMatch(BIDI);
    }
    expect(lookingUpMessage(lookup).text).toContain('member:JD1001');
  });
});
