import { describe, expect, it } from 'vitest';
import { createLogger, createRedactor, REDACTED, toBoltLogger } from '../../src/logger.js';

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

  it('createRedactor leaves ordinary text alone', () => {
    expect(createRedactor(SECRETS)('interaction 1000 for cons 1001001')).toBe('interaction 1000 for cons 1001001');
  });
});
