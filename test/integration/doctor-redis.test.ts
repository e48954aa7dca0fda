import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StandInLuminate } from '../../dev/stand-ins/luminate.js';
import { StandInSlack } from '../../dev/stand-ins/slack.js';
import { formatReport, runDoctor } from '../../src/doctor/run-doctor.js';
import { doctorEnv } from '../support/doctor.js';
import { describeWithRedis, inspector, keysUnder, SHARED_REDIS_URL, startOwnRedis, uniquePrefix, type OwnRedis } from '../support/redis.js';

const secrets = { token: 'xoxb-doctor-redis-token', signing: 'doctor-redis-signing', apiKey: 'doctor-redis-api-key', password: 'doctor-redis-password', redis: 'doctor-redis-server-pass' };

describeWithRedis('npm run doctor: Redis', () => {
  let luminate: StandInLuminate;
  let slack: StandInSlack;
  let own: OwnRedis;
  let redis: Redis;
  let env: Record<string, string>;

  beforeAll(async () => {
    luminate = await StandInLuminate.start({ apiKey: secrets.apiKey, loginName: 'bot', loginPassword: secrets.password });
    slack = await StandInSlack.start({ botToken: secrets.token });
    own = await startOwnRedis({ password: secrets.redis });
    redis = inspector();
    env = doctorEnv(luminate, slack, secrets);
  });
  afterAll(async () => {
    redis.disconnect();
    await Promise.all([luminate.close(), slack.close(), own.stop()]);
  });

  async function report(overrides: Record<string, string>) {
    const checks = await runDoctor({ ...env, ...overrides });
    const text = formatReport(checks);
    for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
    return { text, redis: checks.find((c) => c.name === 'redis') };
  }

  it('checks nothing of Redis without REDIS_URL', async () => {
    expect((await report({})).redis).toBeUndefined();
  });

  it('reports version and round trip, and leaves no key behind', async () => {
    const prefix = uniquePrefix('doctor');
    const { redis: check, text } = await report({ REDIS_URL: SHARED_REDIS_URL, REDIS_KEY_PREFIX: prefix });
    expect(check?.ok).toBe(true);
    expect(text).toMatch(/^✓ redis {4}Redis \d+\.\d+\.\d+ at 127\.0\.0\.1:6379 answers \(round trip \d+\.\d ms\); a key under "lbt-doctor-[\da-f]+:" was written with a TTL, read back and deleted$/m);
    expect(await keysUnder(redis, prefix)).toEqual([]);
  });

  it('authenticates with the password in REDIS_URL', async () => {
    const { redis: check } = await report({ REDIS_URL: own.url });
    expect(check).toMatchObject({ ok: true });
  });

  it('says the password was refused, or is missing, without printing it', async () => {
    const wrong = await report({ REDIS_URL: own.url.replace(encodeURIComponent(secrets.redis), 'wrong-pass') });
    expect(wrong.redis).toMatchObject({ ok: false, detail: expect.stringMatching(/refused the password in REDIS_URL/) });
    expect(wrong.text).not.toContain('wrong-pass');
    const missing = await report({ REDIS_URL: `redis://127.0.0.1:${own.port}` });
    expect(missing.redis).toMatchObject({ ok: false, detail: expect.stringMatching(/requires a password/) });
  });

  it('says where it could not connect', async () => {
    const { redis: check } = await report({ REDIS_URL: `redis://:${secrets.redis}@127.0.0.1:1` });
    expect(check).toMatchObject({ ok: false, detail: expect.stringMatching(/^could not reach Redis at 127\.0\.0\.1:1 .*check the host and port in REDIS_URL/) });
  });
});
