import { describe, expect, it } from 'vitest';
import { describeAge, escapeMrkdwn, mrkdwn, plainText, slackDate, truncateMrkdwn } from '../../src/slack/render/mrkdwn.js';

describe('escapeMrkdwn', () => {
  it('escapes &, < and > and nothing else', () => {
    expect(escapeMrkdwn('<!channel> & <@U1> <https://x|y> *bold* _i_ ~s~ `c`')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt; *bold* _i_ ~s~ `c`',
    );
  });

  it('escapes & first, so entities in the input stay visible as typed', () => {
    expect(escapeMrkdwn('&lt;')).toBe('&amp;lt;');
  });
});

describe('truncateMrkdwn', () => {
  it('leaves short text alone and cuts long text to the limit with an ellipsis', () => {
    expect(truncateMrkdwn('abc', 3)).toBe('abc');
    const cut = truncateMrkdwn('abcdef', 4);
    expect(cut).toBe('abc…');
    expect(cut.length).toBe(4);
  });

  it('never splits an entity', () => {
    const escaped = escapeMrkdwn('aaaa<bbbb');
    for (let max = 3; max < escaped.length; max++) {
      const cut = truncateMrkdwn(escaped, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(/&[a-z]*…$/);
    }
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateMrkdwn('ab🎉🎉🎉', 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });
});

describe('mrkdwn and plainText', () => {
  it('mrkdwn escapes then cuts within the limit', () => {
    const out = mrkdwn('<'.repeat(100), 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out).not.toContain('<');
  });

  it('plainText folds whitespace and cuts without escaping', () => {
    expect(plainText('a\n\n b <c>', 20)).toBe('a b <c>');
    expect(plainText('x'.repeat(200), 150)).toHaveLength(150);
  });
});

describe('slackDate', () => {
  it("renders a date token with a UTC fallback, in each reader's zone", () => {
    expect(slackDate('2016-02-01T09:43:35.159-06:00')).toBe('<!date^1454341415^{date_short_pretty} at {time}|2016-02-01 15:43 UTC>');
  });

  it('shows dates before 1970 as plain UTC text: the token takes only seconds since the epoch', () => {
    expect(slackDate('1969-12-31T23:59:59.999Z')).toBe('1969-12-31 23:59 UTC');
  });

  it('shows unparseable dates escaped, and missing ones as a dash', () => {
    expect(slackDate('<soon>')).toBe('&lt;soon&gt;');
    expect(slackDate(null)).toBe('—');
  });
});

describe('describeAge', () => {
  it('says how old an answer is', () => {
    expect(describeAge(5_000)).toBe('just now');
    expect(describeAge(60_000)).toBe('1 minute ago');
    expect(describeAge(240_000)).toBe('4 minutes ago');
    expect(describeAge(2 * 3600_000)).toBe('2 hours ago');
  });
});
