import { expect, it } from 'vitest';
import { MemoryReplayStore } from '../../../src/access/replay-guard.js';
import { ReplicaStore } from '../../../src/store/replica-store.js';
import { describeWithRedis, eventually, recordingLogger } from '../../support/redis.js';
import { startTcpGate } from '../../support/tcp-gate.js';
import { API_KEY, useReplicas } from './replica.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a replica asks of the store for one lookup: limit, replay memory, shared answer, Refresh, "gone". Must never reject. */
async function lookup(store: ReplicaStore, i: number): Promise<void> {
  const level = store.secondLevel;
  const hash = level.hash('interaction', `key-${i % 3}`);
  const fetch = async () => {
    await sleep(5);
    return { answer: i };
  };
  await Promise.all([
    store.rateLimit.take(`U0PERSON${i % 4}`),
    store.rateLimit.peek('U0PERSON0'),
    store.replays.firstSeen(`request-${i}`),
    level.fetchOnce('interaction', hash, fetch, { budgetMs: 2000, ttlMs: 60_000 }),
    i % 5 === 0 ? level.refresh('interaction', hash, fetch, { ttlMs: 60_000 }) : level.get('interaction', hash),
    i % 7 === 0 ? level.drop('interaction', hash, Date.now()) : undefined,
  ]);
}

describeWithRedis('The store when Redis dies (real Redis)', () => {
  const t = useReplicas('outage');

  // Node ends a process on an unhandled rejection by default: one from the store would take a replica down
  // with the Redis it was built to do without.
  it('leaves no unhandled rejection when Redis is killed mid-traffic and the replica shuts down while reconnecting', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const own = await t.ownRedis();
    const gate = await startTcpGate(own.port);
    try {
      const store = new ReplicaStore({
        url: gate.url,
        keyPrefix: t.prefix,
        cacheEncryptionKey: undefined,
        luminateApiKey: API_KEY,
        replicaId: 'outage-test',
        logger: recordingLogger(),
        firstLevelTtlMs: 60_000,
        lookupsPerMinute: 1000,
        localReplays: new MemoryReplayStore(),
        replayWindowMs: 600_000,
      });
      expect(await store.waitUntilUp(5000)).toBe(true);

      let stop = false;
      let done = 0;
      const traffic = async (worker: number) => {
        for (let i = worker; !stop; i += 2) {
          await lookup(store, i);
          done += 1;
          await sleep(2);
        }
      };
      const workers = [traffic(0), traffic(1)];
      await eventually(() => done >= 10, 'traffic while Redis is up');

      await own.stop();
      await eventually(() => store.status() === 'down', 'the outage to be noticed');
      const duringOutage = done;
      await eventually(() => done >= duringOutage + 10, 'traffic answered during the outage');

      // Redis comes back, and both connections (commands, pub/sub) stop with their ready check sent and
      // unanswered: the replica is shut down in the middle of reconnecting, its lookups still in flight.
      gate.holdRepliesAfter('$4\r\ninfo\r\n');
      await own.restart();
      await eventually(() => gate.held() === 2, 'both connections to be mid-reconnect', 15_000);
      const closing = store.close();
      stop = true;
      await Promise.all(workers);
      gate.release();
      await closing;
      // Let ioredis take in the late replies and close both sockets, and Node report any rejection left unhandled.
      await eventually(() => gate.connections() === 0, 'both connections to close');
      await sleep(200);
      expect(rejections.map(String)).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      await gate.close();
    }
  });
});
