import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { interactivityBody, postSigned } from '../../dev/stand-ins/signed-requests.js';
import { ModalOrigins } from '../../src/slack/modal-origin.js';
import { logSubmission } from '../support/payloads.js';
import { describeWithRedis, eventually, inspector, keysUnder, pauseRedis, SHARED_REDIS_URL, startOwnRedis, uniquePrefix, type OwnRedis } from '../support/redis.js';
import { header, SECRETS, endReplicas, setSubject, startReplica, startTwoReplicas, startUpstreams, type Replica, type Upstreams } from '../support/replicas.js';

/**
 * Attacks on several replicas sharing one Redis: each `it` is one finding, and fails until the
 * product is fixed (see the finding's comment for the severity and the suggested fix).
 */

const CHANNEL = 'C0DONORS';
const THREAD = '1764400000.000100';
const MESSAGE = '1764400000.000200';

/** The log form's private_metadata as the bot seals it (same secrets as every replica). */
const sealed = () => new ModalOrigins({ botToken: SECRETS.SLACK_BOT_TOKEN, requestSecret: SECRETS.SLACK_SIGNING_SECRET }).seal({ channelId: CHANNEL, threadTs: THREAD, messageTs: MESSAGE }).metadata;

/** Submits the Log to Luminate form to one replica, as Slack would (a fresh trigger_id each time). */
async function submitLog(replica: Replica, fields: { viewId: string; subject: string; user: string; note?: string }) {
  const payload = logSubmission({ donor: 'jane@example.org', subject: fields.subject, note: fields.note ?? 'Said she will renew.', privateMetadata: sealed(), viewId: fields.viewId, user: fields.user });
  const response = await postSigned(`${replica.base}/slack/events`, SECRETS.SLACK_SIGNING_SECRET, interactivityBody(payload));
  expect(response.status).toBe(200);
  return response;
}

/** Everything a list answer (or a card) shows, as text. */
const shown = (answer: unknown) => JSON.stringify(answer ?? null);

describeWithRedis('attack: a log on one replica and the donor lists every replica serves', () => {
  let upstreams: Upstreams;
  let a: Replica;
  let b: Replica;
  let redis: Redis;
  const prefix = uniquePrefix('atk-lists');

  beforeAll(async () => {
    upstreams = await startUpstreams();
    redis = inspector();
    const env = { REDIS_URL: SHARED_REDIS_URL, REDIS_KEY_PREFIX: prefix, LUMINATE_LOGGING_ENABLED: 'true', LOOKUP_RATE_PER_MINUTE: '1000' };
    [a, b] = await startTwoReplicas(upstreams, env);
  }, 60_000);
  afterAll(async () => {
    await endReplicas({ replicas: [a, b], upstreams, redis, prefix });
  });

  // Finding (medium): with REDIS_URL, LogService's "drop the donor's cached lists" does nothing. ListCache.dropDonor
  // calls FetchCache.dropPrefix('<identifierKey>|'), but with a shared level the first level is keyed by the HMAC
  // hash, so no key ever matches; and the shared (Redis) list entries are never touched either. Every replica,
  // the logging one included, keeps serving the list without the new interaction for CACHE_TTL_SECONDS, and a
  // person who checks "did it log?" (the uncertain outcome tells them to) sees "no" and logs it again.
  // Fix: drop lists through the shared level: keep a per-donor list-generation counter in Redis (INCR on log,
  // part of every list key's normalised lookup) or record each list hash under a per-donor Redis set and
  // delete + announce them with Invalidation.drop; keep a non-hashed index for the first level.
  it('shows the new interaction in the donor’s list on both replicas right after it was logged', async () => {
    const before = await a.command('jane@example.org', 'U0LISTER');
    expect(shown(before.answer)).toContain('Sample Subject');
    await b.command('jane@example.org', 'U0LISTER');

    const subject = 'Renewal call logged from Slack';
    await submitLog(a, { viewId: 'V0ATKLIST', subject, user: 'U0LOGGER' });
    await eventually(() => upstreams.luminate.logCount === 1, 'the log to reach Luminate');
    expect(shown(upstreams.luminate.logged)).toContain(subject);

    const afterA = await a.command('jane@example.org', 'U0LISTER2');
    const afterB = await b.command('jane@example.org', 'U0LISTER3');
    expect(shown(afterA.answer), 'the logging replica’s list').toContain(subject);
    expect(shown(afterB.answer), 'the other replica’s list').toContain(subject);
  }, 60_000);

  // Finding (low): the invalidation channel is unauthenticated. A foreign process that can PUBLISH on
  // `<prefix>events` (any client of a shared Redis; hashes are visible with SCAN) sends `set <ns> <hash>
  // 9999999999999999`: every replica raises that key's floor above any real version, so its first level refuses
  // the answer from then on (each lookup goes to Redis, or to Luminate once the shared entry expires), repeatable
  // for every key, which undoes the issue's "Redis is not on the hot path". No value is poisoned.
  // Fix: MAC each event with a key derived from the store secrets (HKDF label "events"), and ignore versions
  // more than a few minutes ahead of the local clock.
  it('keeps serving a hot lookup from its first level after a forged invalidation message', async () => {
    await a.command('1001 jane@example.org', 'U0HOT1');
    // Held in the first level: the next lookup is answered in the ack itself.
    expect((await a.command('1001 jane@example.org', 'U0HOT1')).ack.body).not.toBe('');
    const names = await keysUnder(redis, `${prefix}interaction:`);
    expect(names.length).toBeGreaterThan(0);
    const foreign = inspector();
    try {
      for (const name of names) await foreign.publish(`${prefix}events`, `set interaction ${name.slice(`${prefix}interaction:`.length)} 9999999999999999`);
    } finally {
      foreign.disconnect();
    }
    await new Promise((r) => setTimeout(r, 300));
    await a.command('1001 jane@example.org', 'U0HOT2');
    expect((await a.command('1001 jane@example.org', 'U0HOT2')).ack.body, 'answered from the first level again').not.toBe('');
  }, 60_000);
});

