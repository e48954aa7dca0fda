import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
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

describe('parseConfig', () => {
  it('reads HOST, the interface to listen on; unset means all interfaces', () => {
    expect(parseConfig(valid).host).toBeUndefined();
    expect(parseConfig({ ...valid, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(parseConfig({ ...valid, HOST: '::' }).host).toBe('::');
    expect(problemsOf({ ...valid, HOST: 'http://127.0.0.1:3000/' })).toEqual([expect.stringMatching(/^HOST must be an address or host name/)]);
  });

  it('applies the documented defaults', () => {
    const config = parseConfig(valid);
    expect(config.port).toBe(3000);
    expect(config.luminate).toMatchObject({ url: 'https://secure2.convio.net/yourorg/site', timeoutMs: 10_000, maxConnections: 10 });
    expect(config.cache).toEqual({ ttlSeconds: 300, maxEntries: 5000 });
    expect(config.slack.appToken).toBeUndefined();
    expect(config.slack.apiUrl).toBeUndefined();
    expect(config.logLevel).toBe('info');
    expect(config.luminate.interactionTypeNames.get('0')).toBe('Other');
  });

  it('reads every variable', () => {
    const config = parseConfig({
      ...valid,
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      PORT: '8080',
      LUMINATE_TIMEOUT_MS: '2500',
      LUMINATE_MAX_CONNECTIONS: '4',
      LUMINATE_INTERACTION_TYPES: '1=Phone call, 3 = Email',
      CACHE_TTL_SECONDS: '60',
      CACHE_MAX_ENTRIES: '100',
      LOG_LEVEL: 'debug',
    });
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(config.port).toBe(8080);
    expect(config.luminate).toMatchObject({ timeoutMs: 2500, maxConnections: 4 });
    expect([...config.luminate.interactionTypeNames]).toEqual([['0', 'Other'], ['1', 'Phone call'], ['3', 'Email']]);
    expect(config.cache).toEqual({ ttlSeconds: 60, maxEntries: 100 });
    expect(config.logLevel).toBe('debug');
  });

  it('Socket Mode needs the app token instead of the signing secret', () => {
    const { SLACK_SIGNING_SECRET: _omit, ...rest } = valid;
    expect(parseConfig({ ...rest, SLACK_APP_TOKEN: 'xapp-1-abc' }).slack.appToken).toBe('xapp-1-abc');
    expect(problemsOf(rest)).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET is required in HTTP mode/)]);
  });

  it('names every missing variable at once, and treats blanks as missing', () => {
    const problems = problemsOf({ LUMINATE_API_KEY: '  ' });
    const named = problems.map((p) => p.split(' ')[0]);
    expect(named).toEqual(
      expect.arrayContaining(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'LUMINATE_URL', 'LUMINATE_API_KEY', 'LUMINATE_LOGIN_NAME', 'LUMINATE_LOGIN_PASSWORD']),
    );
    expect(named).toHaveLength(6);
  });

  it('names malformed values without printing them', () => {
    const env = {
      ...valid,
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
      SLACK_APP_TOKEN: 'not-an-app-token-secret',
      LUMINATE_URL: 'ftp://secret-host.example/site',
      PORT: 'eighty',
      LUMINATE_TIMEOUT_MS: '-5',
      LUMINATE_MAX_CONNECTIONS: '0',
      CACHE_MAX_ENTRIES: '1e9',
      LOG_LEVEL: 'loud',
      LUMINATE_INTERACTION_TYPES: 'phone',
    };
    let message = '';
    try {
      parseConfig(env);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'LUMINATE_URL', 'PORT', 'LUMINATE_TIMEOUT_MS', 'LUMINATE_MAX_CONNECTIONS', 'CACHE_MAX_ENTRIES', 'LOG_LEVEL', 'LUMINATE_INTERACTION_TYPES']) {
      expect(message).toContain(name);
    }
    for (const value of Object.values(env).filter((v) => v.length >= 5)) expect(message).not.toContain(value);
  });

  it('refuses plain http to Luminate except on loopback, and URLs carrying credentials', () => {
    expect(problemsOf({ ...valid, LUMINATE_URL: 'http://secure2.convio.net/org/site' })).toEqual([expect.stringMatching(/^LUMINATE_URL must be an https/)]);
    expect(parseConfig({ ...valid, LUMINATE_URL: 'http://127.0.0.1:8080/org/site' }).luminate.url).toBe('http://127.0.0.1:8080/org/site');
    expect(problemsOf({ ...valid, LUMINATE_URL: 'https://user:pw@secure2.convio.net/org/site' })[0]).toMatch(/must not carry credentials/);
    expect(problemsOf({ ...valid, LUMINATE_URL: 'not a url' })[0]).toMatch(/must be an http\(s\) URL/);
  });

  it('reads the allow-lists, the access contact and the admin link', () => {
    const config = parseConfig({
      ...valid,
      SLACK_ALLOWED_USERS: 'U012AB, W034CD',
      SLACK_ALLOWED_USERGROUPS: 'S0DONORS',
      SLACK_ALLOWED_CHANNELS: 'C0DONORS,G0PRIVATE',
      SLACK_ACCESS_CONTACT: 'U0LEAD',
      LUMINATE_ADMIN_URL_TEMPLATE: 'https://secure2.convio.net/yourorg/admin/Profile?id={consId}',
    });
    expect([...config.access.users]).toEqual(['U012AB', 'W034CD']);
    expect([...config.access.usergroups]).toEqual(['S0DONORS']);
    expect([...config.access.channels]).toEqual(['C0DONORS', 'G0PRIVATE']);
    expect(config.access.contact).toBe('U0LEAD');
    expect(config.luminate.adminUrlTemplate).toBe('https://secure2.convio.net/yourorg/admin/Profile?id={consId}');
  });

  it('defaults to open access and derives the admin link from LUMINATE_URL', () => {
    const config = parseConfig(valid);
    expect(config.access.users.size + config.access.usergroups.size + config.access.channels.size).toBe(0);
    expect(config.luminate.adminUrlTemplate).toBe('https://secure2.convio.net/yourorg/admin/ConsProfileUser?consId={consId}');
  });

  it('refuses ids of the wrong kind and an admin link without {consId}', () => {
    const problems = problemsOf({ ...valid, SLACK_ALLOWED_USERS: 'C0NOTAUSER', SLACK_ALLOWED_CHANNELS: '#general', LUMINATE_ADMIN_URL_TEMPLATE: 'https://x.org/profile' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['LUMINATE_ADMIN_URL_TEMPLATE', 'SLACK_ALLOWED_CHANNELS', 'SLACK_ALLOWED_USERS']);
  });

  it('leaves logging to Luminate off by default, with no loggers named', () => {
    expect(parseConfig(valid).logging).toEqual({ enabled: false, users: new Set(), usergroups: new Set() });
    expect(parseConfig({ ...valid, LUMINATE_LOGGING_ENABLED: '  ' }).logging.enabled).toBe(false);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    [' Yes ', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['NO', false],
  ])('reads LUMINATE_LOGGING_ENABLED=%s as %s', (raw, enabled) => {
    expect(parseConfig({ ...valid, LUMINATE_LOGGING_ENABLED: raw }).logging.enabled).toBe(enabled);
  });

  it.each(['on', 'enabled', '2', 'truee'])('refuses LUMINATE_LOGGING_ENABLED=%s without quoting it', (raw) => {
    expect(problemsOf({ ...valid, LUMINATE_LOGGING_ENABLED: raw })).toEqual(['LUMINATE_LOGGING_ENABLED must be true or false (or 1/0, yes/no)']);
  });

  it('sorts SLACK_ALLOWED_LOGGERS into users and user groups', () => {
    const { logging } = parseConfig({ ...valid, LUMINATE_LOGGING_ENABLED: 'true', SLACK_ALLOWED_LOGGERS: 'U012AB, S0CARE ,W034CD,,' });
    expect(logging).toEqual({ enabled: true, users: new Set(['U012AB', 'W034CD']), usergroups: new Set(['S0CARE']) });
  });

  it.each(['C0DONORS', '#care', 'u012ab', 'U012AB S0CARE', '@ana'])('refuses %s in SLACK_ALLOWED_LOGGERS without quoting it', (raw) => {
    const problems = problemsOf({ ...valid, SLACK_ALLOWED_LOGGERS: `U012AB,${raw}` });
    expect(problems).toEqual([expect.stringMatching(/^SLACK_ALLOWED_LOGGERS must be a comma-separated list of Slack user ids/)]);
    expect(problems[0]).not.toContain(raw);
  });

  it('lists the secrets for redaction', () => {
    expect(secretsOf(parseConfig(valid)).sort()).toEqual(['api-key-value', 'password-value', 'signing-secret-value', 'xoxb-test-bot-token-value']);
  });
});

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
