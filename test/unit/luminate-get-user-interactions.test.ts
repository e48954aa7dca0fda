import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LuminateClient, type InteractionListQuery, type InteractionSummary } from '../../src/luminate/client.js';
import { LuminateCircuitOpenError, LuminateUnavailableError } from '../../src/luminate/errors.js';
import type { ConstituentIdentifier } from '../../src/luminate/lookup.js';
import { StandInLuminate } from '../../dev/stand-ins/luminate.js';
import { MANY_COUNT } from '../../dev/stand-ins/sample-data.js';
import { luminateFixture } from '../support/fixtures.js';
import { failure } from '../support/luminate-failure.js';

const credentials = { apiKey: 'test-api-key-123', loginName: 'bot-api-admin', loginPassword: 'test-password-456' };
const email = (address: string): ConstituentIdentifier => ({ kind: 'email', email: address });
const many = email('many@example.org');
const page = (identifier: ConstituentIdentifier, rest: Partial<InteractionListQuery> = {}): InteractionListQuery => ({ identifier, pageSize: 11, offset: 0, ...rest });

let luminate: StandInLuminate;
let client: LuminateClient;

beforeAll(async () => {
  luminate = await StandInLuminate.start(credentials);
  client = new LuminateClient({ url: luminate.url, ...credentials, timeoutMs: 1000, maxConnections: 4 }, { retryDelayMs: 10, breakerThreshold: 1_000_000 });
});
afterAll(async () => {
  await client.close();
  await luminate.close();
});
beforeEach(() => luminate.reset());