describeWithRedis('attack: exactly-once across replicas when Redis is away or slow', () => {
  let own: OwnRedis;
  let upstreams: Upstreams;
  let a: Replica;
  let b: Replica;
  const prefix = uniquePrefix('atk-once');

  beforeAll(async () => {
    own = await startOwnRedis();
    upstreams = await startUpstreams();
    const env = { REDIS_URL: own.url, REDIS_KEY_PREFIX: prefix, LUMINATE_LOGGING_ENABLED: 'true', LOOKUP_RATE_PER_MINUTE: '1000' };
    [a, b] = await startTwoReplicas(upstreams, env);
  }, 60_000);
  afterAll(async () => {
    await endReplicas({ replicas: [a, b], upstreams });
    await own.stop();
  });

  // Finding (medium): the "log once" guard (view id + entry) falls back to each replica's own memory when Redis
  // is down or merely slow (SharedReplayMemory.firstSeen returns true on any Redis failure or 250 ms timeout), so
  // a double-submitted form whose two submissions land on two replicas is written to Luminate twice. For lookups
  // that fallback is the issue's choice; for the one write the issue promises exactly once.
  // Fix: for the log guard (not lookups), fail closed: when the shared SET NX cannot be confirmed, do not send; answer
  // "Logging is briefly unavailable, try again in a minute" (outcome failed, nothing sent), and forget nothing.
  // So while Redis is away nothing is written (never twice), and the retry once it is back is written exactly once.

  /** What the person saw of one submission: the ack, or the form's update after a "Logging…" ack. */
  const seen = (ack: { body: string }, viewId: string) =>
    ack.body + JSON.stringify(upstreams.slack.callsTo('views.update').filter((c) => JSON.stringify(c).includes(viewId)));
  const unavailable = /Logging is briefly unavailable[^"]*only once[^"]*Try again in a minute/;

  /** The person's retry once Redis is back: the same form, double-submitted to both replicas again. */
  async function retryLogsOnce(viewId: string, subject: string, user: string) {
    const before = upstreams.luminate.logCount;
    await Promise.all([submitLog(a, { viewId, subject, user }), submitLog(b, { viewId, subject, user })]);
    await eventually(() => upstreams.luminate.logCount > before, 'the retry to reach Luminate');
    await new Promise((r) => setTimeout(r, 1500)); // the second replica's write, if it makes one
    expect(upstreams.luminate.logCount - before, 'the retry, written once').toBe(1);
  }

  it('writes a form submitted to both replicas never twice while Redis is down, and once when retried after', async () => {
    const up = async (r: Replica) => JSON.stringify((await r.healthz()).body).includes('"up"');
    await eventually(async () => (await up(a)) && (await up(b)), 'Redis to be up on both');
    await own.stop();
    try {
      await eventually(async () => JSON.stringify((await a.healthz()).body).includes('down') && JSON.stringify((await b.healthz()).body).includes('down'), 'both replicas to see Redis down', 15_000);
      const before = upstreams.luminate.logCount;
      // The person's double click on Submit: one form (one view id), two deliveries, spread over the replicas.
      const first = await submitLog(a, { viewId: 'V0ATKONCE1', subject: 'Double submit during outage', user: 'U0DOUBLE' });
      const second = await submitLog(b, { viewId: 'V0ATKONCE1', subject: 'Double submit during outage', user: 'U0DOUBLE' });
      await eventually(() => unavailable.test(seen(first, 'V0ATKONCE1')) && unavailable.test(seen(second, 'V0ATKONCE1')), 'both to be told logging is briefly unavailable');
      await new Promise((r) => setTimeout(r, 1500)); // a write, if either replica makes one
      expect(upstreams.luminate.logCount - before).toBe(0);
      for (const r of [a, b]) expect(r.lines().filter((l) => l.event === 'interaction.log').map((l) => l.outcome)).toEqual(['failed']);
    } finally {
      await own.restart();
    }
    await eventually(async () => (await up(a)) && (await up(b)), 'Redis to be back on both', 20_000);
    await retryLogsOnce('V0ATKONCE1', 'Double submit during outage', 'U0DOUBLE');
  }, 60_000);

  it('writes a form submitted to both replicas never twice while Redis answers slowly (CLIENT PAUSE), and once when retried after', async () => {
    const up = async (r: Replica) => JSON.stringify((await r.healthz()).body).includes('"up"');
    await eventually(async () => (await up(a)) && (await up(b)), 'Redis to be back on both', 20_000);
    const before = upstreams.luminate.logCount;
    const slow = inspector(own.url);
    slow.on('error', () => undefined);
    try {
      // Redis is up, just slow: every command of the replicas waits 3 s, beyond their 250 ms timeout.
      // CLIENT PAUSE is in force once it answers (a DEBUG SLEEP sent just before may not have started yet).
      await pauseRedis(own.url, 3000);
      const [first, second] = await Promise.all([
        submitLog(a, { viewId: 'V0ATKONCE2', subject: 'Double submit on a slow Redis', user: 'U0DOUBLE2' }),
        submitLog(b, { viewId: 'V0ATKONCE2', subject: 'Double submit on a slow Redis', user: 'U0DOUBLE2' }),
      ]);
      await eventually(() => unavailable.test(seen(first, 'V0ATKONCE2')) && unavailable.test(seen(second, 'V0ATKONCE2')), 'both to be told logging is briefly unavailable');
      await new Promise((r) => setTimeout(r, 1500));
      expect(upstreams.luminate.logCount - before).toBe(0);
    } finally {
      slow.disconnect();
    }
    // A claim that reached Redis after its timeout is released by its token: the retry is not taken for a repeat.
    await eventually(async () => (await up(a)) && (await up(b)), 'Redis to be back on both', 20_000);
    await retryLogsOnce('V0ATKONCE2', 'Double submit on a slow Redis', 'U0DOUBLE2');
  }, 60_000);
});

