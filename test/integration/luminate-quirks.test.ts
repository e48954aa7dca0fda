import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailMatch } from '../../dev/stand-ins/luminate.js';
import { startStandInSystem, type StandInSystem } from '../../dev/stand-ins/harness.js';
import { allText, commandAnswer, expectNoSecretLeaked, type SlackMessageBody, useStandInSystem } from '../support/system.js';

// The bot against a stand-in as strict and as quirky as Luminate (see dev/stand-ins/luminate.ts):
// what a person reads, the audit outcome and the log, for each quirk. What each quirk looks like
// on the wire is shown in test/unit/stand-in-luminate.test.ts.

let nextId = 5000;
const system = useStandInSystem({}, () => {
  system.luminate.emailMatch = 'case-insensitive';
  system.luminate.enforceOwnership = true;
});

const lastOutcome = () => system.audit.filter((a) => a.event === 'interaction.lookup').at(-1)?.outcome;
/** A fresh cache key each time: the same lookup twice would be answered from the cache. */
const fresh = (donor = 'cons:1001001') => `${nextId++} ${donor}`;

// Whether Luminate matches primary_email case-insensitively, and whether an interaction must belong to
// the donor named, are not documented: the ordinary lookups must work either way.
describe.each<[EmailMatch, boolean]>([
  ['case-insensitive', true],
  ['exact', true],
  ['case-insensitive', false],
  ['exact', false],
])('ordinary lookups, emailMatch %s, enforceOwnership %s', (emailMatch, enforceOwnership) => {
  // A system of its own per mode: its cache starts empty, so every lookup reaches the stand-in in this mode.
  let system: StandInSystem;
  beforeAll(async () => {
    system = await startStandInSystem({ luminate: { emailMatch, enforceOwnership } });
  });
  afterAll(async () => {
    expectNoSecretLeaked(system);
    await system.stop();
  });
  const lastOutcome = () => system.audit.filter((a) => a.event === 'interaction.lookup').at(-1)?.outcome;

  it.each([
    ['jane@example.org', 'email'],
    ['cons:1001001', 'cons'],
    ['member:JD-1001', 'member'],
  ])('finds an interaction by %s', async (donor, kind) => {
    const { answer } = await commandAnswer(system, `1001 ${donor}`);
    expect(answer.text).toBe('Interaction 1001: Phone call: Gift Aid question');
    expect(lastOutcome()).toBe('found');
    expect([system.luminate.emailMatch, system.luminate.enforceOwnership]).toEqual([emailMatch, enforceOwnership]);
    expect(system.luminate.requests.at(-1)).toMatchObject(kind === 'email' ? { primaryEmail: 'jane@example.org' } : { primaryEmail: null });
  });

  it('says so when no donor has that email', async () => {
    const { answer } = await commandAnswer(system, fresh('nobody@example.org'));
    expect(answer.text).not.toMatch(/^Interaction /);
    expect(lastOutcome()).toBe('not_found');
  });

  it('says an email shared by several donors matches more than one', async () => {
    const { answer } = await commandAnswer(system, fresh('family@example.org'));
    expect(answer.text).toMatch(/More than one constituent matches/);
  });

  it("says so when the interaction id is nobody's", async () => {
    await commandAnswer(system, '4242 cons:1001001');
    expect(lastOutcome()).toBe('not_found');
  });
});

describe('an email typed in another case', () => {
  it('is found where Luminate matches case-insensitively', async () => {
    const { answer } = await commandAnswer(system, '1001 JANE@Example.ORG');
    expect(answer.text).toBe('Interaction 1001: Phone call: Gift Aid question');
  });
});

describe('answers shaped as Luminate shapes them', () => {
  const card = async (fault: Parameters<typeof setFault>[0], text = fresh()) => {
    setFault(fault);
    const { answer } = await commandAnswer(system, text);
    return answer;
  };
  const setFault = (fault: NonNullable<StandInSystem['luminate']['fault']>) => {
    system.luminate.fault = fault;
  };

  it('a record with its shown fields hidden (absent) still makes a card, with placeholders, never "undefined" or "null"', async () => {
    const answer = await card({ kind: 'absent_fields' }, '1000 cons:1001001');
    expect(lastOutcome()).toBe('found');
    expect(answer.text).toMatch(/^Interaction \d+/);
    expect(allText(answer)).not.toMatch(/undefined|\bnull\b|NaN|Invalid Date/);
    expect(allText(answer)).toContain('No note on this interaction');
  });

  it('a record with its shown fields null (visible but empty) makes the same card', async () => {
    const absent = await card({ kind: 'absent_fields' }, '1001 cons:1001001');
    const nulls = await card({ kind: 'null_fields' }, '1001 member:JD-1001');
    expect(lastOutcome()).toBe('found');
    expect(allText(nulls)).not.toMatch(/undefined|\bnull\b|NaN|Invalid Date/);
    expect(nulls.text).toBe(absent.text);
  });

  it.each(['array', 'object'] as const)('a one-item list sent as %s shows the same card as the documented answer', async (as) => {
    system.luminate.anyInteractionId = true;
    try {
      const id = nextId++;
      const { answer: documented } = await commandAnswer(system, `${id} cons:1001001`);
      const listed = await card({ kind: 'one_item_list', as }, `${id} member:JD-1001`);
      expect(lastOutcome()).toBe('found');
      expect(listed.text).toBe(documented.text);
      expect((listed.blocks ?? []).slice(0, 3)).toEqual((documented.blocks ?? []).slice(0, 3));
      expect(allText(listed)).toContain('Lorem ipsum dolor sit amet');
    } finally {
      system.luminate.anyInteractionId = false;
    }
  });
});