const post = (body: string) => fetch(`${luminate.url}/SRConsAPI`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
const auth = `api_key=${credentials.apiKey}&login_name=${credentials.loginName}&login_password=${credentials.loginPassword}&v=1.0`;
const at = (i: InteractionSummary) => Date.parse(i.creationDate!);

describe('stand-in getUserInteractions speaks the documented wire format', () => {
  it('answers an array for several, an object for one, and no interaction key for none', async () => {
    const list = async (query: string) => (await (await post(`${auth}&method=getUserInteractions&response_format=json&${query}`)).json()) as Record<string, unknown>;
    const several = (await list('primary_email=jane@example.org&list_ascending=false&list_page_size=2')) as { getUserInteractionsResponse: { interaction: unknown[] } };
    expect(Array.isArray(several.getUserInteractionsResponse.interaction)).toBe(true);
    expect(several.getUserInteractionsResponse.interaction).toHaveLength(2);
    expect(await list('primary_email=one@example.org')).toEqual(JSON.parse(luminateFixture('getUserInteractions-one.json')));
    expect(await list('primary_email=none@example.org')).toEqual(JSON.parse(luminateFixture('getUserInteractions-none.json')));
  });

  it('leaves notes out of standard (type 0) interactions and keeps them for custom types', async () => {
    const body = (await (await post(`${auth}&method=getUserInteractions&response_format=json&cons_id=1001010&list_page_size=4`)).json()) as {
      getUserInteractionsResponse: { interaction: Record<string, unknown>[] };
    };
    const items = body.getUserInteractionsResponse.interaction;
    expect(items.filter((i) => i.interactionTypeId === '0').every((i) => !('note' in i))).toBe(true);
    expect(items.filter((i) => i.interactionTypeId !== '0').every((i) => 'note' in i)).toBe(true);
  });

  it('pages with list_page_offset as well as list_record_offset, 25 rows by default', async () => {
    const ids = async (query: string) =>
      ((await (await post(`${auth}&method=getUserInteractions&response_format=json&cons_id=1001010&${query}`)).json()) as { getUserInteractionsResponse: { interaction: { interactionId: string }[] } })
        .getUserInteractionsResponse.interaction.map((i) => i.interactionId);
    expect(await ids('')).toHaveLength(25);
    expect(await ids('list_page_size=5&list_page_offset=2')).toEqual(['2010', '2011', '2012', '2013', '2014']);
    expect(await ids('list_page_size=5&list_record_offset=2')).toEqual(['2002', '2003', '2004', '2005', '2006']);
    const bySubject = await (await post(`${auth}&method=getUserInteractions&response_format=json&cons_id=1001010&interaction_subject=CONTACT%2012%20`)).json();
    expect(bySubject).toMatchObject({ getUserInteractionsResponse: { interaction: { interactionId: '2011' } } });
  });

  it('answers XML by default: repeated interaction elements', async () => {
    const xml = await (await post(`${auth}&method=getUserInteractions&cons_id=1001010&list_page_size=3`)).text();
    expect(xml).toContain('<getUserInteractionsResponse xmlns="http://convio.com/crm/v1.0"');
    expect(xml.match(/<interaction>/g)).toHaveLength(3);
    const none = await (await post(`${auth}&method=getUserInteractions&primary_email=none@example.org`)).text();
    expect(none).not.toContain('<interaction>');
  });

  it('is strict: v=1.0, exact method names, an identifier, readable paging and dates (code 1 otherwise)', async () => {
    const code = async (body: string) => ((await (await post(`${body}&response_format=json`)).json()) as { errorResponse: { code: string } }).errorResponse.code;
    expect(await code(`${auth.replace('&v=1.0', '&v=2.0')}&method=getUserInteractions&cons_id=1001010`)).toBe('1');
    expect(await code(`${auth}&method=getuserinteractions&cons_id=1001010`)).toBe('17');
    expect(await code(`${auth}&method=getUserInteractions`)).toBe('10');
    expect(await code(`${auth}&method=getUserInteractions&cons_id=1001010&list_page_size=ten`)).toBe('1');
    expect(await code(`${auth}&method=getUserInteractions&cons_id=1001010&begin_date=yesterday`)).toBe('1');
  });
});

describe('LuminateClient.getUserInteractions', () => {
  it('asks for a page newest first, with list_page_size and list_record_offset, and returns items without notes', async () => {
    const items = await client.getUserInteractions(page(many));
    expect(items).toHaveLength(11);
    expect(items[0]).toMatchObject({ interactionId: String(2000 + MANY_COUNT - 1), consId: '1001010' });
    expect(items.every((i) => !('note' in i))).toBe(true);
    for (let i = 1; i < items.length; i += 1) expect(at(items[i - 1]!)).toBeGreaterThan(at(items[i]!));
    expect(luminate.requests[0]!.methodParams).toMatchObject({
      method: 'getUserInteractions',
      v: '1.0',
      response_format: 'json',
      primary_email: 'many@example.org',
      list_page_size: '11',
      list_record_offset: '0',
      list_ascending: 'false',
    });
    expect(luminate.requests[0]!.queryParams).toEqual([]);
  });

  it('pages through a donor with a few hundred interactions, each once, newest first', async () => {
    const seen: InteractionSummary[] = [];
    for (let offset = 0; ; offset += 10) {
      // One more row than shown tells whether an older page exists.
      const rows = await client.getUserInteractions(page(many, { offset }));
      seen.push(...rows.slice(0, 10));
      if (rows.length <= 10) break;
    }
    expect(seen).toHaveLength(MANY_COUNT);
    expect(new Set(seen.map((i) => i.interactionId)).size).toBe(MANY_COUNT);
    for (let i = 1; i < seen.length; i += 1) expect(at(seen[i - 1]!)).toBeGreaterThan(at(seen[i]!));
    expect(luminate.callCount('getUserInteractions')).toBe(MANY_COUNT / 10);
  });

  it('gives the oldest first when asked', async () => {
    const [oldest] = await client.getUserInteractions(page(many, { newestFirst: false, pageSize: 1 }));
    expect(oldest!.interactionId).toBe('2000');
    expect(luminate.requests[0]!.methodParams.list_ascending).toBe('true');
  });

  it('normalises one interaction (an object on the wire, or a one-item array) and none (missing) to arrays', async () => {
    expect(await client.getUserInteractions(page(email('one@example.org')))).toEqual([
      { interactionId: '3100', typeId: '0', categoryId: '0', consId: '1001021', createdBy: '1001021', creationDate: '2022-09-09T09:09:09.000-05:00', subject: 'Only interaction' },
    ]);
    luminate.fault = { kind: 'one_item_list', as: 'array' };
    expect(await client.getUserInteractions(page(email('one@example.org')))).toHaveLength(1);
    luminate.fault = null;
    expect(await client.getUserInteractions(page(email('none@example.org')))).toEqual([]);
  });

  it.each(['missing', 'null', 'empty_list', 'empty_response', 'empty_object'] as const)('reads an empty answer (%s) as no interactions', async (shape) => {
    luminate.fault = { kind: 'empty_answer', shape };
    expect(await client.getUserInteractions(page(many))).toEqual([]);
  });

  it('never shows "null" and tolerates missing fields in rows', async () => {
    luminate.fault = { kind: 'null_strings' };
    const [row] = await client.getUserInteractions(page(email('one@example.org')));
    expect(row).toMatchObject({ subject: null, creationDate: null, createdBy: null, typeId: null });
    luminate.fault = { kind: 'absent_fields' };
    const [bare] = await client.getUserInteractions(page(email('one@example.org')));
    expect(bare).toMatchObject({ interactionId: '3100', subject: null, creationDate: null });
  });

  it('sends the filters Luminate supports, and gets only what they match', async () => {
    const since = '2021-01-01T00:00:00Z';
    const until = '2021-12-31T23:59:59Z';
    const rows = await client.getUserInteractions(page(many, { pageSize: 100, since, until, typeId: 2 }));
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      expect(row.typeId).toBe('2');
      expect(at(row)).toBeGreaterThanOrEqual(Date.parse(since));
      expect(at(row)).toBeLessThanOrEqual(Date.parse(until));
    }
    expect(luminate.requests[0]!.methodParams).toMatchObject({ begin_date: since, end_date: until, interaction_type_id: '2' });
    // A date alone is a valid xsd:dateTime prefix for Luminate's filter.
    await client.getUserInteractions(page(many, { since: '2025-01-01' }));
    expect(luminate.requests[1]!.methodParams.begin_date).toBe('2025-01-01');
  });

  it.each([
    ['a page size of 0', { pageSize: 0 }],
    ['a page size over the cap', { pageSize: 1000 }],
    ['a negative offset', { offset: -1 }],
    ['a date that is not ISO 8601', { since: '01/02/2025' }],
    ['a date with text after it', { until: '2025-01-01&api_key=x' }],
    ['a negative type id', { typeId: -1 }],
  ])('throws on %s without calling Luminate', async (_what, rest) => {
    await expect(client.getUserInteractions(page(many, rest))).rejects.toBeInstanceOf(RangeError);
    expect(luminate.requests).toHaveLength(0);
  });

  it('maps an unknown donor and a shared email to the same typed errors as getInteraction', async () => {
    const unknown = await failure(client.getUserInteractions(page(email('nobody@example.org'))));
    expect(unknown).toMatchObject({ code: '16', reason: 'no_constituent' });
    expect(await failure(client.getUserInteractions(page(email('family@example.org'))))).toMatchObject({ code: '8', reason: 'ambiguous' });
    luminate.fault = { kind: 'xml_error_entities', code: '16' };
    expect(await failure(client.getUserInteractions(page(many)))).toMatchObject({ code: '16', reason: 'no_constituent' });
  });

  it("refuses a list of another constituent's interactions for a cons: question", async () => {
    const body = JSON.stringify({ getUserInteractionsResponse: { interaction: { interactionId: '1000', consId: '1001001' } } });
    luminate.fault = { kind: 'status', status: 200, body };
    expect(await failure(client.getUserInteractions(page({ kind: 'cons', consId: '1001010' })))).toMatchObject({ problem: 'mismatch' });
  });

  it('retries a fast transient failure, like any read', async () => {
    luminate.nextFaults.push({ kind: 'status', status: 503 });
    expect(await client.getUserInteractions(page(many))).toHaveLength(11);
    expect(luminate.callCount('getUserInteractions')).toBe(2);
  });

  it('shares one circuit breaker with the other methods: Luminate down for lists is down for cards', async () => {
    const fragile = new LuminateClient({ url: luminate.url, ...credentials, timeoutMs: 1000, maxConnections: 2 }, { maxAttempts: 1, breakerThreshold: 2, breakerCooldownMs: 60_000 });
    luminate.fault = { kind: 'status', status: 500 };
    expect(await failure(fragile.getUserInteractions(page(many)))).toBeInstanceOf(LuminateUnavailableError);
    expect(await failure(fragile.getUser(many))).toBeInstanceOf(LuminateUnavailableError);
    luminate.fault = null;
    const before = luminate.requests.length;
    expect(await failure(fragile.getInteraction({ interactionId: 1000, identifier: email('jane@example.org') }))).toBeInstanceOf(LuminateCircuitOpenError);
    expect(luminate.requests.length).toBe(before);
    await fragile.close();
  });
});
