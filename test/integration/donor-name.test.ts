import { describe, expect, it } from 'vitest';
import { startStandInSystem } from '../../dev/stand-ins/harness.js';
import { buttonClick } from '../support/payloads.js';
import { SAMPLE_CONSTITUENTS } from '../../dev/stand-ins/sample-data.js';
import { allText, commandAnswer, type SlackMessageBody, useStandInSystem } from '../support/system.js';

/** A donor whose name tries to notify the channel and to reverse what follows it. */
const HOSTILE = {
  consId: '1009001',
  primaryEmail: 'hostile@example.org',
  name: { title: null, first: '<!channel> @here *Eve*', last: 'Evil\u202Efdp.exe & <https://x.test|click>' },
  interactions: [{ ...SAMPLE_CONSTITUENTS[0]!.interactions[0]!, interactionId: '9100', consId: '1009001' }],
};

/** Each test starts past the cache's TTL, so every lookup is cold unless the test itself warmed it. */
let offset = 0;
const system = useStandInSystem({ clock: () => Date.now() + offset, luminate: { constituents: [...SAMPLE_CONSTITUENTS, HOSTILE] } }, () => {
  offset += 3_600_000;
});

type Field = { text: string; verbatim?: boolean };
const fieldsOf = (m: SlackMessageBody): Field[] => ((m.blocks ?? []).find((b) => b.type === 'section' && 'fields' in b) as { fields: Field[] }).fields;
const constituentField = (m: SlackMessageBody) => fieldsOf(m).find((f) => f.text.startsWith('*Constituent*'))!;

