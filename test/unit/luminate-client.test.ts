import { describe, expect, it } from 'vitest';
import { LuminateClient } from '../../src/luminate/client.js';
import {
  LuminateApiError,
  LuminateBadResponseError,
  LuminateCircuitOpenError,
  LuminateTimeoutError,
  LuminateUnavailableError,
} from '../../src/luminate/errors.js';
import type { InteractionRequest } from '../../src/luminate/identifiers.js';
import { luminateFixture } from '../support/fixtures.js';
import { CREDENTIALS as credentials, failure, useStandInLuminate } from '../support/luminate.js';

const jane: InteractionRequest = { interactionId: 1000, identifier: { kind: 'email', email: 'jane@example.org' } };

const { luminate, client, clientFor, post, auth } = useStandInLuminate();

describe('stand-in SRConsAPI speaks the documented wire format', () => {
  it('answers the documented getInteraction example in JSON, byte for byte in structure and order', async () => {
    const response = await post(`${auth}&method=getInteraction&response_format=json&interaction_id=1000&primary_email=jane@example.org`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual(JSON.parse(luminateFixture('getInteraction.json')));
    expect(text).toBe(JSON.stringify(JSON.parse(luminateFixture('getInteraction.json'))));
  });

  it('answers errors as documented: 403 with errorResponse, JSON or XML', async () => {
    const json = await post(`${auth}&method=getInteraction&response_format=json&interaction_id=1000&primary_email=nobody@example.org`);
    expect(json.status).toBe(403);
    expect(await json.json()).toEqual(JSON.parse(luminateFixture('error-no-match.json')));
    const xml = await post(`${auth}&method=getInteraction&interaction_id=1000&primary_email=nobody@example.org`);
    expect(xml.status).toBe(403);
    const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();
    expect(normalise(await xml.text())).toBe(normalise(luminateFixture('error-no-match.xml')));
  });

  it('serves the XML form of getInteraction by default, with every documented field', async () => {
    const xml = await (await post(`${auth}&method=getInteraction&interaction_id=1000&cons_id=1001001`)).text();
    for (const [, tag, value] of luminateFixture('getInteraction.xml').matchAll(/<(\w+)>([^<]+)<\/\1>/g)) {
      expect(xml).toContain(`<${tag}>${value}</${tag}>`);
    }
  });

  it('returns status 200 for errors under suppress_response_codes, and 405 for GET', async () => {
    const suppressed = await post(`api_key=wrong&method=getInteraction&response_format=json&suppress_response_codes=true`);
    expect(suppressed.status).toBe(200);
    expect(await suppressed.json()).toEqual(JSON.parse(luminateFixture('error-bad-api-key.json')));
    expect((await fetch(`${luminate.url}/SRConsAPI`)).status).toBe(405);
  });
});

describe('LuminateClient request', () => {
  it('POSTs a form to SRConsAPI with credentials only in the body and asks for JSON', async () => {
    await client.getInteraction(jane);
    const [seen] = luminate.requests;
    expect(seen).toMatchObject({
      httpMethod: 'POST',
      path: '/yourorg/site/SRConsAPI',
      contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
      apiMethod: 'getInteraction',
      interactionId: '1000',
      primaryEmail: 'jane@example.org',
      consId: null,
      memberId: null,
      responseFormat: 'json',
      credentialsAccepted: true,
      queryParams: [],
    });
    expect(seen!.bodyParams.sort()).toEqual(
      ['api_key', 'interaction_id', 'login_name', 'login_password', 'method', 'primary_email', 'response_format', 'v'].sort(),
    );
  });

  it('sends cons_id or member_id for those identifiers', async () => {
    await client.getInteraction({ interactionId: 1000, identifier: { kind: 'cons', consId: '1001001' } });
    await client.getInteraction({ interactionId: 1000, identifier: { kind: 'member', memberId: 'JD-1001' } });
    expect(luminate.requests.map((r) => [r.consId, r.memberId, r.primaryEmail])).toEqual([
      ['1001001', null, null],
      [null, 'JD-1001', null],
    ]);
  });
});

describe('LuminateClient answers', () => {
  it('turns the documented response into an Interaction', async () => {
    expect(await client.getInteraction(jane)).toEqual({
      interactionId: '1000',
      typeId: '1',
      categoryId: '0',
      consId: '1001001',
      createdBy: '1001001',
      creationDate: '2016-02-01T09:43:35.159-06:00',
      subject: 'Sample Subject',
      note: {
        type: 'comment',
        text: 'Lorem ipsum dolor sit amet, consetetur sadipscing',
        createdBy: '1001001',
        creationDate: '2016-02-01T09:43:35.159-06:00',
        modifiedBy: '1001001',
        modifiedDate: '2016-02-01T09:43:35.159-06:00',
      },
    });
  });

  it('accepts an interaction without a note, a note list, numbers and nulls', async () => {
    expect((await client.getInteraction({ interactionId: 1001, identifier: { kind: 'member', memberId: 'JD-1001' } })).note).toBeNull();
    luminate.fault = {
      kind: 'status',
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        getInteractionResponse: {
          interaction: [{ interactionId: 1000, subject: null, extra: { x: 1 }, note: [{ text: 'first' }, { text: 'second' }] }],
        },
      }),
    };
    expect(await client.getInteraction(jane)).toMatchObject({ interactionId: '1000', subject: null, consId: null, note: { text: 'first', type: null } });
  });

  it.each([
    ['2', 'bad_api_key'],
    ['3', 'login_rejected'],
    ['4', 'ip_not_allowed'],
    ['8', 'ambiguous'],
    ['14', 'not_permitted'],
    ['16', 'no_constituent'],
    ['27', 'not_found'],
    ['1', 'cannot_process'],
    ['999', 'other'],
  ])('errorResponse code %s becomes LuminateApiError (%s)', async (code, reason) => {
    luminate.fault = { kind: 'error', code, message: 'Documented words' };
    const error = await failure(client.getInteraction(jane));
    expect(error).toBeInstanceOf(LuminateApiError);
    expect(error).toMatchObject({ code, reason, luminateMessage: 'Documented words' });
  });

  it('reports wrong credentials, not-found and shared emails from real checks', async () => {
    const wrongKey = clientFor({ apiKey: 'nope' });
    const wrongPassword = clientFor({ loginPassword: 'nope' });
    expect(await failure(wrongKey.getInteraction(jane))).toMatchObject({ code: '2', reason: 'bad_api_key' });
    expect(await failure(wrongPassword.getInteraction(jane))).toMatchObject({ code: '3', reason: 'login_rejected' });
    expect(await failure(client.getInteraction({ ...jane, interactionId: 4242 }))).toMatchObject({ reason: 'not_found' });
    expect(await failure(client.getInteraction({ interactionId: 1, identifier: { kind: 'email', email: 'family@example.org' } }))).toMatchObject({
      code: '8',
      reason: 'ambiguous',
    });
    await Promise.all([wrongKey.close(), wrongPassword.close()]);
  });

  it('reads an XML errorResponse when the answer comes back as XML', async () => {
    luminate.fault = { kind: 'status', status: 403, contentType: 'text/xml', body: luminateFixture('error-no-match.xml') };
    expect(await failure(client.getInteraction(jane))).toMatchObject({
      code: '16',
      reason: 'no_constituent',
      luminateMessage: 'Cannot access the user because no records match the search criteria.',
    });
  });

  it.each([
    ['an HTML maintenance page', { kind: 'html' } as const, LuminateBadResponseError, /HTML/],
    ['truncated JSON', { kind: 'malformed' } as const, LuminateBadResponseError, /not valid JSON/],
    ['JSON of the wrong shape', { kind: 'wrong_shape' } as const, LuminateBadResponseError, /not a getInteraction response/],
    // Only `{}` is an empty answer; an object with other keys but no getInteractionResponse is not Luminate's.
    ['JSON without getInteractionResponse', { kind: 'status', status: 200, body: '{"interaction":{"interactionId":"1000"}}' } as const, LuminateBadResponseError, /not a getInteraction response/],
    ['HTTP 500', { kind: 'status', status: 500 } as const, LuminateUnavailableError, /HTTP 500/],
    ['HTTP 503 with HTML', { kind: 'status', status: 503, contentType: 'text/html', body: '<html>down</html>' } as const, LuminateUnavailableError, /503/],
    ['HTTP 404 (wrong LUMINATE_URL)', { kind: 'status', status: 404 } as const, LuminateBadResponseError, /404/],
    ['an empty 200', { kind: 'status', status: 200, body: '' } as const, LuminateBadResponseError, /empty/],
    ['a connection reset', { kind: 'reset' } as const, LuminateUnavailableError, /Could not reach Luminate/],
  ])('%s becomes a typed error', async (_what, fault, type, message) => {
    luminate.fault = fault;
    const error = await failure(client.getInteraction(jane));
    expect(error).toBeInstanceOf(type);
    expect(error.message).toMatch(message);
  });

  it('gives up on a request that never answers after timeoutMs', async () => {
    luminate.fault = { kind: 'hang' };
    const quick = clientFor({ timeoutMs: 300 });
    const started = performance.now();
    const error = await failure(quick.getInteraction(jane));
    expect(error).toBeInstanceOf(LuminateTimeoutError);
    expect(performance.now() - started).toBeLessThan(2000);
    await quick.close();
  });

  it('reports a refused connection as unavailable', async () => {
    const nowhere = new LuminateClient({ url: 'http://127.0.0.1:1/org/site', ...credentials, timeoutMs: 1000, maxConnections: 1 });
    expect(await failure(nowhere.getInteraction(jane))).toBeInstanceOf(LuminateUnavailableError);
    await nowhere.close();
  });

  it('keeps at most maxConnections requests in flight and reuses connections', async () => {
    luminate.latencyMs = 40;
    const before = luminate.connectionsOpened;
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.getInteraction({ ...jane, interactionId: 1000 + (i % 4) })));
    expect(luminate.lookupCount).toBe(20);
    expect(luminate.maxInFlight).toBeLessThanOrEqual(4);
    expect(luminate.maxInFlight).toBeGreaterThan(1);
    expect(luminate.connectionsOpened - before).toBeLessThanOrEqual(4);
  });
});

