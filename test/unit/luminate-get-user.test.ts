import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LuminateClient } from '../../src/luminate/client.js';
import { LuminateApiError, LuminateBadResponseError, LuminateTimeoutError } from '../../src/luminate/errors.js';
import type { ConstituentIdentifier } from '../../src/luminate/lookup.js';
import { StandInLuminate } from '../../dev/stand-ins/luminate.js';
import { luminateFixture } from '../support/fixtures.js';
import { failure } from '../support/luminate-failure.js';

const credentials = { apiKey: 'test-api-key-123', loginName: 'bot-api-admin', loginPassword: 'test-password-456' };
const email = (address: string): ConstituentIdentifier => ({ kind: 'email', email: address });
const jane = email('jane@example.org');

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

type ConsAnswer = { getConsResponse: Record<string, unknown> };
const post = (body: string) => fetch(`${luminate.url}/SRConsAPI`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
const auth = `api_key=${credentials.apiKey}&login_name=${credentials.loginName}&login_password=${credentials.loginPassword}&v=1.0`;

describe('stand-in getUser speaks the documented wire format', () => {
  it('answers the documented getConsResponse in JSON', async () => {
    const response = await post(`${auth}&method=getUser&response_format=json&primary_email=jane@example.org`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(luminateFixture('getUser.json')));
  });

  it('answers XML by default, with a null title as xsi:nil', async () => {
    const xml = await (await post(`${auth}&method=getUser&cons_id=1001001`)).text();
    expect(xml).toContain('<getConsResponse xmlns="http://convio.com/crm/v1.0"');
    expect(xml).toContain('<title xsi:nil="true"/>');
    for (const [, tag, value] of luminateFixture('getUser.xml').matchAll(/<(\w+)>([^<]+)<\/\1>/g)) expect(xml).toContain(`<${tag}>${value}</${tag}>`);
  });

  it('gives only the fields asked for, and leaves a hidden name out and a null name null', async () => {
    const fields = 'fields=name.first,email.primary_address';
    expect(await (await post(`${auth}&method=getUser&response_format=json&cons_id=1001001&${fields}`)).json()).toEqual({
      getConsResponse: { cons_id: '1001001', name: { first: 'Jane' }, email: { primary_address: 'jane@example.org' } },
    });
    const hidden = await (await post(`${auth}&method=getUser&response_format=json&primary_email=hidden@example.org&${fields}`)).json() as ConsAnswer;
    expect(hidden.getConsResponse).not.toHaveProperty('name');
    const nameless = await (await post(`${auth}&method=getUser&response_format=json&primary_email=nameless@example.org&${fields}`)).json() as ConsAnswer;
    expect(nameless.getConsResponse.name).toBeNull();
  });

  it('is as strict as for getInteraction: POST, v=1.0, exact method names, credentials, one identifier', async () => {
    expect((await fetch(`${luminate.url}/SRConsAPI?method=getUser`)).status).toBe(405);
    const code = async (body: string) => ((await (await post(`${body}&response_format=json`)).json()) as { errorResponse: { code: string } }).errorResponse.code;
    expect(await code(auth.replace('&v=1.0', '') + '&method=getUser&cons_id=1001001')).toBe('10');
    expect(await code(`${auth}&method=getuser&cons_id=1001001`)).toBe('17');
    expect(await code(`api_key=wrong&login_name=x&login_password=y&v=1.0&method=getUser&cons_id=1001001`)).toBe('2');
    expect(await code(`${auth}&method=getUser`)).toBe('10');
    // Documented precedence: cons_id wins over an email nobody has.
    const first = await (await post(`${auth}&method=getUser&response_format=json&cons_id=1001001&primary_email=nobody@example.org`)).json() as ConsAnswer;
    expect(first.getConsResponse.cons_id).toBe('1001001');
  });
});

describe('LuminateClient.getUser', () => {
  it('asks only for the name and primary email, credentials in the POST body', async () => {
    expect(await client.getUser(jane)).toEqual({ consId: '1001001', firstName: 'Jane', lastName: 'Doe', email: 'jane@example.org' });
    const [seen] = luminate.requests;
    expect(seen).toMatchObject({ httpMethod: 'POST', apiMethod: 'getUser', primaryEmail: 'jane@example.org', queryParams: [], credentialsAccepted: true });
    expect(seen!.methodParams).toMatchObject({ v: '1.0', response_format: 'json', fields: 'name.first,name.last,email.primary_address' });
    expect(seen!.bodyParams).toEqual(expect.arrayContaining(['api_key', 'login_name', 'login_password']));
  });

  it('finds a donor by cons: and member: too', async () => {
    expect(await client.getUser({ kind: 'cons', consId: '1001010' })).toMatchObject({ firstName: 'Morgan', lastName: 'Manyfold' });
    expect(await client.getUser({ kind: 'member', memberId: 'JD-1001' })).toMatchObject({ consId: '1001001', firstName: 'Jane' });
    expect(luminate.requests.map((r) => [r.consId, r.memberId, r.primaryEmail])).toEqual([
      ['1001010', null, null],
      [null, 'JD-1001', null],
    ]);
  });

  it.each([
    ['hidden (missing)', 'hidden@example.org', '1001040'],
    ['null', 'nameless@example.org', '1001041'],
  ])('gives null names when the name is %s, never "null"', async (_what, address, consId) => {
    expect(await client.getUser(email(address))).toEqual({ consId, firstName: null, lastName: null, email: address });
  });

  it('treats the string "null", missing parts and blank names as no value', async () => {
    luminate.fault = { kind: 'null_strings' };
    expect(await client.getUser(jane)).toEqual({ consId: '1001001', firstName: null, lastName: null, email: null });
    luminate.fault = { kind: 'absent_fields' };
    expect(await client.getUser(jane)).toEqual({ consId: '1001001', firstName: null, lastName: null, email: null });
    luminate.fault = { kind: 'null_fields', fields: ['name.last'] };
    expect(await client.getUser(jane)).toEqual({ consId: '1001001', firstName: 'Jane', lastName: null, email: 'jane@example.org' });
    luminate.fault = { kind: 'status', status: 200, body: '{"getConsResponse":{"cons_id":"1001001","name":{"first":"  ","last":"Doe"},"email":""}}' };
    expect(await client.getUser(jane)).toEqual({ consId: '1001001', firstName: null, lastName: 'Doe', email: null });
  });

  it('reads an answer after a byte-order mark', async () => {
    luminate.fault = { kind: 'bom' };
    expect(await client.getUser(jane)).toMatchObject({ firstName: 'Jane' });
  });

  it('maps an unknown donor and a shared email to the same typed errors as getInteraction', async () => {
    expect(await failure(client.getUser(email('nobody@example.org')))).toMatchObject({ code: '16', reason: 'no_constituent' });
    expect(await failure(client.getUser(email('family@example.org')))).toMatchObject({ code: '8', reason: 'ambiguous' });
  });

  it('reads an XML errorResponse, and never keeps the credentials Luminate echoes', async () => {
    luminate.fault = { kind: 'xml_error_entities', code: '16' };
    expect(await failure(client.getUser(jane))).toMatchObject({ code: '16', reason: 'no_constituent' });
    luminate.fault = { kind: 'echoing_error' };
    const echoed = (await failure(client.getUser(jane))) as LuminateApiError;
    expect(echoed.luminateMessage).not.toContain(credentials.apiKey);
    expect(echoed.luminateMessage).not.toContain(credentials.loginPassword);
    expect(echoed.luminateMessage).not.toContain('jane@example.org');
  });

  it.each([
    ['getConsResponse ""', 'empty_response' as const],
    ['{}', 'empty_object' as const],
  ])('treats an empty answer (%s) as not visible', async (_what, shape) => {
    luminate.fault = { kind: 'empty_answer', shape };
    expect((await failure(client.getUser(jane))).kind).toBe('not_visible');
  });

  it('gives all nulls when every field is hidden from the service account', async () => {
    luminate.fault = { kind: 'empty_answer', shape: 'missing' };
    expect(await client.getUser(jane)).toEqual({ consId: null, firstName: null, lastName: null, email: null });
  });

  it('refuses an answer about another constituent, and one of the wrong shape', async () => {
    luminate.fault = { kind: 'status', status: 200, body: '{"getConsResponse":{"cons_id":"1001002","name":{"first":"Alex"}}}' };
    expect(await failure(client.getUser({ kind: 'cons', consId: '1001001' }))).toMatchObject({ problem: 'mismatch' });
    luminate.fault = { kind: 'status', status: 200, body: '{"getConsResponse":{"cons_id":"1001001","name":"Jane Doe"}}' };
    const wrong = await failure(client.getUser(jane));
    expect(wrong).toBeInstanceOf(LuminateBadResponseError);
    expect(wrong.message).toMatch(/not a getUser response/);
  });

  it('stays within the budget when Luminate hangs', async () => {
    luminate.fault = { kind: 'hang' };
    const quick = new LuminateClient({ url: luminate.url, ...credentials, timeoutMs: 300, maxConnections: 1 });
    expect(await failure(quick.getUser(jane))).toBeInstanceOf(LuminateTimeoutError);
    await quick.close({ force: true });
  });
});
