import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_CHARS } from '../../src/luminate/log-interaction.js';
import { cleanText, draftFromMessage, noteRoom, provenanceLine, validateDraft, withProvenance, type SubmittedDraft } from '../../src/service/log-draft.js';
import { cutText } from '../../src/unicode.js';

const typeNames = new Map([
  ['0', 'Other'],
  ['1', 'Phone call'],
  ['3', 'Email'],
]);
const line = provenanceLine({ displayName: 'Ana Ruiz', userId: 'U012AB', channelName: 'donor-care', permalink: 'https://acme.slack.com/archives/C0CARE/p1700000000000100' });
const good: SubmittedDraft = { donor: 'cons:1001001', subject: 'Called about the appeal', note: 'She will renew in May.', typeId: '1' };

describe('cutText', () => {
  it('leaves text within the limit alone', () => {
    expect(cutText('short', 5)).toBe('short');
  });

  it('cuts at a word break near the end, with an ellipsis, within the limit', () => {
    const cut = cutText('The donor asked about her pledge schedule and payment options', 30);
    expect(cut).toBe('The donor asked about her…');
    expect(cut.length).toBeLessThanOrEqual(30);
  });

  it('cuts inside a long word when no break is near', () => {
    expect(cutText('a'.repeat(100), 10)).toBe(`${'a'.repeat(9)}…`);
  });

  it.each([
    ['an emoji with a skin tone', '👍🏽'],
    ['a family emoji', '👨‍👩‍👧'],
    ['a flag', '🇫🇷'],
    ['a letter with combining accents', 'e\u0301\u0302'],
  ])('never splits %s', (_what, grapheme) => {
    const text = grapheme.repeat(40);
    for (let max = 2; max < 30; max += 1) {
      const cut = cutText(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      const kept = cut.slice(0, -1);
      expect(kept.length % grapheme.length).toBe(0);
    }
  });

  it('for any text and limit: within the limit, a prefix of whole graphemes, cut only when needed', () => {
    const graphemes = (t: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(t)].map((g) => g.segment);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 120 })), fc.integer({ min: 1, max: 100 }), (text, max) => {
        const cut = cutText(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        if (text.length <= max) {
          expect(cut).toBe(text);
          return;
        }
        expect(cut.endsWith('…')).toBe(true);
        const kept = graphemes(cut.slice(0, -1));
        expect(graphemes(text).slice(0, kept.length)).toEqual(kept);
      }),
    );
  });

  it('segments only the start of a huge text', () => {
    const started = performance.now();
    expect(cutText('x'.repeat(1_000_000), 80)).toHaveLength(80);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('provenanceLine', () => {
  it('says who logged it, from which channel, with the permalink', () => {
    expect(line).toBe('Logged from Slack by Ana Ruiz (U012AB) in #donor-care: https://acme.slack.com/archives/C0CARE/p1700000000000100');
  });

  it('leaves out what is unknown, and a permalink that is not a plain https URL', () => {
    expect(provenanceLine({ displayName: '', userId: 'U012AB', channelName: null })).toBe('Logged from Slack by U012AB');
    expect(provenanceLine({ displayName: 'Ana', userId: 'U012AB', channelName: '#care', permalink: 'javascript:alert(1)' })).toBe('Logged from Slack by Ana (U012AB) in #care');
    expect(provenanceLine({ displayName: 'Ana', userId: 'U012AB', channelName: 'care', permalink: `https://x.slack.com/${'p'.repeat(400)}` })).toBe(
      'Logged from Slack by Ana (U012AB) in #care',
    );
  });

  it('stays one bounded line whatever the names hold', () => {
    const hostile = provenanceLine({ displayName: `Ana\n\u202E${'n'.repeat(5000)}`, userId: 'U012AB', channelName: `care\r\n${'c'.repeat(5000)}`, permalink: null });
    expect(hostile).not.toMatch(/[\n\r\u202E]/);
    expect(hostile.length).toBeLessThan(250);
  });
});

describe('withProvenance', () => {
  it('appends the line after a blank line', () => {
    expect(withProvenance('Talked.', line)).toEqual({ body: `Talked.\n\n${line}`, noteCut: false });
    expect(withProvenance('  ', line)).toEqual({ body: line, noteCut: false });
  });

  it('cuts the note, never the line, to fit 1 500 in all', () => {
    const { body, noteCut } = withProvenance('word '.repeat(1000), line);
    expect(noteCut).toBe(true);
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(body.endsWith(`…\n\n${line}`)).toBe(true);
  });

  it('fills exactly the room when the note fits to the character', () => {
    const note = 'x'.repeat(noteRoom(line));
    expect(withProvenance(note, line)).toEqual({ body: `${note}\n\n${line}`, noteCut: false });
    expect(withProvenance(note, line).body).toHaveLength(MAX_BODY_CHARS);
  });
});

describe('draftFromMessage', () => {
  const message =
    '\n  \nCall with <mailto:jane@example.org|jane@example.org> about the <https://acme.org/appeal|spring appeal> &amp; Gift Aid\n' +
    'She asked <@U024BE7LH> to follow up in <#C0CARE|donor-care>.';
  const userName = (id: string) => (id === 'U024BE7LH' ? 'Ana Ruiz' : undefined);

  it('prefills the donor, the first non-empty line as subject, the plain text as note, and type 0', () => {
    const draft = draftFromMessage(message, { userName, room: noteRoom(line) });
    expect(draft.donor).toBe('jane@example.org');
    // 87 characters: cut at the last word break before 80.
    expect(draft.subject).toBe('Call with jane@example.org about the spring appeal (https://acme.org/appeal) &…');
    expect(draft.subject.length).toBeLessThanOrEqual(80);
    expect(draft.note).toBe(
      'Call with jane@example.org about the spring appeal (https://acme.org/appeal) & Gift Aid\nShe asked @Ana Ruiz to follow up in #donor-care.',
    );
    expect(draft).toMatchObject({ typeId: 0, noteCut: false });
  });

  it('finds cons: and member: donors as lookups do, and none when the message is ambiguous', () => {
    expect(draftFromMessage('Re cons 1001001').donor).toBe('cons:1001001');
    expect(draftFromMessage('member: JD-1001 called').donor).toBe('member:JD-1001');
    expect(draftFromMessage('a@example.org and b@example.org').donor).toBe('');
  });

  it('cuts a long message to the room beside the line, and says so', () => {
    const draft = draftFromMessage(`Subject\n${'Long notes. '.repeat(3000)}`, { room: noteRoom(line) });
    expect(draft.noteCut).toBe(true);
    expect(draft.note.length).toBeLessThanOrEqual(noteRoom(line));
    expect(withProvenance(draft.note, line)).toMatchObject({ noteCut: false });
  });

  it('drops control and bidirectional characters from what will be written', () => {
    const draft = draftFromMessage('Refund \u202Efdp.exe\u0007 please\r\nsecond');
    expect(draft.subject).toBe('Refund fdp.exe please');
    expect(draft.note).toBe('Refund fdp.exe please\nsecond');
  });

  it('leaves the subject empty for a message without text', () => {
    expect(draftFromMessage('   \n ')).toMatchObject({ subject: '', note: '', donor: '' });
  });

  it('stays bounded on a 40 000-character hostile message', () => {
    const started = performance.now();
    const draft = draftFromMessage(`${'<@U1|'.repeat(5000)}${'&amp;'.repeat(4000)}`, { userName: () => 'N'.repeat(500) });
    expect(draft.note.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(draft.subject.length).toBeLessThanOrEqual(80);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('validateDraft', () => {
  it('turns a good draft into the write, the line appended to the note', () => {
    expect(validateDraft(good, { typeNames, provenance: line })).toEqual({
      ok: true,
      entry: { identifier: { kind: 'cons', consId: '1001001' }, subject: good.subject, body: `${good.note}\n\n${line}`, typeId: 1 },
      note: good.note,
    });
  });

  it('accepts an email and member: donor, type 0 and an empty note', () => {
    const email = validateDraft({ ...good, donor: ' jane@example.org ', typeId: '0', note: '' }, { typeNames, provenance: line });
    expect(email).toMatchObject({ ok: true, entry: { identifier: { kind: 'email', email: 'jane@example.org' }, typeId: 0, body: line } });
    expect(validateDraft({ ...good, donor: 'member:JD-1001' }, { typeNames, provenance: line })).toMatchObject({ ok: true, entry: { identifier: { kind: 'member' } } });
  });

  it('cleans what it writes: a subject on one line, no controls', () => {
    const check = validateDraft({ ...good, subject: 'Two\nlines\u202E', note: 'a\r\nb\u0000' }, { typeNames, provenance: line });
    expect(check).toMatchObject({ ok: true, entry: { subject: 'Two lines', body: `a\nb\n\n${line}` } });
  });

  it('reports every field that is wrong, as data, and gives no write', () => {
    const check = validateDraft({ donor: 'jane', subject: ' ', note: 'n'.repeat(1500), typeId: '7' }, { typeNames, provenance: line });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.donor).toEqual({ kind: 'invalid_donor', problem: { kind: 'not_a_donor', input: 'jane' } });
    expect(check.problems.subject).toEqual({ kind: 'required' });
    expect(check.problems.note).toEqual({ kind: 'too_long', max: noteRoom(line), length: 1500 });
    expect(check.problems.type).toEqual({ kind: 'unknown_type' });
  });

  it('counts the provenance line inside the 1 500: a note that fits alone may not fit beside it', () => {
    const room = noteRoom(line);
    expect(validateDraft({ ...good, note: 'x'.repeat(room) }, { typeNames, provenance: line }).ok).toBe(true);
    expect(validateDraft({ ...good, note: 'x'.repeat(room + 1) }, { typeNames, provenance: line })).toMatchObject({ ok: false, problems: { note: { kind: 'too_long', max: room } } });
  });

  it.each([
    ['an empty donor', { donor: '' }, 'donor', { kind: 'required' }],
    ['a huge donor', { donor: `${'a'.repeat(5000)}@example.org` }, 'donor', { kind: 'too_long', max: 320 }],
    ['a subject of 81', { subject: 's'.repeat(81) }, 'subject', { kind: 'too_long', max: 80, length: 81 }],
    ['a huge subject', { subject: 's '.repeat(50_000) }, 'subject', { kind: 'too_long', max: 80 }],
    ['a huge note', { note: 'n\n'.repeat(50_000) }, 'note', { kind: 'too_long' }],
    ['a type that is not a number', { typeId: 'Phone call' }, 'type', { kind: 'unknown_type' }],
    ['a type the site lacks', { typeId: '2' }, 'type', { kind: 'unknown_type' }],
  ])('refuses %s', (_what, change, field, problem) => {
    const check = validateDraft({ ...good, ...change }, { typeNames, provenance: line });
    expect(check).toMatchObject({ ok: false, problems: { [field]: problem } });
  });

  it('takes type 0 even when the names given lack it', () => {
    expect(validateDraft({ ...good, typeId: '0' }, { typeNames: new Map(), provenance: line })).toMatchObject({ ok: true, entry: { typeId: 0 } });
  });
});

describe('cleanText', () => {
  it('keeps line breaks and tabs, drops other controls and bidirectional overrides', () => {
    expect(cleanText('a\tb\r\nc\rd\u0000\u001b\u009f\u200E\u2066e')).toBe('a\tb\nc\nde');
  });
});
