import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LuminateClient, type InteractionToLog, type ResilienceOptions } from '../../src/luminate/client.js';
import {
  LuminateApiError,
  LuminateBadResponseError,
  LuminateCircuitOpenError,
  LuminateTimeoutError,
  LuminateUnavailableError,
  LuminateWriteUncertainError,
} from '../../src/luminate/errors.js';
import { StandInLuminate } from '../../dev/stand-ins/luminate.js';
import { LOGGED_MESSAGE } from '../../dev/stand-ins/luminate-log.js';
import { failure } from '../support/luminate.js';

const credentials = { apiKey: 'test-api-key-123', loginName: 'bot-api-admin', loginPassword: 'test-password-456' };
const entry: InteractionToLog = {
  identifier: { kind: 'cons', consId: '1001001' },
  subject: 'Called about the spring appeal',
  body: 'She will renew in May.\n\nLogged from Slack by Ana (U012AB) in #donor-care',
  typeId: 1,
};

let luminate: StandInLuminate;
let client: LuminateClient;
const opened: LuminateClient[] = [];
function clientFor(overrides: Partial<ConstructorParameters<typeof LuminateClient>[0]> = {}, resilience: ResilienceOptions = {}): LuminateClient {
  const made = new LuminateClient(
    { url: luminate.url, ...credentials, timeoutMs: 2000, maxConnections: 4, ...overrides },
    { retryDelayMs: 10, breakerThreshold: 1_000_000, ...resilience },
  );
  opened.push(made);
  return made;
}

