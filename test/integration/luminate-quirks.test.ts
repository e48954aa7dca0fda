import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmailMatch } from '../../src/stand-ins/luminate.js';
import { startStandInSystem, type StandInSystem } from '../../src/stand-ins/harness.js';
import { allText, commandAnswer, expectNoSecretLeaked, type SlackMessageBody } from '../support/system.js';

// The bot against a stand-in as strict and as quirky as Luminate (see src/stand-ins/luminate.ts).
// Quirks whose handling is being changed (a byte-order mark, the string "null", XML numeric
// entities, empty answers, an errorResponse echoing the request) are shown on the wire in
// test/unit/stand-in-luminate.test.ts.

let system: StandInSystem;
let nextId = 5000;
beforeAll(async () => {
  system = await startStandInSystem();
});
afterAll(async () => {
  expectNoSecretLeaked(system);
  await system.stop();
});
beforeEach(() => {
  system.luminate.reset();
  system.luminate.emailMatch = 'case-insensitive';
  system.luminate.enforceOwnership = true;
  system.audit.length = 0;
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
