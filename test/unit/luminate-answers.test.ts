import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LuminateClient } from '../../src/luminate/client.js';
import * as errors from '../../src/luminate/errors.js';
import { LuminateApiError, LuminateBadResponseError, LuminateCircuitOpenError } from '../../src/luminate/errors.js';
import type { InteractionRequest } from '../../src/luminate/identifiers.js';
import { luminateFixture } from '../support/fixtures.js';
import { failure, useStandInLuminate } from '../support/luminate.js';

const credentials = { apiKey: 'answers-api-key-123', loginName: 'bot-api-admin', loginPassword: 'answers-password-456' };
const jane: InteractionRequest = { interactionId: 1000, identifier: { kind: 'email', email: 'jane@example.org' } };
const byCons: InteractionRequest = { interactionId: 1000, identifier: { kind: 'cons', consId: '1001001' } };

const { luminate, client, clientFor } = useStandInLuminate(credentials);

const json = (body: unknown, status = 200) => ({ kind: 'status', status, contentType: 'application/json', body: typeof body === 'string' ? body : JSON.stringify(body) }) as const;
const documented = () => JSON.parse(luminateFixture('getInteraction.json')) as { getInteractionResponse: { interaction: Record<string, unknown> } };

describe('a slow but working Luminate', () => {
  // Latency well past half the budget (past any point where an attempt might be abandoned for a retry), with
  // 2 s to spare for a loaded machine.
  it('answers 20 concurrent lookups at 3 s within a 5 s budget, once each, at the default resilience settings', async () => {
    luminate.latencyMs = 3000;
    const defaults = new LuminateClient({ url: luminate.url, ...credentials, timeoutMs: 5000, maxConnections: 20 });
    const answers = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => defaults.getInteraction({ ...jane, interactionId: 1000 + (i % 4) })));
    expect(answers.filter((a) => a.status === 'rejected').map((a) => String((a as PromiseRejectedResult).reason))).toEqual([]);
    expect(luminate.requests).toHaveLength(20);
    luminate.latencyMs = 0;
    // The breaker did not open: the next lookup still reaches Luminate.
    expect((await defaults.getInteraction(jane)).interactionId).toBe('1000');
    expect(luminate.requests).toHaveLength(21);
    await defaults.close();
  }, 15_000);

  it('still retries a reset that comes back fast, on a fresh connection', async () => {
    luminate.nextFaults.push({ kind: 'reset' });
    const defaults = new LuminateClient({ url: luminate.url, ...credentials, timeoutMs: 3000, maxConnections: 2 });
    expect((await defaults.getInteraction(jane)).interactionId).toBe('1000');
    expect(luminate.requests).toHaveLength(2);
    await defaults.close();
  });

  it('does not retry when too little of the budget is left for a retry to succeed', async () => {
    // Each attempt takes 2.1 s of the 3 s budget, then a 503: a second attempt could not finish in the 0.9 s left.
    luminate.latencyMs = 2100;
    luminate.fault = { kind: 'status', status: 503 };
    const quick = clientFor({ timeoutMs: 3000 });
    expect(await failure(quick.getInteraction(jane))).toMatchObject({ status: 503 });
    expect(luminate.requests).toHaveLength(1);
    await quick.close();
  });
});

