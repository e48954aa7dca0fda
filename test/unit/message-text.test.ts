import { describe, expect, it } from 'vitest';
import { MAX_MENTIONS, MAX_MESSAGE_CHARS, mentionedIds, slackTextToPlain } from '../../src/service/message-text.js';

const names: Record<string, string> = { U024BE7LH: 'Ana Ruiz', W012GRID: 'Grid Person' };
const userName = (id: string) => names[id];
const channelName = (id: string) => (id === 'C0CARE' ? 'donor-care' : undefined);

describe('slackTextToPlain', () => {
  it.each([
    ['a mention, resolved', 'ask <@U024BE7LH> please', 'ask @Ana Ruiz please'],
    ['an Enterprise Grid mention', 'cc <@W012GRID>', 'cc @Grid Person'],
    ['a mention with its own label, resolver first', '<@U024BE7LH|ana>', '@Ana Ruiz'],
    ['a mention the resolver does not know, by its label', '<@U999|sam>', '@sam'],
    ['a mention nobody can name, by its id', 'hi <@U999>', 'hi @U999'],
    ['a channel with a label', 'see <#C123|general>', 'see #general'],
    ['a channel the resolver names', 'see <#C0CARE>', 'see #donor-care'],
    ['a channel with an empty label', 'see <#C777|>', 'see #C777'],
    ['@here, @channel and @everyone', '<!here> <!channel> <!everyone>', '@here @channel @everyone'],
    ['a user group', 'ping <!subteam^S1|@care-team>', 'ping @care-team'],
    ['a user group without a label', 'ping <!subteam^S1ABC>', 'ping @S1ABC'],
    ['a date, by its fallback', 'on <!date^1392734382^{date_pretty}|Feb 18th>', 'on Feb 18th'],
    ['a bare link', 'at <https://example.org/a?b=1&amp;c=2>', 'at https://example.org/a?b=1&c=2'],
    ['a link Slack made from typed text', 'at <http://example.org|example.org>', 'at http://example.org'],
    ['a link whose label is its URL', '<https://x.org/p|https://x.org/p>', 'https://x.org/p'],
    ['a link with a label', 'read <https://x.org/r|the receipt>', 'read the receipt (https://x.org/r)'],
    ['an email', 'write to <mailto:jane@example.org|jane@example.org>', 'write to jane@example.org'],
    ['an email with another label', '<mailto:jane@example.org|Jane>', 'Jane (jane@example.org)'],
    ['entities', 'A &amp; B &lt;3 &gt; C', 'A & B <3 > C'],
    ['an entity that spells another', '&amp;lt; stays', '&lt; stays'],
    ['entities in a label', '<https://x.org|Q&amp;A>', 'Q&A (https://x.org)'],
    ['a lone < with no >', 'a <b', 'a <b'],
    ['line breaks, kept', 'one\ntwo', 'one\ntwo'],
  ])('decodes %s', (_what, text, plain) => {
    expect(slackTextToPlain(text, { userName, channelName })).toBe(plain);
  });

  it('puts a resolved name on one line, without controls, and cut', () => {
    const plain = slackTextToPlain('hi <@U1ABC>', { userName: () => `Evil\nName\u202E${'x'.repeat(200)}` });
    expect(plain).not.toMatch(/[\n\u202E]/);
    expect(plain.length).toBeLessThanOrEqual('hi @'.length + 80);
  });

  it('reads at most MAX_MESSAGE_CHARS of a 40 000-character message', () => {
    const plain = slackTextToPlain('&amp;'.repeat(8000));
    expect(plain).toBe('&'.repeat(MAX_MESSAGE_CHARS / 5));
  });

  it.each([
    ['many < without >', '<'.repeat(40_000)],
    ['many <@ without >', '<@U1'.repeat(10_000)],
    ['one open token then text', `<https://${'a'.repeat(40_000)}`],
    ['alternating tokens', '<@U1>&amp;'.repeat(4_000)],
    ['bars and carets', `<!${'^|'.repeat(20_000)}>`],
  ])('stays linear and bounded on hostile text: %s', (_what, text) => {
    const started = performance.now();
    const plain = slackTextToPlain(text, { userName: () => 'N' });
    // Generous: linear work on 8 000 characters takes about a millisecond; a quadratic scan of 40 000 would take seconds.
    expect(performance.now() - started).toBeLessThan(500);
    expect(plain.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS * 2);
  });
});

describe('mentionedIds', () => {
  it('lists the users and channels to look up, distinct and in order', () => {
    expect(mentionedIds('<@U0B2> <#C0A1|x> <@U0A1|a> <@U0B2> <!here> <#C0A1> <@bogus> <#D0Z9>')).toEqual({ users: ['U0B2', 'U0A1'], channels: ['C0A1', 'D0Z9'] });
  });

  it(`lists at most ${MAX_MENTIONS} of each, however many there are`, () => {
    const text = Array.from({ length: 500 }, (_, i) => `<@U${1000 + i}> <#C${1000 + i}>`).join(' ');
    const { users, channels } = mentionedIds(text);
    expect(users).toHaveLength(MAX_MENTIONS);
    expect(channels).toHaveLength(MAX_MENTIONS);
    expect(users[0]).toBe('U1000');
  });

  it('stays bounded on hostile text', () => {
    const started = performance.now();
    expect(mentionedIds('<@'.repeat(20_000))).toEqual({ users: [], channels: [] });
    expect(mentionedIds(`<@U1${'A'.repeat(40_000)}>`)).toEqual({ users: [], channels: [] });
    expect(performance.now() - started).toBeLessThan(500);
  });
});
