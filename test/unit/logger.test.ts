import { describe, expect, it } from 'vitest';
import { createLogger, toBoltLogger } from '../../src/observability/logger.js';
import { createRedactor, REDACTED } from '../../src/observability/redact.js';
import { parseIdentifier } from '../../src/service/requests.js';
import { LuminateApiError } from '../../src/luminate/errors.js';

const SECRETS = ['xoxb-1234-secret-token', 'signing-s3cret', 'api-k3y-value', 'p@ss word&1'];

function capture(level: 'debug' | 'info' = 'debug') {
  const lines: string[] = [];
  const logger = createLogger({ level, secrets: SECRETS, write: (l) => lines.push(l), clock: () => new Date('2026-11-29T00:00:00Z') });
  return { logger, lines };
}

describe('logger', () => {
  it('writes one JSON object per line with level, time and message', () => {
    const { logger, lines } = capture();
    logger.info('hello', { n: 1 });
    expect(lines).toEqual(['{"level":"info","at":"2026-11-29T00:00:00.000Z","msg":"hello","n":1}\n']);
  });

  it('names the replica on every line, with REPLICA_ID', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', secrets: [], write: (l) => lines.push(l), clock: () => new Date(0), replica: 'bot-2' });
    logger.info('a');
    toBoltLogger(logger, 'debug').warn('b');
    expect(lines.map((l) => (JSON.parse(l) as { replica?: string }).replica)).toEqual(['bot-2', 'bot-2']);
  });

  it('drops lines below the level', () => {
    const { logger, lines } = capture('info');
    logger.debug('hidden');
    logger.warn('shown');
    expect(lines).toHaveLength(1);
  });

  it('redacts every secret wherever it appears: messages, fields, errors, URL-encoded bodies', () => {
    const { logger, lines } = capture();
    logger.error(`token ${SECRETS[0]} failed`, {
      body: `api_key=${encodeURIComponent(SECRETS[2]!)}&login_password=${encodeURIComponent(SECRETS[3]!)}&login_name=bot`,
      nested: { note: `signed with ${SECRETS[1]}` },
      error: new Error(`bad key ${SECRETS[2]}`),
      headers: { authorization: 'Bearer anything', 'x-slack-signature': 'v0=abc' },
      unknownToken: 'xoxb-9999-not-configured',
      appToken: 'xapp-1-A0-123',
    });
    const text = lines.join('');
    for (const secret of [...SECRETS, encodeURIComponent(SECRETS[3]!), 'Bearer anything', 'v0=abc', 'xoxb-9999', 'xapp-1-A0']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain(REDACTED);
    expect(text).toContain('login_name=bot');
  });

  it('logs an error by name and message, without its stack', () => {
    const { logger, lines } = capture();
    logger.warn('failed', { error: Object.assign(new TypeError('boom'), { code: 'E1' }) });
    const line = JSON.parse(lines[0]!);
    expect(line.error).toEqual({ name: 'TypeError', message: 'boom', code: 'E1' });
  });

  it("gives Bolt a logger that writes through the same redaction", () => {
    const { logger, lines } = capture();
    toBoltLogger(logger, 'debug').error('bolt says', { token: 'xoxb-1234-secret-token' });
    expect(lines[0]).toContain('"source":"bolt"');
    expect(lines[0]).not.toContain('secret-token');
  });

  it("keeps the payloads quoted by Bolt's, the Web API client's and Socket Mode's debug lines out, and the lines themselves in", () => {
    const { logger, lines } = capture('debug');
    const bolt = toBoltLogger(logger, 'debug');
    const card = JSON.stringify({ text: 'Interaction 1000: Refund call', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Donor asked about a refund' } }] });
    bolt.debug(`http request body: ${card}`);
    bolt.debug(`http request result: ${JSON.stringify({ ok: false, error: 'invalid_blocks', view: JSON.parse(card) })}`);
    bolt.debug(`Received a message on the WebSocket: ${JSON.stringify({ payload: { message: { text: 'Donor asked about a refund' } } })}`);
    bolt.debug(`Calling ack() - type: interactive, envelope_id: e1, data: ${card}`);
    bolt.debug(`ack() call begins (body: ${card})`);
    bolt.debug("apiCall('chat.postMessage') start");
    const text = lines.join('\n');
    expect(text).not.toContain('refund');
    expect(text).not.toContain('Refund');
    expect(lines).toHaveLength(6);
    expect(text).toContain('invalid_blocks');
    expect(text).toContain('envelope_id: e1');
    expect(text).toContain("apiCall('chat.postMessage') start");
  });

  it("skips Bolt's lines below the level without turning their arguments into text", () => {
    const { logger, lines } = capture('info');
    let read = false;
    const payload = {
      get body() {
        read = true;
        return 'x';
      },
    };
    const bolt = toBoltLogger(logger, 'info');
    bolt.debug('request', payload);
    expect(lines).toHaveLength(0);
    expect(read).toBe(false);
    bolt.info('started', payload);
    expect(lines).toHaveLength(1);
    expect(read).toBe(true);
  });

  it('logs the stack at error level, redacted', () => {
    const { logger, lines } = capture();
    const error = new Error(`rejected ${SECRETS[2]}`, { cause: new RangeError('inner') });
    logger.error('failed', { error });
    const line = JSON.parse(lines[0]!);
    expect(line.error.stack).toContain('logger.test.ts');
    expect(line.error.stack).toContain(REDACTED);
    expect(line.error.cause.stack).toMatch(/^RangeError: inner\n\s+at /);
    expect(lines[0]).not.toContain(SECRETS[2]);
  });

  describe('never throws, and still writes a line', () => {
    const cyclicCause = () => {
      const error = new Error('outer');
      error.cause = error;
      return error;
    };
    const cyclicObject = () => {
      const a: Record<string, unknown> = { name: 'a' };
      a.self = a;
      return { a, list: [a] };
    };
    const deep = () => {
      let node: Record<string, unknown> = { leaf: true };
      for (let i = 0; i < 50; i++) node = { child: node };
      // Deeper than the logger descends, with a cycle at the bottom.
      (node as { bottom?: unknown }).bottom = node;
      return node;
    };
    const throwingGetter = () => ({
      fine: 1,
      get broken(): unknown {
        throw new Error('getter says no');
      },
    });
    const errorWithThrowingGetter = () =>
      Object.defineProperty(new Error('x'), 'detail', {
        enumerable: true,
        get() {
          throw new Error('no detail');
        },
      });
    const hostileProxy = () =>
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('no keys');
          },
        },
      );
    const cases: [string, () => unknown][] = [
      ['a cyclic cause', cyclicCause],
      ['a cyclic object', cyclicObject],
      ['an object deeper than the logger descends', deep],
      ['a getter that throws', throwingGetter],
      ['an error with a getter that throws', errorWithThrowingGetter],
      ['a proxy that throws', hostileProxy],
      ['a BigInt', () => 12345678901234567890n],
    ];
    for (const [what, make] of cases) {
      for (const level of ['warn', 'error'] as const) {
        it(`${what} at ${level}`, () => {
          const { logger, lines } = capture();
          expect(() => logger[level]('something broke', { value: make(), error: make() })).not.toThrow();
          expect(lines).toHaveLength(1);
          const line = JSON.parse(lines[0]!);
          expect(line).toMatchObject({ level, msg: 'something broke' });
        });
      }
    }

    it('keeps what it can read beside what it cannot', () => {
      const { logger, lines } = capture();
      logger.info('partial', { value: throwingGetter(), n: 10n, cause: cyclicCause() });
      const line = JSON.parse(lines[0]!);
      expect(line.value.fine).toBe(1);
      expect(line.value.broken).toMatch(/unreadable/);
      expect(line.n).toBe('10');
      expect(line.cause.message).toBe('outer');
      expect(line.cause.cause).toBe('[circular]');
    });

    it('even when the sink throws', () => {
      const logger = createLogger({
        level: 'debug',
        secrets: SECRETS,
        write: () => {
          throw new Error('EPIPE');
        },
      });
      expect(() => logger.error('nowhere to go', { error: new Error('x') })).not.toThrow();
    });
  });

  describe('bounds what outside text can put in a line', () => {
    it('cuts a long field and says how much was cut', () => {
      const { logger, lines } = capture();
      logger.warn('slack answered 500', { body: 'x'.repeat(1_000_000) });
      expect(lines[0]!.length).toBeLessThan(10_000);
      const body = JSON.parse(lines[0]!).body as string;
      const cut = /…\[cut (\d+) chars\]$/.exec(body);
      expect(cut).not.toBeNull();
      expect(body.length - cut![0].length + Number(cut![1])).toBe(1_000_000);
    });

    it('bounds the whole line however many fields, items and keys there are', () => {
      const { logger, lines } = capture();
      const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, 'y'.repeat(3000)]));
      logger.error('x'.repeat(100_000), { many, list: Array.from({ length: 10_000 }, () => 'z'.repeat(3000)) });
      expect(lines[0]!.length).toBeLessThan(40_000);
      const line = JSON.parse(lines[0]!);
      expect(line.msg).toMatch(/…\[cut \d+ chars\]$/);
      expect(line.list.at(-1)).toMatch(/^…\[cut \d+ items\]$/);
    });

    it('never leaves part of a secret at a cut', () => {
      const { logger, lines } = capture();
      const body = `${'a'.repeat(4090)}${SECRETS[2]}${'b'.repeat(100)}`;
      logger.warn('echo', { body });
      expect(lines[0]).not.toContain(SECRETS[2]!.slice(0, 5));
    });

    it('redacts email-shaped text quoted from outside', () => {
      const { logger, lines } = capture();
      const error = new Error('Luminate error 16: no interaction for Jane.Doe+gifts@Example.org');
      logger.error('lookup failed', { error, body: 'email=jane@example.org&x=1', cut: `${'a'.repeat(4000)}mary@example.org` });
      expect(lines[0]).not.toMatch(/jane|example\.org|mary@/i);
      expect(lines[0]).toContain('[email]');
    });

    it('redacts every email the bot accepts as a donor, not only ASCII ones, and keeps stack paths readable', () => {
      const { logger, lines } = capture();
      const emails = ['josé@exämple.org', 'Ünïcode@example.org', "o'brien@example.org", 'ann!x@example.org'];
      // The same addresses a person may type: what the bot sends, Luminate may echo back.
      for (const email of emails) expect(parseIdentifier(email).ok, email).toBe(true);
      logger.warn('echo', { quoted: emails.join(' and '), error: new LuminateApiError('999', `no donor ${emails.join(', ')}`) });
      expect(lines[0]).not.toMatch(/jos|exämple|Ünï|brien|ann!|example\.org/i);
      // A stack frame under node_modules/@scope is a path, not an address.
      logger.error('failed', { where: '    at run (/app/node_modules/@slack/bolt/dist/App.js:12:3)' });
      expect(lines[1]).toContain('/app/node_modules/@slack/bolt/dist/App.js');
    });

    it('redacts in time linear in the input, on hostile text up to 40 000 characters', () => {
      const { logger } = capture();
      const redact = createRedactor(SECRETS);
      const hostile = [
        'a'.repeat(40_000),
        'x.x.'.repeat(10_000),
        `${'x.'.repeat(19_999)}@`,
        '@'.repeat(40_000),
        `a@${'b.'.repeat(19_999)}`,
        'a@'.repeat(20_000),
        'xoxb-'.repeat(8000),
        'api_key='.repeat(5000),
      ];
      for (const text of hostile) {
        // The redactor itself, uncut: a pattern that rescans a run from each character takes seconds here.
        let started = performance.now();
        redact(text);
        expect(performance.now() - started, text.slice(0, 10)).toBeLessThan(500);
        // And through every path of the logger: message, field, error message, Bolt's arguments.
        started = performance.now();
        logger.error(text, { text, error: new Error(text) });
        toBoltLogger(logger, 'debug').debug(text, { text });
        expect(performance.now() - started, text.slice(0, 10)).toBeLessThan(1000);
      }
    });
  });

  it('createRedactor leaves ordinary text alone', () => {
    expect(createRedactor(SECRETS)('interaction 1000 for cons 1001001')).toBe('interaction 1000 for cons 1001001');
  });
});