describe("Luminate's bodies are read in time in step with their length", () => {
  const bodies: [string, string, string][] = [
    ['XML errorResponse with spaces after <code>', 'text/xml', `<errorResponse><code>${' '.repeat(3000)}`],
    ['XML errorResponse with 40 000 spaces', 'text/xml', `<errorResponse><code>${' '.repeat(40_000)}x`],
    ['XML with many <errorResponse> openings', 'text/xml', '<errorResponse> <code>'.repeat(40_000)],
    ['XML with a message that never closes', 'text/xml', `<errorResponse><code>1</code><message>${'<'.repeat(40_000)}`],
    ['1 MB of whitespace', 'text/html', ' '.repeat(1024 * 1024 - 10)],
    ['1 MB of nested JSON arrays', 'application/json', '['.repeat(500_000)],
    ['1 MB HTML page', 'text/html', `<html>${'<body>'.repeat(170_000)}`],
    ['1 MB of entities', 'text/xml', `<errorResponse><code>1</code><message>${'&#'.repeat(500_000)}</message></errorResponse>`],
  ];
  it.each(bodies)('%s', async (_what, contentType, body) => {
    luminate.fault = { kind: 'status', status: 403, contentType, body };
    const started = performance.now();
    await failure(client.getInteraction(jane));
    // Milliseconds when idle; a loaded 2-core machine stretches that several times. A super-linear read of
    // a megabyte would take minutes.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('nothing secret or personal in what Luminate quotes back', () => {
  it("keeps neither the credentials nor an email from Luminate's message on the error", async () => {
    luminate.fault = { kind: 'error', code: '999', message: `Bad request key=${credentials.apiKey} pw=${credentials.loginPassword} for Jane.Doe+gifts@Example.org` };
    const error = await failure(client.getInteraction(jane));
    const seen = JSON.stringify({ ...error, text: error.message });
    expect(seen).toContain('999');
    for (const leak of [credentials.apiKey, credentials.loginPassword, 'Jane.Doe', 'Example.org']) expect(seen).not.toContain(leak);
  });

  it("caps Luminate's message", async () => {
    luminate.fault = { kind: 'error', code: '999', message: 'x'.repeat(50_000) };
    const error = (await failure(client.getInteraction(jane))) as LuminateApiError;
    expect(error.luminateMessage.length).toBeLessThanOrEqual(300);
    expect(error.message.length).toBeLessThanOrEqual(400);
  });
});

describe('empty, hidden and mismatched answers', () => {
  it.each([
    ['an empty getInteractionResponse', { getInteractionResponse: {} }],
    ['interaction: null', { getInteractionResponse: { interaction: null } }],
    ['interaction: []', { getInteractionResponse: { interaction: [] } }],
    ['getInteractionResponse: null', { getInteractionResponse: null }],
  ])('%s is "not found, or not visible to the service account"', async (_what, body) => {
    luminate.fault = json(body);
    const error = await failure(client.getInteraction(jane));
    expect(errors.isNotFound(error)).toBe(true);
    expect(error.kind).toBe('not_visible');
  });

  it('six lookups of a hidden record do not open the breaker at the default settings', async () => {
    luminate.fault = json({ getInteractionResponse: { interaction: [] } });
    const defaults = new LuminateClient({ url: luminate.url, ...credentials, timeoutMs: 1000, maxConnections: 2 });
    for (let i = 0; i < 6; i++) expect(await failure(defaults.getInteraction(jane))).not.toBeInstanceOf(LuminateCircuitOpenError);
    expect(luminate.requests).toHaveLength(6);
    await defaults.close();
  });

  it('answers about one record (malformed, wrong shape, 404) do not open the breaker either', async () => {
    const defaults = new LuminateClient({ url: luminate.url, ...credentials, timeoutMs: 1000, maxConnections: 2 });
    luminate.faultFor = (n) => [{ kind: 'malformed' } as const, { kind: 'wrong_shape' } as const, { kind: 'status', status: 404 } as const][n % 3]!;
    for (let i = 0; i < 7; i++) expect(await failure(defaults.getInteraction(jane))).not.toBeInstanceOf(LuminateCircuitOpenError);
    expect(luminate.requests).toHaveLength(7);
    await defaults.close();
  });

  it('rejects an answer about another interaction', async () => {
    const body = documented();
    body.getInteractionResponse.interaction.interactionId = '999';
    luminate.fault = json(body);
    const error = await failure(client.getInteraction(jane));
    expect(error).toBeInstanceOf(LuminateBadResponseError);
    expect(error).toMatchObject({ problem: 'mismatch' });
    expect(JSON.stringify({ m: error.message, ...error })).not.toMatch(/jane|1001001/);
  });

  it('rejects an answer about another constituent for a cons: lookup, and accepts the right one', async () => {
    const body = documented();
    body.getInteractionResponse.interaction.consId = '2002002';
    luminate.fault = json(body);
    expect(await failure(client.getInteraction(byCons))).toMatchObject({ problem: 'mismatch' });
    luminate.fault = null;
    expect((await client.getInteraction(byCons)).consId).toBe('1001001');
  });
});

describe('what Luminate sends that is not a plain answer', () => {
  it('accepts a UTF-8 byte-order mark before JSON', async () => {
    luminate.fault = json(`\uFEFF${luminateFixture('getInteraction.json')}`);
    expect((await client.getInteraction(jane)).subject).toBe('Sample Subject');
  });

  it('reads the string "null" as null', async () => {
    const body = documented();
    body.getInteractionResponse.interaction.subject = 'null';
    luminate.fault = json(body);
    expect((await client.getInteraction(jane)).subject).toBeNull();
  });

  it('decodes numeric entities in an XML errorResponse', async () => {
    luminate.fault = {
      kind: 'status',
      status: 403,
      contentType: 'text/xml',
      body: '<errorResponse xmlns="urn:example"><code>999</code><message>Caf&#233; &#xE9;t&#xe9; &amp; more</message></errorResponse>',
    };
    expect(await failure(client.getInteraction(jane))).toMatchObject({ code: '999', luminateMessage: 'Café été & more' });
  });

  it.each([
    ['codes 22, 23 and 35 are about the input', '22', 'bad_input'],
    ['', '23', 'bad_input'],
    ['', '35', 'bad_input'],
    ['code 16 is no constituent', '16', 'no_constituent'],
    ['', '27', 'not_found'],
    ['', '32', 'not_found'],
  ])('%s (%s)', async (_what, code, reason) => {
    luminate.fault = { kind: 'error', code };
    expect(await failure(client.getInteraction(jane))).toMatchObject({ code, reason });
  });

  it.each([
    ['a 403 HTML page', { kind: 'status', status: 403, contentType: 'text/html', body: '<!DOCTYPE html><html><body>Access denied by firewall</body></html>' } as const],
    ['an errorResponse without a code', json({ errorResponse: { message: 'Denied' } }, 403)],
  ])('%s is "blocked" (firewall or allow-list)', async (_what, fault) => {
    luminate.fault = fault;
    expect(await failure(client.getInteraction(jane))).toMatchObject({ kind: 'bad_response', problem: 'blocked' });
  });

  describe('a redirect', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        req.resume();
        res.writeHead(302, { location: 'https://secure3.convio.net/yourorg/site/SRConsAPI?x=1', 'content-type': 'text/html' }).end('<html>Moved</html>');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/yourorg/site`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('keeps the Location host on the error and in its message', async () => {
      const redirected = new LuminateClient({ url, ...credentials, timeoutMs: 1000, maxConnections: 1 });
      const error = await failure(redirected.getInteraction(jane));
      expect(error).toMatchObject({ problem: 'redirect', status: 302, locationHost: 'secure3.convio.net' });
      expect(error.message).toContain('secure3.convio.net');
      await redirected.close();
    });
  });
});