describe('LuminateClient on a bad day', () => {
  it('retries a 503 and a reset connection, then answers', async () => {
    luminate.nextFaults.push({ kind: 'status', status: 503 }, { kind: 'reset' });
    expect((await client.getInteraction(jane)).subject).toBe('Sample Subject');
    expect(luminate.requests).toHaveLength(3);
  });

  it.each([
    ['HTTP 500', { kind: 'status', status: 500 } as const],
    ['HTTP 404', { kind: 'status', status: 404 } as const],
    ['an errorResponse', { kind: 'error', code: '3' } as const],
    ['an HTML page', { kind: 'html' } as const],
    ['a reset mid-body', { kind: 'reset_mid_body' } as const],
  ])('never retries %s', async (_what, fault) => {
    luminate.fault = fault;
    await failure(client.getInteraction(jane));
    expect(luminate.requests).toHaveLength(1);
  });

  it('retries at most twice, with a pause between attempts', async () => {
    luminate.fault = { kind: 'status', status: 502 };
    const slowRetries = clientFor({}, { retryDelayMs: 60 });
    const started = performance.now();
    expect(await failure(slowRetries.getInteraction(jane))).toMatchObject({ status: 502 });
    expect(luminate.requests).toHaveLength(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(60);
    await slowRetries.close();
  });

  it('gives a slow first attempt the whole budget instead of abandoning it for a retry', async () => {
    // Past half the budget, where an attempt abandoned for a retry would be, with 2 s to spare for a loaded machine.
    luminate.nextFaults.push({ kind: 'delay', ms: 3000 });
    const quick = clientFor({ timeoutMs: 5000 });
    const started = performance.now();
    expect((await quick.getInteraction(jane)).interactionId).toBe('1000');
    expect(performance.now() - started).toBeGreaterThanOrEqual(2950);
    expect(luminate.requests).toHaveLength(1);
    await quick.close();
  });

  it('stops within the budget when every attempt hangs', async () => {
    luminate.fault = { kind: 'hang' };
    const quick = clientFor({ timeoutMs: 1000 });
    const started = performance.now();
    expect(await failure(quick.getInteraction(jane))).toBeInstanceOf(LuminateTimeoutError);
    // A budget per attempt would take 3 s or more; the rest is room for a loaded machine.
    expect(performance.now() - started).toBeLessThan(2500);
    await quick.close();
  });

  it('opens the circuit after repeated failures, fails fast during the cool-down, then probes again', async () => {
    luminate.fault = { kind: 'status', status: 500 };
    const guarded = clientFor({}, { breakerThreshold: 3, breakerCooldownMs: 300 });
    for (let i = 0; i < 3; i++) await failure(guarded.getInteraction(jane));
    expect(luminate.requests).toHaveLength(3);

    const fast = await failure(guarded.getInteraction(jane));
    expect(fast).toBeInstanceOf(LuminateCircuitOpenError);
    expect(fast).toBeInstanceOf(LuminateUnavailableError);
    expect(luminate.requests).toHaveLength(3);

    luminate.fault = null;
    await new Promise((r) => setTimeout(r, 350));
    expect((await guarded.getInteraction(jane)).interactionId).toBe('1000');
    expect((await guarded.getInteraction(jane)).interactionId).toBe('1000');
    expect(luminate.requests).toHaveLength(5);
    await guarded.close();
  });

  it("does not count Luminate's own answers (not found, bad key) as failures", async () => {
    luminate.fault = { kind: 'error', code: '16' };
    const guarded = clientFor({}, { breakerThreshold: 2 });
    for (let i = 0; i < 4; i++) expect(await failure(guarded.getInteraction(jane))).toBeInstanceOf(LuminateApiError);
    expect(luminate.requests).toHaveLength(4);
    await guarded.close();
  });
});