beforeAll(async () => {
  luminate = await StandInLuminate.start(credentials);
  client = clientFor();
});
afterAll(async () => {
  await Promise.all(opened.map((c) => c.close({ force: true })));
  await luminate.close();
});
beforeEach(() => luminate.reset());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('logInteraction request', () => {
  it('POSTs one form with credentials in the body, the three fields and exactly one identifier', async () => {
    await client.logInteraction({ ...entry, identifier: { kind: 'email', email: 'jane@example.org' } });
    const [seen] = luminate.requests;
    expect(seen).toMatchObject({ httpMethod: 'POST', apiMethod: 'logInteraction', queryParams: [], credentialsAccepted: true, responseFormat: 'json' });
    expect(seen!.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(seen!.methodParams).toMatchObject({ v: '1.0', interaction_subject: entry.subject, interaction_body: entry.body, interaction_type_id: '1', primary_email: 'jane@example.org' });
    expect(['cons_id', 'member_id', 'primary_email'].filter((p) => seen!.bodyParams.includes(p))).toEqual(['primary_email']);
  });

  it('sends no interaction_type_id for type 0 ("Other", the documented default) and no body when it is empty', async () => {
    await client.logInteraction({ ...entry, identifier: { kind: 'member', memberId: 'JD-1001' }, typeId: 0, body: '' });
    const [seen] = luminate.requests;
    expect(seen!.bodyParams).not.toContain('interaction_type_id');
    expect(seen!.bodyParams).not.toContain('interaction_body');
    expect(seen!.memberId).toBe('JD-1001');
    expect(luminate.logged[0]).toMatchObject({ interactionTypeId: '0', consId: '1001001' });
  });

  it.each([
    ['an empty subject', { subject: '  ' }],
    ['a subject over 80', { subject: 'x'.repeat(81) }],
    ['a body over 1500', { body: 'x'.repeat(1501) }],
    ['a negative type', { typeId: -1 }],
    ['a fractional type', { typeId: 1.5 }],
  ])('refuses %s before calling', async (_what, change) => {
    await expect(client.logInteraction({ ...entry, ...change })).rejects.toBeInstanceOf(RangeError);
    expect(luminate.logCount).toBe(0);
  });
});

describe('logInteraction answers', () => {
  it('is logged on updateConsResponse.message, keeping cons_id when the answer has one', async () => {
    expect(await client.logInteraction(entry)).toEqual({ consId: '1001001' });
    luminate.logAnswer = { kind: 'logged', consId: false };
    expect(await client.logInteraction({ ...entry, identifier: { kind: 'email', email: 'jane@example.org' } })).toEqual({ consId: null });
    expect(luminate.logCount).toBe(2);
    expect(luminate.logged).toHaveLength(2);
  });

  it('records what getUserInteractions (newest first) and getInteraction then return, created by the service account', async () => {
    const before = Date.now();
    await client.logInteraction(entry);
    const [newest] = await client.getUserInteractions({ identifier: entry.identifier, pageSize: 5, offset: 0 });
    expect(newest).toMatchObject({ subject: entry.subject, typeId: '1', consId: '1001001', createdBy: '1000002' });
    expect(Date.parse(newest!.creationDate!)).toBeGreaterThanOrEqual(before - 1000);
    expect(Number(newest!.interactionId)).toBeGreaterThan(3300);
    const full = await client.getInteraction({ interactionId: Number(newest!.interactionId), identifier: entry.identifier });
    expect(full.note?.text).toBe(entry.body);
    expect(full.subject).toBe(entry.subject);
  });

  it('gives each logged interaction a new id', async () => {
    await client.logInteraction(entry);
    await client.logInteraction(entry);
    const ids = luminate.logged.map((i) => i.interactionId);
    expect(new Set(ids).size).toBe(2);
  });

  it.each([
    ['an unknown donor', { identifier: { kind: 'cons', consId: '999' } }, null, '16', 'no_constituent'],
    ['an email several donors share', { identifier: { kind: 'email', email: 'family@example.org' } }, null, '8', 'ambiguous'],
    ['a type the site does not have', { typeId: 7 }, null, '26', 'bad_type'],
    ['no permission for the method', {}, '14', '14', 'not_permitted'],
    ['an invalid constituent for interactions', {}, '32', '32', 'no_constituent'],
    ['an invalid interaction', {}, '27', '27', 'bad_input'],
    ['input too long', {}, '23', '23', 'bad_input'],
    ['an internal fault', {}, '1', '1', 'cannot_process'],
  ] as const)('reports %s as a typed failure, with nothing recorded', async (_what, change, faultCode, code, reason) => {
    if (faultCode) luminate.methodFaults.logInteraction = { kind: 'error', code: faultCode };
    const error = await failure(client.logInteraction({ ...entry, ...change } as InteractionToLog));
    expect(error).toBeInstanceOf(LuminateApiError);
    expect(error).toMatchObject({ code, reason });
    expect(luminate.logged).toHaveLength(0);
    expect(luminate.logCount).toBe(1);
  });

  it('reads an XML errorResponse with the write meaning of its code', async () => {
    luminate.methodFaults.logInteraction = { kind: 'xml_error_entities', code: '26' };
    expect(await failure(client.logInteraction(entry))).toMatchObject({ code: '26', reason: 'bad_type' });
  });

  it('reports a rejected service account as such', async () => {
    const wrong = clientFor({ loginPassword: 'not-the-password' });
    const error = await failure(wrong.logInteraction(entry));
    expect(error).toMatchObject({ code: '3', reason: 'login_rejected' });
    expect(error.message).not.toContain('not-the-password');
    expect(luminate.logged).toHaveLength(0);
  });
});

describe('logInteraction is sent at most once', () => {
  it.each([
    ['a 200 of an unknown shape', { kind: 'unknown_shape' } as const, 'unknown_answer'],
    ['a reset after recording', { kind: 'reset_after_recording' } as const, 'connection_lost'],
  ])('%s is uncertain, recorded once and never retried', async (_what, answer, why) => {
    luminate.logAnswer = answer;
    const error = await failure(client.logInteraction(entry));
    expect(error).toBeInstanceOf(LuminateWriteUncertainError);
    expect(error).toMatchObject({ uncertainCause: why });
    await sleep(200);
    expect(luminate.logCount).toBe(1);
    expect(luminate.logged).toHaveLength(1);
  });

  it('a hang after recording is uncertain once the write budget ends, and is never sent again', async () => {
    luminate.logAnswer = { kind: 'hang_after_recording' };
    const quick = clientFor({ writeTimeoutMs: 400 });
    const error = await failure(quick.logInteraction(entry));
    expect(error).toMatchObject({ uncertainCause: 'timeout' });
    await sleep(300);
    expect(luminate.logCount).toBe(1);
    expect(luminate.logged).toHaveLength(1);
  });

  it.each([
    ['HTTP 503', { kind: 'status', status: 503 } as const, 'http_status'],
    ['HTTP 500', { kind: 'status', status: 500 } as const, 'http_status'],
    ['a maintenance page with status 200', { kind: 'html' } as const, 'unknown_answer'],
    ['an empty updateConsResponse', { kind: 'empty_answer', shape: 'missing' } as const, 'unknown_answer'],
    ['a reset mid-body', { kind: 'reset_mid_body' } as const, 'connection_lost'],
  ])('%s after sending is uncertain and not retried (a read would be)', async (_what, fault, why) => {
    luminate.methodFaults.logInteraction = fault;
    expect(await failure(client.logInteraction(entry))).toMatchObject({ uncertainCause: why });
    expect(luminate.logCount).toBe(1);
  });

  it.each([
    ['a firewall page', { kind: 'firewall' } as const],
    ['a redirect', { kind: 'redirect' } as const],
    ['HTTP 404', { kind: 'status', status: 404 } as const],
    ['HTTP 429', { kind: 'status', status: 429 } as const],
  ])('%s means the request never reached SRConsAPI: nothing logged, not uncertain', async (_what, fault) => {
    luminate.methodFaults.logInteraction = fault;
    const error = await failure(client.logInteraction(entry));
    expect(error).not.toBeInstanceOf(LuminateWriteUncertainError);
    expect(error).toBeInstanceOf(fault.kind === 'status' && fault.status === 429 ? LuminateUnavailableError : LuminateBadResponseError);
    expect(luminate.logCount).toBe(1);
  });

  it('a refused connection means nothing was sent: unavailable, not uncertain', async () => {
    const nowhere = new LuminateClient({ url: 'http://127.0.0.1:1/org/site', ...credentials, timeoutMs: 1000, maxConnections: 1 });
    opened.push(nowhere);
    const error = await failure(nowhere.logInteraction(entry));
    expect(error).toBeInstanceOf(LuminateUnavailableError);
    expect(error).not.toBeInstanceOf(LuminateWriteUncertainError);
  });

  it('a write given up while waiting for a connection was never sent: not uncertain', async () => {
    luminate.logAnswer = { kind: 'hang_after_recording' };
    const single = clientFor({ maxConnections: 1, writeTimeoutMs: 1500 });
    let firstSettled = false;
    const first = failure(single.logInteraction(entry).finally(() => (firstSettled = true)));
    const gaveUp = new AbortController();
    const second = failure(single.logInteraction({ ...entry, subject: 'Second' }, { signal: gaveUp.signal }));
    await sleep(200);
    gaveUp.abort();
    const secondError = await second;
    // Given up at once, not when the first write's connection frees up.
    expect(firstSettled).toBe(false);
    expect(luminate.logCount).toBe(1);
    expect(secondError).toBeInstanceOf(LuminateTimeoutError);
    expect(secondError).not.toBeInstanceOf(LuminateWriteUncertainError);
    expect(await first).toBeInstanceOf(LuminateWriteUncertainError);
    expect(luminate.logCount).toBe(1);
  });

  it('an open circuit sends nothing', async () => {
    const guarded = clientFor({}, { breakerThreshold: 2, breakerCooldownMs: 60_000 });
    luminate.methodFaults.getInteraction = { kind: 'status', status: 500 };
    for (let i = 0; i < 2; i++) await failure(guarded.getInteraction({ interactionId: 1000, identifier: entry.identifier }));
    const error = await failure(guarded.logInteraction(entry));
    expect(error).toBeInstanceOf(LuminateCircuitOpenError);
    expect(luminate.logCount).toBe(0);
  });

  it('an uncertain write counts towards the circuit breaker', async () => {
    const guarded = clientFor({}, { breakerThreshold: 1, breakerCooldownMs: 60_000 });
    luminate.methodFaults.logInteraction = { kind: 'status', status: 503 };
    expect(await failure(guarded.logInteraction(entry))).toBeInstanceOf(LuminateWriteUncertainError);
    expect(await failure(guarded.getInteraction({ interactionId: 1000, identifier: entry.identifier }))).toBeInstanceOf(LuminateCircuitOpenError);
  });
});

describe('stand-in logInteraction is strict', () => {
  const post = (params: Record<string, string>) =>
    fetch(`${luminate.url}/SRConsAPI`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: credentials.apiKey, login_name: credentials.loginName, login_password: credentials.loginPassword, v: '1.0', response_format: 'json', method: 'logInteraction', cons_id: '1001001', ...params }),
    });
  const codeOf = async (response: Response) => ((await response.json()) as { errorResponse?: { code: string } }).errorResponse?.code;

  it('answers the success shape public clients test for', async () => {
    const response = await post({ interaction_subject: 'Hello', interaction_type_id: '0' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ updateConsResponse: { message: LOGGED_MESSAGE, cons_id: '1001001' } });
  });

  it.each([
    ['no subject', {}, '10'],
    ['a subject over 80', { interaction_subject: 's'.repeat(81) }, '23'],
    ['a body over 1500', { interaction_subject: 'ok', interaction_body: 'b'.repeat(1501) }, '23'],
    ['an unknown type', { interaction_subject: 'ok', interaction_type_id: '9' }, '26'],
    ['a type that is not a number', { interaction_subject: 'ok', interaction_type_id: 'phone' }, '26'],
    ['no v', { interaction_subject: 'ok', v: '' }, '10'],
    ['no identifier', { interaction_subject: 'ok', cons_id: '' }, '10'],
  ])('refuses %s, recording nothing', async (_what, params, code) => {
    const response = await post(params);
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe(code);
    expect(luminate.logged).toHaveLength(0);
  });

  it('takes no GET', async () => {
    expect((await fetch(`${luminate.url}/SRConsAPI?method=logInteraction`)).status).toBe(405);
    expect(luminate.logged).toHaveLength(0);
  });
});
