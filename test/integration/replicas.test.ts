import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startProcess } from '../../dev/stand-ins/child-process.js';
import { postSigned, slashCommandBody, interactivityBody } from '../../dev/stand-ins/signed-requests.js';
import { ModalOrigins } from '../../src/slack/modal-origin.js';
import { buttonClick, logSubmission } from '../support/payloads.js';
import { describeWithRedis, eventually, inspector, keysUnder, SHARED_REDIS_URL, startOwnRedis, uniquePrefix, type OwnRedis } from '../support/redis.js';
import { buttonValue, ENTRY, header, SECRETS, endReplicas, setSubject, startReplica, startTwoReplicas, startUpstreams, type Replica, type Upstreams } from '../support/replicas.js';

/** What no key (and, encrypted, no value) may hold: the donor's email, name, ids, and what the record says. */
const DONOR_DATA = /jane|example\.org|doe|1001001|JD-1001|sample subject|lorem/i;

/** The subjects of Jane's interactions 1000 and 1001: a card, not a failure message. */
const SUBJECTS = ['Sample Subject', 'Phone call: Gift Aid question'];

describeWithRedis('two bot processes sharing one Redis', () => {
  let upstreams: Upstreams;
  let a: Replica;
  let b: Replica;
  let redis: Redis;
  const prefix = uniquePrefix('wire');

  beforeAll(async () => {
    upstreams = await startUpstreams();
    redis = inspector();
    const env = { REDIS_URL: SHARED_REDIS_URL, REDIS_KEY_PREFIX: prefix, LOOKUP_RATE_PER_MINUTE: '5', LUMINATE_LOGGING_ENABLED: 'true' };
    [a, b] = await startTwoReplicas(upstreams, env);
  }, 60_000);
  afterAll(async () => {
    await endReplicas({ replicas: [a, b], upstreams, redis, prefix });
  });

  it('says Redis is up in /healthz and the start line, and names its replica on every log and audit line', async () => {
    for (const [replica, id] of [
      [a, 'replica-a'],
      [b, 'replica-b'],
    ] as const) {
      expect(await replica.healthz()).toEqual({ status: 200, body: { status: 'ready', redis: 'up' } });
      expect(replica.lines()).toContainEqual(expect.objectContaining({ msg: 'bot started', redis: 'up', replica: id }));
      for (const line of replica.lines()) expect(line.replica).toBe(id);
    }
  });

  it('serves on replica B the answer replica A fetched, without calling Luminate again', async () => {
    const before = upstreams.luminate.lookupCount;
    const first = await a.command('1000 jane@example.org', 'U0SHARED1');
    expect(header(first.answer)).toBe('Sample Subject');
    expect(upstreams.luminate.lookupCount).toBe(before + 1);
    const second = await b.command('1000 JANE@example.org', 'U0SHARED2');
    expect(header(second.answer)).toBe('Sample Subject');
    expect(upstreams.luminate.lookupCount).toBe(before + 1);
    const audit = b.lines().filter((l) => l.event === 'interaction.lookup' && l.user === 'U0SHARED2');
    expect(audit).toEqual([expect.objectContaining({ outcome: 'found', cached: true, replica: 'replica-b' })]);
  });

  it('makes one Luminate call for a stampede split across both replicas', async () => {
    upstreams.luminate.latencyMs = 800;
    try {
      const before = upstreams.luminate.lookupCount;
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).command('1001 jane@example.org', `U0STAMPEDE${i}`)));
      for (const { answer } of answers) expect(header(answer)).toBe('Phone call: Gift Aid question');
      expect(upstreams.luminate.lookupCount).toBe(before + 1);
    } finally {
      upstreams.luminate.latencyMs = 0;
    }
  });

  it('shows a Refresh made on one replica on the other, never the older answer', async () => {
    const seenA = await a.command('1000 cons:1001001', 'U0REFRESH1');
    const seenB = await b.command('1000 cons:1001001', 'U0REFRESH2');
    expect([header(seenA.answer), header(seenB.answer)]).toEqual(['Sample Subject', 'Sample Subject']);
    // B now holds the answer in its own first level too: a lookup there is answered in the ack.
    expect((await b.command('1000 cons:1001001', 'U0REFRESH2')).ack.body).not.toBe('');
    setSubject(upstreams.constituents, '1000', 'Updated after a call');
    try {
      const responseUrl = upstreams.slack.newResponseUrl();
      const click = buttonClick({ actionId: 'interaction_refresh', value: buttonValue(seenA.answer, 'interaction_refresh'), user: 'U0REFRESH1', in: { message: { channel: 'C0DONORS', responseUrl } } });
      expect((await postSigned(`${a.base}/slack/events`, SECRETS.SLACK_SIGNING_SECRET, interactivityBody(click))).status).toBe(200);
      const refreshed = await upstreams.slack.waitForResponse(responseUrl, 1, 10_000);
      expect(header(refreshed.body as never)).toBe('Updated after a call');
      const lookups = upstreams.luminate.lookupCount;
      for (const replica of [b, a]) expect(header((await replica.command('1000 cons:1001001', 'U0REFRESH3')).answer)).toBe('Updated after a call');
      expect(upstreams.luminate.lookupCount).toBe(lookups);
    } finally {
      setSubject(upstreams.constituents, '1000', 'Sample Subject');
    }
  });

  it('holds LOOKUP_RATE_PER_MINUTE across replicas', async () => {
    const texts: string[] = [];
    for (let i = 0; i < 6; i++) texts.push(header((await (i % 2 ? a : b).command('1000 jane@example.org', 'U0LIMITED')).answer) ?? '');
    expect(texts.slice(0, 5)).toEqual(Array(5).fill('Sample Subject'));
    expect(texts[5]).toMatch(/made 5 lookups in the last minute/);
    const refusals = () => [...a.lines(), ...b.lines()].filter((l) => l.event === 'interaction.lookup' && l.user === 'U0LIMITED' && l.outcome === 'rate_limited');
    // Audit lines reach the pipe after the answer: wait for the line, then make sure there is just one.
    await eventually(() => refusals().length > 0, 'the refusal to be audited');
    expect(refusals()).toEqual([expect.objectContaining({ replica: 'replica-a' })]);
  });

  it('refuses a request replayed to the other replica', async () => {
    const responseUrl = upstreams.slack.newResponseUrl();
    const body = slashCommandBody({ text: '1002 cons:1001001', response_url: responseUrl, user_id: 'U0REPLAY' });
    const timestamp = Math.floor(Date.now() / 1000);
    await a.command('', 'U0REPLAY', { body, timestamp });
    await upstreams.slack.waitForResponse(responseUrl, 1, 10_000);
    const replayed = await b.command('', 'U0REPLAY', { body, timestamp });
    expect(replayed.ack).toMatchObject({ status: 200, body: '' });
    await eventually(() => b.lines().some((l) => l.msg === 'ignored a request already processed (replay)'), 'the replay to be logged');
    expect(upstreams.slack.responsesTo(responseUrl)).toHaveLength(1);
    expect(b.lines().filter((l) => l.event === 'interaction.lookup' && l.user === 'U0REPLAY')).toHaveLength(0);
  });

  it('shows on replica B the row a log made on replica A, though B had the donor’s list cached', async () => {
    const listed = async (user: string) => JSON.stringify((await b.command('jane@example.org', user)).answer);
    expect(await listed('U0LOGLIST1')).not.toContain('Logged on replica A');
    // Cached on B now: the same list is answered in B's ack, from its own first level.
    expect((await b.command('jane@example.org', 'U0LOGLIST2')).ack.body).toContain('Sample Subject');

    const privateMetadata = new ModalOrigins({ botToken: SECRETS.SLACK_BOT_TOKEN, requestSecret: SECRETS.SLACK_SIGNING_SECRET }).seal({ channelId: 'C0DONORS', threadTs: null, messageTs: null }).metadata;
    const form = logSubmission({ donor: 'jane@example.org', subject: 'Logged on replica A', note: 'Renewing.', typeId: '0', privateMetadata, viewId: 'V0REPLICALOG', user: 'U0LOGGER' });
    const ack = await postSigned(`${a.base}/slack/events`, SECRETS.SLACK_SIGNING_SECRET, interactivityBody(form));
    expect(ack.status).toBe(200);
    await eventually(() => a.lines().some((l) => l.event === 'interaction.log' && l.outcome === 'logged'), 'the log on replica A');
    expect(upstreams.luminate.logCount).toBe(1);

    expect(await listed('U0LOGLIST3')).toContain('Logged on replica A');
  });

  it('names keys by keyed hash only, each with a TTL, and keeps the Redis password and secrets out of every line', async () => {
    const keys = await keysUnder(redis, prefix);
    expect(keys.length).toBeGreaterThan(3);
    for (const key of keys) {
      expect(key).not.toMatch(DONOR_DATA);
      expect(key).not.toMatch(/U0[A-Z]/); // nor a Slack user id
      expect(key.slice(prefix.length)).toMatch(/^[a-z-]+:[\da-f]{64}(?::lock)?$/);
      expect(await redis.pttl(key)).toBeGreaterThan(0);
    }
    const output = a.proc.stdout() + a.proc.stderr() + b.proc.stdout() + b.proc.stderr();
    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
  });
});