describe("the donor's name on the card", () => {
  it('shows the name beside the constituent id, asked for with exactly the documented fields', async () => {
    const { answer } = await commandAnswer(system, '1000 jane@example.org');
    expect(constituentField(answer)).toEqual({ type: 'mrkdwn', verbatim: true, text: '*Constituent*\nJane Doe (1001001)' });
    const asked = system.luminate.requests.filter((r) => r.apiMethod === 'getUser');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.methodParams).toMatchObject({ fields: 'name.first,name.last,email.primary_address', primary_email: 'jane@example.org' });
  });

  it('a hidden or null name leaves the constituent id, and never prints "null"', async () => {
    for (const donor of ['3200 hidden@example.org', '3300 nameless@example.org']) {
      const { answer } = await commandAnswer(system, donor);
      expect(constituentField(answer).text).toMatch(/^\*Constituent\*\n100104[01]$/);
      expect(allText(answer)).not.toMatch(/null/i);
    }
    expect(system.luminate.callCount('getUser')).toBe(2);
  });

  it('parts of the name "null", empty or missing never print "null"', async () => {
    system.luminate.methodFaults = { getUser: { kind: 'null_strings', fields: ['name.first'] } };
    const { answer } = await commandAnswer(system, '1001 cons:1001001');
    expect(constituentField(answer).text).toBe('*Constituent*\nDoe (1001001)');
    expect(allText(answer)).not.toMatch(/null/i);
  });

  it('getUser runs at the same time as getInteraction, not after it', async () => {
    system.luminate.latencyMs = 300;
    const started = Date.now();
    const { answer } = await commandAnswer(system, '1002 member:JD-1001');
    expect(constituentField(answer).text).toBe('*Constituent*\nJane Doe (1001001)');
    expect(system.luminate.maxInFlight).toBe(2);
    expect(system.luminate.requests.map((r) => r.apiMethod).sort()).toEqual(['getInteraction', 'getUser']);
    // One round trip, not two.
    expect(Date.now() - started).toBeLessThan(600);
  });

  it('two cards of the same donor make one getUser call, whatever the email case', async () => {
    await commandAnswer(system, '1003 jane@example.org');
    const { answer } = await commandAnswer(system, '1000 JANE@Example.org');
    expect(constituentField(answer).text).toBe('*Constituent*\nJane Doe (1001001)');
    expect(system.luminate.callCount('getUser')).toBe(1);
    expect(system.luminate.callCount('getInteraction')).toBe(2);
  });

  it('a failing getUser never fails the card, and is logged at warn without donor data', async () => {
    system.luminate.methodFaults = { getUser: { kind: 'status', status: 503 } };
    const logsBefore = system.logLines.length;
    const { answer } = await commandAnswer(system, '1000 jane@example.org');
    expect((answer.blocks?.[0] as { text: { text: string } }).text.text).toBe('Sample Subject');
    expect(constituentField(answer).text).toBe('*Constituent*\n1001001');
    const logs = system.logLines.slice(logsBefore).map((l) => JSON.parse(l) as Record<string, unknown>);
    const warned = logs.filter((l) => l.level === 'warn' && String(l.msg).includes('donor'));
    expect(warned).toHaveLength(1);
    expect(JSON.stringify(warned)).not.toMatch(/jane|Doe|example\.org/i);
    expect(system.audit.at(-1)).toMatchObject({ outcome: 'found' });
  });

  it('a getUser that hangs or is slow does not hold the card back', async () => {
    const cases = [
      [{ kind: 'hang' }, '1001 jane@example.org'],
      [{ kind: 'delay', ms: 1500 }, '1002 cons:1001001'],
    ] as const;
    for (const [fault, lookup] of cases) {
      system.luminate.methodFaults = { getUser: fault };
      const started = Date.now();
      const { answer } = await commandAnswer(system, lookup);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(constituentField(answer).text).toBe('*Constituent*\n1001001');
    }
  });

  it('a name that arrives late is shown on the next card of that donor', async () => {
    // Not an identifier an earlier test may still have a hung getUser for: that call would be shared.
    const donor = 'member:JD-1001';
    system.luminate.methodFaults = { getUser: { kind: 'delay', ms: 700 } };
    const { answer } = await commandAnswer(system, `1000 ${donor}`);
    expect(constituentField(answer).text).toBe('*Constituent*\n1001001');
    await new Promise((r) => setTimeout(r, 900));
    const { answer: later } = await commandAnswer(system, `1002 ${donor}`);
    expect(constituentField(later).text).toBe('*Constituent*\nJane Doe (1001001)');
    expect(system.luminate.callCount('getUser')).toBe(1);
  });

  it('Refresh reads the name again: a name missing from the first card appears', async () => {
    system.luminate.methodFaults = { getUser: { kind: 'status', status: 503 } };
    const { answer } = await commandAnswer(system, '1003 cons:1001001');
    expect(constituentField(answer).text).toBe('*Constituent*\n1001001');
    system.luminate.methodFaults = {};
    const value = ((answer.blocks ?? []).find((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] }).elements.find(
      (e) => e.action_id === 'interaction_refresh',
    )!.value;
    const responseUrl = system.slack.newResponseUrl();
    await system.interact(buttonClick({ actionId: 'interaction_refresh', value, in: { message: { channel: 'C0DONORS', responseUrl } } }));
    const refreshed = (await system.slack.waitForResponse(responseUrl)).body as SlackMessageBody;
    expect(constituentField(refreshed).text).toBe('*Constituent*\nJane Doe (1001001)');
  });

  it("a hostile name is escaped, verbatim and stripped of bidi controls", async () => {
    const { answer } = await commandAnswer(system, '9100 hostile@example.org');
    const field = constituentField(answer);
    expect(field.verbatim).toBe(true);
    expect(field.text).toBe('*Constituent*\n&lt;!channel&gt; @here *Eve* Evilfdp.exe &amp; &lt;https://x.test|click&gt; (1009001)');
    expect(allText(answer)).not.toMatch(/<!channel>|\u202E/);
  });

  it('a very long name is cut to fit the field', async () => {
    const long = {
      consId: '1009002',
      primaryEmail: 'long@example.org',
      name: { title: null, first: '&'.repeat(3000), last: 'x' },
      interactions: [{ ...HOSTILE.interactions[0]!, consId: '1009002' }],
    };
    const other = await startStandInSystem({ luminate: { constituents: [long] } });
    try {
      const { answer } = await commandAnswer(other, '9100 long@example.org');
      const text = constituentField(answer).text;
      expect(text.length).toBeLessThanOrEqual(2000);
      // Cut on a whole entity, with the id still after it.
      expect(text).toMatch(/^\*Constituent\*\n(?:&amp;)+… \(1009002\)$/);
    } finally {
      await other.stop();
    }
  });
});
