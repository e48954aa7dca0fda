import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENTITY_ERROR_MESSAGE, StandInLuminate, type LuminateFault } from '../../dev/stand-ins/luminate.js';
import { luminateFixture } from '../support/fixtures.js';

// The stand-in on the wire, without the bot: what each strictness rule and each quirk puts on the wire.
// Tests through the bot rely on these; the bot's client is not involved here.

const credentials = { apiKey: 'test-api-key-123', loginName: 'bot-api-admin', loginPassword: 'test-password-456' };
const auth = `api_key=${credentials.apiKey}&login_name=${credentials.loginName}&login_password=${credentials.loginPassword}`;
const lookup = `${auth}&v=1.0&method=getInteraction&response_format=json&interaction_id=1000&primary_email=jane@example.org`;
const FORM = 'application/x-www-form-urlencoded; charset=UTF-8';

let luminate: StandInLuminate;
beforeAll(async () => {
  luminate = await StandInLuminate.start(credentials);
});
afterAll(() => luminate.close());
beforeEach(() => {
  luminate.reset();
  luminate.emailMatch = 'case-insensitive';
  luminate.enforceOwnership = true;
});

async function call(body: string, { method = 'POST', contentType = FORM, query = '' }: { method?: string; contentType?: string; query?: string } = {}) {
  const response = await request(`${luminate.url}/SRConsAPI${query}`, {
    method: method as 'POST',
    headers: { 'content-type': contentType },
    ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
  });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const text = bytes.toString('utf8');
  // Tests walk the answer's nested shape freely; a wrong path fails the assertion that reads it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.statusCode, headers: response.headers, bytes, text, json: () => JSON.parse(text) as Record<string, any> };
}

const errorCode = (text: string) => /<code>(\d+)<\/code>/.exec(text)?.[1] ?? (JSON.parse(text) as { errorResponse: { code: string } }).errorResponse.code;

