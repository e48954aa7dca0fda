import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, secretsOf } from '../../src/config.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-test-bot-token-value',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  LUMINATE_URL: 'https://secure2.convio.net/yourorg/site/',
  LUMINATE_API_KEY: 'api-key-value',
  LUMINATE_LOGIN_NAME: 'bot-api-admin',
  LUMINATE_LOGIN_PASSWORD: 'password-value',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const HEX_KEY = 'a1'.repeat(32);

describe('parseConfig: Redis and replicas', () => {
  it('needs nothing of Redis by default: no URL, the default prefix, no encryption, the host name as replica id', () => {
    const config = parseConfig(valid);
    expect(config.redis).toEqual({ url: undefined, keyPrefix: 'luminate-bot:', cacheEncryptionKey: undefined });
    expect(config.replicaId).toBe(hostname());
  });

  it('reads REDIS_URL (redis:// or rediss://, password and db index), REDIS_KEY_PREFIX, CACHE_ENCRYPTION_KEY and REPLICA_ID', () => {
    const config = parseConfig({
      ...valid,
      REDIS_URL: 'rediss://:p%40ss@redis.internal:6380/2',
      REDIS_KEY_PREFIX: 'org-a:bot:',
      CACHE_ENCRYPTION_KEY: HEX_KEY,
      REPLICA_ID: 'bot-7f9c-2',
    });
    expect(config.redis.url).toBe('rediss://:p%40ss@redis.internal:6380/2');
    expect(config.redis.keyPrefix).toBe('org-a:bot:');
    expect(config.redis.cacheEncryptionKey).toEqual(Buffer.from(HEX_KEY, 'hex'));
    expect(config.replicaId).toBe('bot-7f9c-2');
    expect(parseConfig({ ...valid, CACHE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }).redis.cacheEncryptionKey).toEqual(Buffer.alloc(32, 7));
  });

  it.each([
    ['http://redis.internal:6379'],
    ['redis.internal:6379'],
    ['redis://'],
    ['redis://:s3cret-in-url@host:6379/not-a-db'],
    ['not a url with s3cret-in-url'],
  ])('names a malformed REDIS_URL without printing it: %s', (url) => {
    const problems = problemsOf({ ...valid, REDIS_URL: url });
    expect(problems).toEqual([expect.stringMatching(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/)]);
    expect(problems.join('\n')).not.toContain('s3cret-in-url');
    expect(problems.join('\n')).not.toContain('redis.internal');
  });

  it.each([['too short', 'abcd'], ['31 bytes', 'ab'.repeat(31)], ['not hex or base64', 'z'.repeat(64)]])('refuses a CACHE_ENCRYPTION_KEY that is %s, without printing it', (_what, key) => {
    const problems = problemsOf({ ...valid, CACHE_ENCRYPTION_KEY: key });
    expect(problems).toEqual([expect.stringMatching(/^CACHE_ENCRYPTION_KEY must be 32 random bytes/)]);
    expect(problems.join('\n')).not.toContain(key);
  });

  it('refuses a prefix or replica id with spaces or odd characters', () => {
    expect(problemsOf({ ...valid, REDIS_KEY_PREFIX: 'has space', REPLICA_ID: 'a b' }).map((p) => p.split(' ')[0]).sort()).toEqual(['REDIS_KEY_PREFIX', 'REPLICA_ID']);
  });

  it('adds the Redis URL, its password (as written and decoded) and the encryption key to the secrets to redact', () => {
    const secrets = secretsOf(parseConfig({ ...valid, REDIS_URL: 'redis://:p%40ss-word@127.0.0.1:6379/0', CACHE_ENCRYPTION_KEY: HEX_KEY }));
    expect(secrets).toEqual(expect.arrayContaining(['redis://:p%40ss-word@127.0.0.1:6379/0', 'p%40ss-word', 'p@ss-word', HEX_KEY]));
  });

  it('.env.example documents every new variable', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    for (const name of ['REDIS_URL', 'REDIS_KEY_PREFIX', 'CACHE_ENCRYPTION_KEY', 'REPLICA_ID']) expect(example).toMatch(new RegExp(`^# .*\\n${name}=`, 'm'));
    // A copied .env.example is a valid configuration of the Redis part (blank REDIS_URL: no Redis).
    const fromExample = Object.fromEntries(example.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const config = parseConfig({ ...fromExample, ...valid });
    expect(config.redis).toEqual({ url: undefined, keyPrefix: 'luminate-bot:', cacheEncryptionKey: undefined });
  });
});