describeWithRedis('Redis with a password and CACHE_ENCRYPTION_KEY, killed mid-traffic and brought back', () => {
  const password = 'redis-pa55word-never-logged';
  let own: OwnRedis;
  let upstreams: Upstreams;
  let a: Replica;
  let b: Replica;
  let redis: Redis;
  const prefix = uniquePrefix('outage');

  beforeAll(async () => {
    own = await startOwnRedis({ password });
    upstreams = await startUpstreams();
    redis = inspector(own.url);
    redis.on('error', () => undefined); // this test's own look-in client, while the server is stopped on purpose
    const env = { REDIS_URL: `${own.url}/0`, REDIS_KEY_PREFIX: prefix, CACHE_ENCRYPTION_KEY: 'ab'.repeat(32), LOOKUP_RATE_PER_MINUTE: '1000' };
    [a, b] = await startTwoReplicas(upstreams, env);
  }, 60_000);
  afterAll(async () => {
    await endReplicas({ replicas: [a, b], upstreams, redis });
    await own.stop();
  });

  it('stores no donor data in keys or values', async () => {
    await a.command('1000 jane@example.org', 'U0ENC');
    await b.command('1000 jane@example.org', 'U0ENC');
    const keys = await keysUnder(redis, prefix);
    const entries = keys.filter((k) => k.startsWith(`${prefix}interaction:`) || k.startsWith(`${prefix}donor:`));
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) {
      expect(key).not.toMatch(DONOR_DATA);
      const type = await redis.type(key);
      const value = type === 'hash' ? JSON.stringify(await redis.hgetall(key)) : type === 'string' ? ((await redis.get(key)) ?? '') : '';
      expect(value, key).not.toMatch(DONOR_DATA);
    }
  });

  it('answers throughout, logs one warning when Redis goes and one line when it is back, then shares again', async () => {
    let sent = 0;
    let answered = 0;
    let running = true;
    // Traffic on both replicas for the whole outage: each lookup must be answered.
    const traffic = (async () => {
      while (running) {
        const replica = sent % 2 ? a : b;
        sent += 1;
        const { answer } = await replica.command(`${1000 + (sent % 2)} jane@example.org`, `U0TRAFFIC${sent % 7}`);
        if (SUBJECTS.includes(header(answer) ?? '')) answered += 1;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await eventually(() => answered >= 4, 'traffic before the outage');
    await own.stop();
    const down = (r: Replica) => r.lines().filter((l) => l.level === 'warn' && /Redis is unreachable/.test(String(l.msg)));
    await eventually(() => down(a).length > 0 && down(b).length > 0, 'both replicas to notice Redis is gone', 15_000);
    for (const replica of [a, b]) expect(await replica.healthz()).toEqual({ status: 200, body: { status: 'ready', redis: 'down' } });
    const duringOutage = answered;
    await eventually(() => answered >= duringOutage + 6, 'lookups answered while Redis is down', 15_000);
    await own.restart();
    const back = (r: Replica) => r.lines().filter((l) => /Redis is back/.test(String(l.msg)));
    await eventually(() => back(a).length > 0 && back(b).length > 0, 'both replicas to notice Redis is back', 20_000);
    const afterOutage = answered;
    await eventually(() => answered >= afterOutage + 4, 'lookups answered after the outage', 15_000);
    running = false;
    await traffic;
    expect(answered).toBe(sent);
    for (const replica of [a, b]) {
      expect(down(replica), JSON.stringify(down(replica))).toHaveLength(1);
      expect(back(replica), JSON.stringify(back(replica))).toHaveLength(1);
      expect(await replica.healthz()).toEqual({ status: 200, body: { status: 'ready', redis: 'up' } });
    }

    // Sharing resumes: what A fetches now, B serves without Luminate.
    const before = upstreams.luminate.lookupCount;
    expect(header((await a.command('1002 cons:1001001', 'U0AFTER')).answer)).toBeDefined();
    expect(header((await b.command('1002 cons:1001001', 'U0AFTER')).answer)).toBeDefined();
    expect(upstreams.luminate.lookupCount).toBe(before + 1);

    const output = a.proc.stdout() + a.proc.stderr() + b.proc.stdout() + b.proc.stderr();
    expect(output).not.toContain(password);
    expect(output).not.toContain(own.url);
  }, 120_000);
});

describeWithRedis('Redis unreachable at start', () => {
  it('starts, answers from Luminate, says so in its log and in /healthz', async () => {
    const upstreams = await startUpstreams();
    const port = await freePort(); // nothing listens there
    const replica = await startReplica(upstreams, { REDIS_URL: `redis://:start-pa55@127.0.0.1:${port}/1`, REPLICA_ID: 'lonely' });
    try {
      expect(await replica.healthz()).toEqual({ status: 200, body: { status: 'ready', redis: 'down' } });
      expect(header((await replica.command('1000 jane@example.org', 'U0ALONE')).answer)).toBe('Sample Subject');
      const lines = replica.lines();
      expect(lines.filter((l) => /unreachable at start/.test(String(l.msg)))).toEqual([expect.objectContaining({ level: 'warn', replica: 'lonely' })]);
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'bot started', redis: 'down' }));
      expect(replica.proc.stdout() + replica.proc.stderr()).not.toContain('start-pa55');
    } finally {
      await endReplicas({ replicas: [replica], upstreams });
    }
  }, 60_000);
});

describe('a malformed REDIS_URL', () => {
  it('exits 78 naming REDIS_URL, without printing it', async () => {
    const url = 'http://:hunter2-redis-secret@redis.internal:6379';
    const proc = startProcess(ENTRY, { ...SECRETS, LUMINATE_URL: 'https://secure.example.org/site', LUMINATE_LOGIN_NAME: 'bot', REDIS_URL: url });
    expect(await proc.exited).toBe(78);
    expect(proc.stderr()).toContain('REDIS_URL');
    expect(proc.stderr() + proc.stdout()).not.toContain('hunter2-redis-secret');
    expect(proc.stderr()).not.toContain('redis.internal');
  });
});