describe('strict where Luminate is documented', () => {
  it.each(['GET', 'PUT', 'DELETE'])('answers %s with 405', async (method) => {
    expect((await call(lookup, { method })).status).toBe(405);
  });

  it.each([
    ['JSON', 'application/json', JSON.stringify(Object.fromEntries(new URLSearchParams(lookup)))],
    ['text/plain (form-encoded inside)', 'text/plain', lookup],
    ['multipart', 'multipart/form-data; boundary=x', lookup],
  ])('does not read a %s body: the credentials never arrive (code 2, in XML)', async (_what, contentType, body) => {
    const answer = await call(body, { contentType });
    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toMatch(/text\/xml/);
    expect(errorCode(answer.text)).toBe('2');
    expect(luminate.requests[0]!.credentialsAccepted).toBe(false);
  });

  it('reads a form body with or without a charset', async () => {
    expect((await call(lookup, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
    expect((await call(lookup, { contentType: FORM })).status).toBe(200);
  });

  it('reads the query string as a servlet does (which is why the client must not use it)', async () => {
    const answer = await call('', { query: `?${lookup}` });
    expect(answer.status).toBe(200);
    expect(luminate.requests[0]!.queryParams).toContain('login_password');
  });

  it('requires v=1.0: missing is code 10, another version code 1', async () => {
    const withoutV = lookup.replace('&v=1.0', '');
    expect([await call(withoutV).then((a) => [a.status, errorCode(a.text)])]).toEqual([[403, '10']]);
    expect([await call(`${withoutV}&v=`).then((a) => [a.status, errorCode(a.text)])]).toEqual([[403, '10']]);
    expect([await call(`${withoutV}&v=2.0`).then((a) => [a.status, errorCode(a.text)])]).toEqual([[403, '1']]);
    expect([await call(`${withoutV}&v=1`).then((a) => [a.status, errorCode(a.text)])]).toEqual([[403, '1']]);
  });

  it('treats method names as case-sensitive (code 17)', async () => {
    for (const method of ['getinteraction', 'GetInteraction', 'GETINTERACTION']) {
      expect(errorCode((await call(lookup.replace('method=getInteraction', `method=${method}`))).text)).toBe('17');
    }
  });

  it('answers XML unless response_format is json', async () => {
    const xml = await call(lookup.replace('&response_format=json', ''));
    expect(xml.headers['content-type']).toMatch(/text\/xml/);
    expect(xml.text).toMatch(/^<\?xml[^>]*>\s*<getInteractionResponse /);
    expect((await call(lookup.replace('response_format=json', 'response_format=xml'))).text).toMatch(/^<\?xml/);
  });
});

describe('the unconfirmed behaviours, switchable', () => {
  it.each([
    ['case-insensitive', 'JANE@Example.ORG', 200],
    ['case-insensitive', 'jane@example.org', 200],
    ['exact', 'JANE@Example.ORG', 403],
    ['exact', 'jane@example.org', 200],
  ] as const)('emailMatch %s: %s gets %d', async (mode, email, status) => {
    luminate.emailMatch = mode;
    const answer = await call(lookup.replace('jane@example.org', encodeURIComponent(email)));
    expect(answer.status).toBe(status);
    if (status === 403) expect(errorCode(answer.text)).toBe('16');
  });

  it('emailMatch is also a start option', async () => {
    const exact = await StandInLuminate.start({ ...credentials, emailMatch: 'exact', enforceOwnership: false });
    try {
      expect([exact.emailMatch, exact.enforceOwnership]).toEqual(['exact', false]);
    } finally {
      await exact.close();
    }
  });

  it("enforceOwnership: another donor's interaction is code 27 when on, the interaction itself when off", async () => {
    const theirs = `${auth}&v=1.0&method=getInteraction&response_format=json&interaction_id=1000&cons_id=1001002`;
    expect(errorCode((await call(theirs)).text)).toBe('27');
    luminate.enforceOwnership = false;
    const answer = await call(theirs);
    expect(answer.status).toBe(200);
    // Interaction 1000 belongs to 1001001: an answer the bot must not show under 1001002.
    expect(answer.json().getInteractionResponse.interaction).toMatchObject({ interactionId: '1000', consId: '1001001' });
    // The donor must still exist.
    expect(errorCode((await call(theirs.replace('1001002', '999'))).text)).toBe('16');
  });
});

describe('quirks on demand', () => {
  const documented = JSON.parse(luminateFixture('getInteraction.json')) as { getInteractionResponse: { interaction: Record<string, unknown> } };
  const answerWith = async (fault: LuminateFault, body = lookup) => {
    luminate.fault = fault;
    return call(body);
  };

  it('absent_fields leaves the fields out, the rest as documented', async () => {
    const interaction = (await answerWith({ kind: 'absent_fields', fields: ['subject', 'note'] })).json().getInteractionResponse.interaction;
    const { subject: _s, note: _n, ...rest } = documented.getInteractionResponse.interaction;
    expect(interaction).toEqual(rest);
    const all = (await answerWith({ kind: 'absent_fields' })).json().getInteractionResponse.interaction;
    expect(Object.keys(all)).not.toContain('creationDate');
  });

  it('null_fields sends null in JSON and xsi:nil in XML', async () => {
    const interaction = (await answerWith({ kind: 'null_fields', fields: ['subject', 'note'] })).json().getInteractionResponse.interaction;
    expect(interaction).toMatchObject({ subject: null, note: null, interactionId: '1000' });
    const xml = (await answerWith({ kind: 'null_fields', fields: ['subject'] }, lookup.replace('&response_format=json', ''))).text;
    expect(xml).toContain('<subject xsi:nil="true"/>');
  });

  it('null_strings sends the string "null"', async () => {
    const interaction = (await answerWith({ kind: 'null_strings' })).json().getInteractionResponse.interaction;
    expect(interaction).toMatchObject({ subject: 'null', creationDate: 'null', createdBy: 'null', interactionTypeId: 'null', interactionId: '1000' });
    expect(interaction.note).toMatchObject({ text: 'Lorem ipsum dolor sit amet, consetetur sadipscing' });
  });

  it('one_item_list sends the interaction and its note as one-item arrays, or as bare objects', async () => {
    const array = (await answerWith({ kind: 'one_item_list', as: 'array' })).json().getInteractionResponse.interaction;
    expect(Array.isArray(array)).toBe(true);
    expect(array).toHaveLength(1);
    expect(array[0]).toMatchObject({ interactionId: '1000', note: [{ noteId: '1000' }] });
    const object = (await answerWith({ kind: 'one_item_list', as: 'object' })).json();
    expect(object).toEqual(documented);
  });

  it('bom puts a UTF-8 byte-order mark before the JSON answer and before an errorResponse', async () => {
    const answer = await answerWith({ kind: 'bom' });
    expect([...answer.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(() => JSON.parse(answer.text)).toThrow();
    expect(JSON.parse(answer.text.slice(1))).toEqual(documented);
    const error = await answerWith({ kind: 'bom' }, lookup.replace('jane@', 'nobody@'));
    expect(error.status).toBe(403);
    expect(error.text.charCodeAt(0)).toBe(0xfeff);
    expect(JSON.parse(error.text.slice(1))).toEqual(JSON.parse(luminateFixture('error-no-match.json')));
  });

  it.each([
    ['missing', { getInteractionResponse: {} }],
    ['null', { getInteractionResponse: { interaction: null } }],
    ['empty_list', { getInteractionResponse: { interaction: [] } }],
    ['empty_response', { getInteractionResponse: '' }],
    ['empty_object', {}],
  ] as const)('empty_answer %s is a 200 holding no interaction', async (shape, body) => {
    const answer = await answerWith({ kind: 'empty_answer', shape });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual(body);
  });

  it('redirect answers a 3xx with a Location and nothing to follow it with', async () => {
    const answer = await answerWith({ kind: 'redirect' });
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe('https://secure3.convio.net/yourorg/site/SRConsAPI');
    const custom = await answerWith({ kind: 'redirect', status: 301, location: 'https://donate.example.org/site/SRConsAPI' });
    expect([custom.status, custom.headers.location]).toEqual([301, 'https://donate.example.org/site/SRConsAPI']);
  });

  it('firewall answers a 403 HTML page with no errorResponse', async () => {
    const answer = await answerWith({ kind: 'firewall' });
    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toMatch(/text\/html/);
    expect(answer.text).toMatch(/^<!DOCTYPE html>.*Access Denied/s);
    expect(answer.text).not.toMatch(/errorResponse|<code>/);
  });

  it('xml_error_entities spells non-ASCII and apostrophes as numeric references, even when JSON was asked for', async () => {
    const answer = await answerWith({ kind: 'xml_error_entities' });
    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toMatch(/text\/xml/);
    expect(answer.text).toContain('<code>16</code>');
    expect(answer.text).toContain("<message>Aucun enregistrement ne correspond &#224; l&#39;adresse &#171; &#233; &#187;</message>");
    expect(answer.text).not.toMatch(/[\u0080-\u{10FFFF}]/u);
    const decoded = /<message>(.*)<\/message>/.exec(answer.text)![1]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
    expect(decoded).toBe(ENTITY_ERROR_MESSAGE);
    const custom = await answerWith({ kind: 'xml_error_entities', code: '27', message: 'Zoë' });
    expect(custom.text).toContain('<code>27</code>');
    expect(custom.text).toContain('<message>Zo&#235;</message>');
  });

  it('echoing_error answers an errorResponse whose message holds the API key, the password and the email sent', async () => {
    const answer = await answerWith({ kind: 'echoing_error' });
    expect(answer.status).toBe(403);
    const { errorResponse } = answer.json();
    expect(errorResponse.code).toBe('1');
    for (const sent of [credentials.apiKey, credentials.loginPassword, credentials.loginName, 'jane@example.org']) expect(errorResponse.message).toContain(sent);
    expect((await answerWith({ kind: 'echoing_error', code: '22' })).json().errorResponse.code).toBe('22');
  });

  it('a quirk in nextFaults applies to one request only', async () => {
    luminate.nextFaults.push({ kind: 'null_strings' });
    expect((await call(lookup)).json().getInteractionResponse.interaction.subject).toBe('null');
    expect((await call(lookup)).json()).toEqual(documented);
  });
});