describe("what isn't Luminate's answer", () => {
  it('a 3xx is not followed (the request carries credentials) and reaches the person as a failure, once', async () => {
    // Pointed back at the stand-in, so that a followed redirect would show as a second request.
    system.luminate.fault = { kind: 'redirect', location: `${system.luminate.url.replace('/yourorg/', '/moved/')}/SRConsAPI` };
    const ack = await system.slashCommand(fresh());
    expect(ack.ms).toBeLessThan(1000);
    const { body } = await system.slack.waitForResponse(ack.responseUrl);
    expect(lastOutcome()).toBe('error');
    expect(allText(body as SlackMessageBody)).not.toMatch(/<html|<a href|Moved to/i);
    // One request: not retried, and not sent again to the Location.
    expect(system.luminate.requests).toHaveLength(1);
  });

  it("a firewall's 403 page reaches the person as a failure without its HTML, and is not read as not-found", async () => {
    system.luminate.fault = { kind: 'firewall' };
    const { answer } = await commandAnswer(system, fresh());
    expect(lastOutcome()).toBe('error');
    expect(allText(answer)).not.toMatch(/<html|DOCTYPE|Access Denied|Reference #/i);
    expect(system.luminate.requests).toHaveLength(1);
  });
});

// What the person reads, and what the log keeps, for each quirk the client now handles.
describe('quirks read right, end to end', () => {
  const NOT_VISIBLE = /it was not found, or is not visible to the bot's service account\./;
  // Our own wording escapes <id> as &lt;id&gt;; a numeric reference left raw or escaped twice, or mis-decoded UTF-8, is garbled.
  const GARBLED = /&#|&amp;#|\\u00|Ã|�/;
  const log = () => system.logLines.join('\n');

  it('a byte-order mark before the JSON still makes the card', async () => {
    system.luminate.anyInteractionId = true;
    try {
      const id = nextId++;
      system.luminate.fault = { kind: 'bom' };
      const { answer } = await commandAnswer(system, `${id} jane@example.org`);
      expect(system.luminate.requests).toHaveLength(1);
      expect(answer.text).toBe(`Interaction ${id}: Sample Subject`);
      expect(lastOutcome()).toBe('found');
    } finally {
      system.luminate.anyInteractionId = false;
    }
  });

  it('fields holding the string "null" show as empty, never as "null"', async () => {
    system.luminate.fault = { kind: 'null_strings' };
    const { answer } = await commandAnswer(system, '1000 member:JD-1001');
    expect(system.luminate.requests).toHaveLength(1);
    expect(lastOutcome()).toBe('found');
    expect(answer.text).toMatch(/^Interaction 1000\b/);
    expect(allText(answer)).not.toMatch(/\bnull\b/i);
    // The fields left alone still show: the card is the record's, not a blank one.
    expect(allText(answer)).toContain('Lorem ipsum dolor sit amet');
  });

  it("an XML errorResponse with numeric entities reads as its code's wording, nothing garbled", async () => {
    system.luminate.fault = { kind: 'xml_error_entities', code: '16' };
    const { answer } = await commandAnswer(system, fresh('nobody@example.org'));
    expect(answer.text).toMatch(/^No donor in Luminate Online matches \*nobody@example\.org\*\./);
    expect(lastOutcome()).toBe('not_found');
    expect(allText(answer)).not.toMatch(GARBLED);
    // Luminate's own words are for the log only, decoded there.
    expect(allText(answer)).not.toContain('Aucun');
    expect(log()).toContain("Aucun enregistrement ne correspond à l'adresse « é »");
  });

  it.each(['missing', 'null', 'empty_list', 'empty_response', 'empty_object'] as const)(
    'an empty answer (%s) reads as not found, or not visible to the service account',
    async (shape) => {
      system.luminate.fault = { kind: 'empty_answer', shape };
      const { answer } = await commandAnswer(system, fresh());
      expect(answer.text).toMatch(NOT_VISIBLE);
      expect(answer.text).not.toMatch(/maintenance page|not a valid response/);
      expect(lastOutcome()).toBe('not_found');
      expect(system.luminate.requests).toHaveLength(1);
    },
  );

  it.each(['jane@example.org', 'cons:1001001'])('an errorResponse echoing a lookup by %s leaks no credential or donor email, to Slack or the log', async (donor) => {
    system.luminate.fault = { kind: 'echoing_error' };
    const logFrom = system.logLines.length;
    const responsesFrom = system.slack.responses.length;
    const { answer } = await commandAnswer(system, fresh(donor));
    expect(answer.text).toMatch(/^Luminate Online could not process the request \(code 1\)\./);
    expect(lastOutcome()).toBe('error');
    expectNoSecretLeaked(system);
    const lines = system.logLines.slice(logFrom).join('\n');
    // The log still says what came back, without what it echoed.
    expect(lines).toContain('Unable to process request');
    const sent = [...system.slack.responses.slice(responsesFrom).map((r) => JSON.stringify(r)), lines].join('\n');
    for (const leak of [...system.secrets, system.config.luminate.loginName, 'jane@example.org', 'login_name=b', 'api_key=a']) {
      expect(sent).not.toContain(leak);
    }
  });

  it('a redirect names its Location host in the log, and the person reads our wording', async () => {
    system.luminate.fault = { kind: 'redirect', status: 301, location: 'https://secure3.convio.net/yourorg/site/SRConsAPI' };
    const { answer } = await commandAnswer(system, fresh());
    expect(lastOutcome()).toBe('error');
    expect(answer.text).toMatch(/^Luminate Online redirected the bot to secure3\.convio\.net instead of answering\. .*`LUMINATE_URL`/);
    expect(allText(answer)).not.toMatch(/<html|<a href|Moved to|SRConsAPI/i);
    const failure = system.logLines.filter((l) => l.includes('luminate lookup failed')).at(-1) ?? '';
    expect(JSON.parse(failure)).toMatchObject({ error: { problem: 'redirect', locationHost: 'secure3.convio.net' } });
    expect(system.luminate.requests).toHaveLength(1);
  });

  it("a firewall's 403 page points at the IP allow-list and firewalls", async () => {
    system.luminate.fault = { kind: 'firewall' };
    const { answer } = await commandAnswer(system, fresh());
    expect(lastOutcome()).toBe('error');
    expect(answer.text).toMatch(/refused the bot's request: it never reached the API\./);
    expect(answer.text).toMatch(/IP allow-list/);
    expect(answer.text).toMatch(/firewall/);
    expect(answer.text).not.toMatch(/maintenance page/);
  });

  it("an interaction of another donor, where Luminate doesn't check ownership, is rejected as unconfirmed", async () => {
    system.luminate.enforceOwnership = false;
    // Interaction 1000 is Jane's (1001001); 1001002 exists and has none.
    const { answer } = await commandAnswer(system, '1000 cons:1001002');
    expect(system.luminate.requests.at(-1)).toMatchObject({ consId: '1001002', interactionId: '1000', credentialsAccepted: true });
    expect(lastOutcome()).toBe('error');
    expect(answer.text).toMatch(/^Luminate Online's answer for interaction \*1000\* couldn't be confirmed/);
    expect(allText(answer)).not.toMatch(/Sample Subject|Lorem ipsum/);
    const warning = system.logLines.filter((l) => l.includes('luminate lookup failed')).at(-1) ?? '';
    expect(JSON.parse(warning)).toMatchObject({ level: 'warn', error: { problem: 'mismatch' } });
    expect(warning).not.toMatch(/1001001|1001002|Sample Subject/);
  });
});

describe('empty answers at the production resilience settings', () => {
  it("six in a row don't open the circuit breaker: each reaches Luminate once, and the next lookup finds its card", async () => {
    const production = await startStandInSystem({ resilience: 'production' });
    try {
      const outcomes = () => production.audit.filter((a) => a.event === 'interaction.lookup').map((a) => a.outcome);
      const shapes = ['missing', 'null', 'empty_list', 'empty_response', 'empty_object', 'null'] as const;
      for (const [i, shape] of shapes.entries()) {
        production.luminate.fault = { kind: 'empty_answer', shape };
        const { answer } = await commandAnswer(production, `${6000 + i} cons:1001001`);
        expect(answer.text).toMatch(/it was not found, or is not visible to the bot's service account\./);
        expect(production.luminate.lookupCount).toBe(i + 1);
      }
      expect(outcomes()).toEqual(Array(6).fill('not_found'));
      production.luminate.fault = null;
      const { answer } = await commandAnswer(production, '1001 cons:1001001');
      expect(answer.text).toBe('Interaction 1001: Phone call: Gift Aid question');
      expect(production.luminate.lookupCount).toBe(7);
      expect(production.logLines.join('\n')).not.toContain('Luminate keeps failing');
      expectNoSecretLeaked(production);
    } finally {
      await production.stop();
    }
  });
});