describeWithRedis('attack: someone else who can write to a shared Redis, with CACHE_ENCRYPTION_KEY set', () => {
  let upstreams: Upstreams;
  let a: Replica;
  let redis: Redis;
  const prefix = uniquePrefix('atk-pin');

  beforeAll(async () => {
    upstreams = await startUpstreams();
    redis = inspector();
    const env = { REDIS_URL: SHARED_REDIS_URL, REDIS_KEY_PREFIX: prefix, CACHE_ENCRYPTION_KEY: 'cd'.repeat(32), CACHE_TTL_SECONDS: '1', LOOKUP_RATE_PER_MINUTE: '1000' };
    a = await startReplica(upstreams, { ...env, REPLICA_ID: 'replica-a' });
  }, 60_000);
  afterAll(async () => {
    await endReplicas({ replicas: [a], upstreams, redis, prefix });
  });

  // Finding (low-medium): AES-GCM authenticates the payload with the key name only; the version field `v` and the
  // expiry (PEXPIRE) are not authenticated. Whoever can write to the shared Redis (the case CACHE_ENCRYPTION_KEY
  // is for) can put back a ciphertext captured earlier (or keep the current one) with a high `v` and no TTL: every
  // replica then serves that old answer long after CACHE_TTL_SECONDS (forever, until someone clicks Refresh), and
  // normal writes are refused as "older". Fix: encrypt {value, version, expiresAt} (or put version and
  // expiresAt in the AAD) and treat an entry past its authenticated expiry, or whose `v` differs from the
  // authenticated one, as a miss (and overwrite it).
  it('never serves an answer older than CACHE_TTL_SECONDS, even one put back into Redis by someone else', async () => {
    const first = await a.command('1000 jane@example.org', 'U0PIN1');
    expect(header(first.answer)).toBe('Sample Subject');
    const names = (await keysUnder(redis, prefix)).filter((k) => k.startsWith(`${prefix}interaction:`));
    expect(names).toHaveLength(1);
    const name = names[0]!;
    const captured = await redis.hget(name, 'd');
    expect(captured).toMatch(/^g/); // encrypted

    setSubject(upstreams.constituents, '1000', 'Corrected subject');
    try {
      // Long past the TTL: the first level and the shared entry are gone, and Luminate now says something else.
      await new Promise((r) => setTimeout(r, 2500));
      // The attacker puts the old ciphertext back, under its own name, "newer" than anything and without expiry.
      await redis.del(name);
      await redis.hset(name, 'v', '9999999999999999', 'd', captured!);
      const later = await a.command('1000 jane@example.org', 'U0PIN2');
      expect(header(later.answer)).toBe('Corrected subject');
    } finally {
      setSubject(upstreams.constituents, '1000', 'Sample Subject');
      await redis.del(name);
    }
  }, 60_000);
});
