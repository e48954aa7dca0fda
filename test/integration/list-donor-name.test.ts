import { describe, expect, it } from 'vitest';
import { SAMPLE_CONSTITUENTS } from '../../dev/stand-ins/sample-data.js';
import { allText, commandAnswer, type SlackMessageBody, useStandInSystem } from '../support/system.js';

/** A donor whose name tries to notify the channel and to reverse what follows it. */
const HOSTILE = {
  consId: '1009101',
  primaryEmail: 'hostile-list@example.org',
  name: { title: null, first: '<!channel> *Eve*', last: 'Evil\u202Efdp & <https://x.test|click>' },
  interactions: [{ ...SAMPLE_CONSTITUENTS[0]!.interactions[0]!, interactionId: '9101', consId: '1009101' }],
};

/** Each test starts past the cache's TTL, so every lookup is cold unless the test itself warmed it. */
let offset = 0;
const system = useStandInSystem({ clock: () => Date.now() + offset, luminate: { constituents: [...SAMPLE_CONSTITUENTS, HOSTILE] } }, () => {
  offset += 3_600_000;
});

const header = (m: SlackMessageBody) => (m.blocks?.[0] as { text: { text: string; verbatim?: boolean } }).text;

describe("the donor's name at the top of a donor's list", () => {
  it('shows the name with the identifier, fetched beside the page', async () => {
    system.luminate.latencyMs = 200;
    const { answer } = await commandAnswer(system, 'jane@example.org');
    expect(header(answer)).toEqual({ type: 'mrkdwn', verbatim: true, text: '*Interactions of Jane Doe (jane@example.org)*, newest first' });
    expect(answer.text).toBe('Interactions of Jane Doe (jane@example.org)');
    expect(system.luminate.callCount('getUser')).toBe(1);
    expect(system.luminate.maxInFlight).toBe(2);
  });

  it('a hidden or null name leaves the identifier alone, and never prints "null"', async () => {
    for (const donor of ['hidden@example.org', 'nameless@example.org']) {
      const { answer } = await commandAnswer(system, donor);
      expect(header(answer).text).toBe(`*Interactions of ${donor}*, newest first`);
      expect(allText(answer)).not.toMatch(/null/i);
    }
  });

  it('a failing getUser never fails the list: it arrives with the identifier only', async () => {
    system.luminate.methodFaults = { getUser: { kind: 'status', status: 503 } };
    const { answer } = await commandAnswer(system, 'jane@example.org');
    expect(header(answer).text).toBe('*Interactions of jane@example.org*, newest first');
    expect(answer.blocks!.filter((b) => b.type === 'section' && 'accessory' in b)).toHaveLength(4);
  });

  it('a getUser that hangs does not hold the list back', async () => {
    system.luminate.methodFaults = { getUser: { kind: 'hang' } };
    const started = Date.now();
    const { answer } = await commandAnswer(system, 'member:JD-1001');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(header(answer).text).toBe('*Interactions of member:JD-1001*, newest first');
  });

  it('a card and a list of the same donor share one getUser, and a cached page answered in the ack keeps the name', async () => {
    await commandAnswer(system, '1000 jane@example.org');
    const { answer } = await commandAnswer(system, 'JANE@Example.org');
    expect(header(answer).text).toBe('*Interactions of Jane Doe (JANE@Example.org)*, newest first');
    const again = await system.slashCommand('jane@example.org');
    const acked = JSON.parse(again.body) as SlackMessageBody;
    expect(header(acked).text).toBe('*Interactions of Jane Doe (jane@example.org)*, newest first');
    expect(system.luminate.callCount('getUser')).toBe(1);
    expect(system.luminate.callCount('getUserInteractions')).toBe(1);
  });

  it('a hostile name is escaped, verbatim and stripped of bidi controls', async () => {
    const { answer } = await commandAnswer(system, 'hostile-list@example.org');
    expect(header(answer).text).toBe('*Interactions of &lt;!channel&gt; *Eve* Evilfdp &amp; &lt;https://x.test|click&gt; (hostile-list@example.org)*, newest first');
    expect(allText(answer)).not.toMatch(/<!channel>|\u202E/);
  });
});
