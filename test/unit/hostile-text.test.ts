import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { findInMessage } from '../../src/service/find-in-message.js';
import { decodeSlackText, parseCommandText, parseIdentifier, parseInteractionId } from '../../src/service/requests.js';
import { escapeMrkdwn, mrkdwn, plainText } from '../../src/slack/render/mrkdwn.js';
import { describeInputProblem } from '../../src/slack/render/input-problems.js';

/**
 * Text from outside (a Slack message up to 40 000 characters, command text,
 * modal fields) must cost time in step with its length. Before the patterns
 * were made linear, "interaction" + 3 000 spaces + a letter took ~16 s and
 * 40 000 characters took hours; the bound here is generous on a loaded machine.
 */
const BOUND_MS = 500;

/** Runs of one kind of blank after a word that a pattern anchors on, then something that makes the match fail. */
const BLANKS = { space: ' ', tab: '\t', newline: '\n', nbsp: '\u00a0', ideographic: '\u3000' } as const;
const ANCHORS = ['interaction', 'interaction id', 'interaction no.', 'id', '#', 'cons', 'cons id', 'constituent', 'member', 'member id', 'member:'];

function cases(length: number): [string, string][] {
  const out: [string, string][] = [];
  for (const anchor of ANCHORS) {
    for (const [name, blank] of Object.entries(BLANKS)) {
      const run = blank.repeat(length - anchor.length - 1);
      out.push([`${JSON.stringify(anchor)} + ${name}s + a letter`, `${anchor}${run}x`]);
      out.push([`${JSON.stringify(anchor)} + ${name}s + ":"`, `${anchor}${run}:`]);
    }
  }
  const fill = (unit: string, end = '') => unit.repeat(Math.floor((length - end.length) / unit.length)) + end;
  out.push(
    ['letters without @', fill('a')],
    ['x.x.x. before @', fill('x.', '@')],
    ['x.x.x. before @ and a dotless domain', fill('x.', '@example')],
    ['a long local part before a domain', fill('a', '@example.org')],
    ['a@ repeated', fill('a@')],
    ['a long domain ending in a dot', `jane@${fill('b.', '.')}`],
    ['hyphens in a domain', `jane@${fill('a-', '-')}`],
    ['<mailto: repeated, no >', fill('<mailto:')],
    ['one <mailto: with no >', `<mailto:${fill('a')}`],
    ['<https:// with no >', `<https://${fill('a|')}`],
    ['< repeated', fill('<')],
    ['entities', fill('&amp;lt;')],
    ['"interaction " repeated', fill('interaction ')],
    ['"member:" repeated', fill('member:')],
    ['"member: " + a long id', `member: ${fill('J')}`],
    ['"cons:" + digits', `cons:${fill('0')}`],
    ['# repeated', fill('#')],
    ['"id " repeated', fill('id ')],
    ['digits', fill('1')],
    ['dots and colons', `member:x${fill('.:')}`],
    ['bidi controls', fill('\u202e\u2066')],
  );
  return out;
}

function timed(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

const PARSERS: Record<string, (text: string) => unknown> = {
  'message text': (text) => findInMessage(text),
  'command text': (text) => [parseCommandText(`1000 ${text}`), parseCommandText(text)],
  'modal fields': (text) => [parseIdentifier(text), parseInteractionId(text), decodeSlackText(text)],
  rendering: (text) => mrkdwn(text, 3000) + escapeMrkdwn(text) + plainText(text, 150),
};

describe.each([3_000, 40_000])('hostile text of %i characters costs time in step with its length', (length) => {
  const all = cases(length);
  it.each(Object.keys(PARSERS))('%s', (parser) => {
    const parse = PARSERS[parser]!;
    const slow = all.map(([name, text]) => ({ name, ms: Math.round(timed(() => parse(text))) })).filter(({ ms }) => ms >= BOUND_MS);
    expect(slow).toEqual([]);
  });
});

describe('the bounded patterns still find what they found', () => {
  it('finds an id and a donor across runs of blanks, tabs, newlines and non-breaking spaces', () => {
    expect(findInMessage('interaction\t\t 1000\n\n\u00a0for   jane@example.org').request).toEqual({ interactionId: 1000, identifier: { kind: 'email', email: 'jane@example.org' } });
    expect(findInMessage('interaction id:\n  #1000 member id :  JD-1001').request).toEqual({ interactionId: 1000, identifier: { kind: 'member', memberId: 'JD-1001' } });
  });

  it('reads only the start of a very long message', () => {
    const late = `${'word '.repeat(2000)} interaction 1000 jane@example.org`;
    expect(findInMessage(late).request).toBeNull();
  });

  it('takes no part of a too-long local part, member id or run as a shorter value', () => {
    expect(findInMessage(`interaction 1000 ${'a'.repeat(70)}@example.org`).identifiers).toEqual([]);
    expect(findInMessage(`interaction 1000 member:${'J'.repeat(300)}`).identifiers).toEqual([]);
    expect(findInMessage(`interaction 1000 member:${'J'.repeat(255)}`).identifiers).toEqual([{ kind: 'member', memberId: 'J'.repeat(255) }]);
  });

  it('refuses command text longer than any lookup before parsing it', () => {
    const parsed = parseCommandText(`1000 ${'a'.repeat(40_000)}@example.org`);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && describeInputProblem(parsed.problem).length).toBeLessThan(300);
  });

  it('still validates emails as before', () => {
    expect(parseIdentifier('jane@mail-1.example--x.org').ok).toBe(true);
    expect(parseIdentifier('jane@-example.org').ok).toBe(false);
    expect(parseIdentifier('jane@example-.org').ok).toBe(false);
    expect(parseIdentifier('jane@example..org').ok).toBe(false);
    expect(parseIdentifier('jane@example').ok).toBe(false);
  });

  it('unwraps only mailto and web links, and keeps mentions and unclosed brackets', () => {
    expect(decodeSlackText('<mailto:a@b.org|x> <HTTPS://x.org> <@U1> <#C1|general> <mailto:> <https://> <mailto:a@b.org')).toBe(
      'a@b.org HTTPS://x.org <@U1> <#C1|general> <mailto:> <https://> <mailto:a@b.org',
    );
  });
});
