import { describe, expect, it } from 'vitest';
import type { ListOutcome } from '../../src/service/outcomes.js';
import { Answers, type ListPlace } from '../../src/slack/answer.js';

const row = (i: number) => ({ interactionId: String(2000 + i), consId: '1001010', typeId: '1', categoryId: '0', subject: `Call ${i}`, creationDate: '2025-01-02T03:04:05Z', createdBy: '1' });
const list = { identifier: { kind: 'email', email: 'many@example.org' }, filters: {}, page: 0 } as const;
const FETCHED = 1_700_000_000_000;

function cachedPage(extra: Partial<Extract<ListOutcome, { kind: 'page' }>> = {}, fetchedAt = FETCHED): ListOutcome {
  return { kind: 'page', list, page: { rows: [row(1), row(2)], hasOlder: true, fetchedAt, cached: true }, ...extra };
}

describe('Answers: a cached list page is rendered once per variant', () => {
  let now = FETCHED + 1000;
  const answers = new Answers({ typeNames: new Map([['1', 'Phone call']]), adminUrlTemplate: '', access: { channels: [] }, clock: () => now });
  const here: ListPlace = { channelId: 'C1', threadTs: null };
  const text = (outcome: ListOutcome, place: ListPlace = here) => JSON.stringify(answers.list(outcome, place).message);

  it('serves the same rendered page again, and a page of its own wherever what it shows differs', () => {
    const first = answers.list(cachedPage(), here).message;
    expect(answers.list(cachedPage(), here).message).toBe(first);
    expect(JSON.stringify(first)).toContain('fetched just now');

    // Asked in another channel: every button carries that channel.
    const elsewhere = text(cachedPage(), { channelId: 'C2', threadTs: '1.2' });
    expect(elsewhere).toContain('C2');
    expect(elsewhere).not.toContain('C1');

    // The name arrived after the page was first shown.
    expect(text(cachedPage({ donor: { consId: '1001010', firstName: 'Morgan', lastName: 'Manyfold', email: null } }))).toContain('Morgan Manyfold');

    // A page fetched again (a Refresh) shows what the new answer holds.
    const refetched: ListOutcome = { kind: 'page', list, page: { rows: [row(7)], hasOlder: false, fetchedAt: FETCHED + 500, cached: true } };
    expect(text(refetched)).toContain('Call 7');

    // Minutes later the same page says how old it is.
    now = FETCHED + 3 * 60_000;
    expect(text(cachedPage())).toContain('fetched 3 minutes ago');
  });

  it('renders a page fetched for this request, or one with a note, each time', () => {
    const fresh: ListOutcome = { kind: 'page', list, page: { rows: [row(1)], hasOlder: false, fetchedAt: now, cached: false } };
    expect(text(fresh)).toContain('fetched just now');
    const noted = cachedPage({ refreshFailure: { kind: 'rate_limited', perMinute: 30, retryAfterMs: 1000 } });
    expect(answers.list(noted, here).message).not.toBe(answers.list(cachedPage(), here).message);
  });
});
