import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { eventsChannel, parseEvent } from './events.js';
import type { KeyNamer } from './keys.js';
import type { RedisConnection } from './redis-connection.js';
import type { Generations } from './second-level.js';

/**
 * Raise in one step: the next generation is above the stored one and at least the caller's clock, so a
 * counter that expired and started again never comes back to a number an older entry still carries. Stored
 * with a TTL, and announced (as the shared cache's `set` event, see invalidation.ts) once it can be read.
 */
const RAISE_LUA = `
local cur = tonumber(redis.call('GET', KEYS[1])) or 0
local g = math.max(cur + 1, tonumber(ARGV[1]))
redis.call('SET', KEYS[1], string.format('%d', g), 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. string.format('%d', g))
return g
`;

interface Known {
  generation: number;
  /** False after pub/sub came back: a raise may have been missed, so the store is read again before use. */
  current: boolean;
}

/** The counter's namespace beside its group's entries: `list` → `list-gen`. */
const counterNamespace = (namespace: string) => `${namespace}-gen`;

/**
 * Generations over Redis: `GET`/raise of `<prefix><ns>-gen:<hmac(group)>` (no donor in any name), each
 * replica keeping what it read in memory so that a hot lookup never leaves the process, and hearing other
 * replicas' raises on the events channel. While Redis is away a raise is made here alone, from the clock,
 * so this replica never reads the entries the write made stale; the others catch up when Redis answers.
 */
export class SharedGenerations implements Generations {
  readonly #connection: RedisConnection;
  readonly #keys: KeyNamer;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #known: LRUCache<string, Known>;
  readonly #reading = new Map<string, Promise<number>>();
  readonly #unsubscribe: () => void;
  readonly #unresync: () => void;

  constructor({ connection, keys, entryTtlMs, clock = Date.now, maxGroups = 100_000 }: { connection: RedisConnection; keys: KeyNamer; entryTtlMs: number; clock?: Clock; maxGroups?: number }) {
    this.#connection = connection;
    this.#keys = keys;
    this.#clock = clock;
    // Past one entry TTL after a raise, no entry of an older generation is left anywhere: after that a
    // forgotten counter reads as 0 safely. Kept twice as long, and at least a minute, for margin.
    this.#ttlMs = Math.max(60_000, 2 * entryTtlMs);
    this.#known = new LRUCache<string, Known>({ max: maxGroups, ttl: Math.max(1, entryTtlMs) });
    this.#unsubscribe = connection.subscribe(eventsChannel(keys.prefix), (message) => {
      const event = parseEvent(message);
      if (event?.kind === 'set' && event.namespace.endsWith('-gen')) this.#learn(`${event.namespace} ${event.hash}`, event.version, true);
    });
    this.#unresync = connection.onResync(() => {
      for (const known of this.#known.values()) known.current = false;
    });
  }

  known(namespace: string, groupKey: string): number | undefined {
    const known = this.#known.get(this.#id(namespace, groupKey));
    return known?.current ? known.generation : undefined;
  }

  read(namespace: string, groupKey: string): Promise<number> {
    const id = this.#id(namespace, groupKey);
    const known = this.#known.get(id);
    if (known?.current) return Promise.resolve(known.generation);
    let reading = this.#reading.get(id);
    if (!reading) {
      reading = this.#read(id, known).finally(() => this.#reading.delete(id));
      this.#reading.set(id, reading);
    }
    return reading;
  }

  async raise(namespace: string, groupKey: string): Promise<void> {
    const id = this.#id(namespace, groupKey);
    const ns = counterNamespace(namespace);
    const hash = this.#keys.hash(ns, groupKey);
    const result = await this.#connection.run(
      (c) => c.eval(RAISE_LUA, 1, this.#keys.name(ns, hash), Math.floor(this.#clock()), this.#ttlMs, eventsChannel(this.#keys.prefix), `set ${ns} ${hash}`) as Promise<number>,
    );
    const local = this.#known.get(id)?.generation ?? 0;
    if (result.ok) this.#learn(id, Number(result.value), true);
    // Redis is away: raised here alone (kept unconfirmed so that, once Redis answers, the higher of the two wins).
    else this.#known.set(id, { generation: Math.max(local + 1, Math.floor(this.#clock())), current: true });
  }

  close(): void {
    this.#unsubscribe();
    this.#unresync();
  }

  async #read(id: string, known: Known | undefined): Promise<number> {
    const [ns, hash] = id.split(' ') as [string, string];
    const result = await this.#connection.run((c) => c.get(this.#keys.name(ns, hash)));
    // Redis is away: what this replica knew (its own raises included), not remembered as current.
    if (!result.ok) return known?.generation ?? 0;
    const stored = result.value !== null && /^\d{1,16}$/.test(result.value) ? Number(result.value) : 0;
    return this.#learn(id, Math.max(stored, known?.generation ?? 0), true);
  }

  #learn(id: string, generation: number, current: boolean): number {
    const known = this.#known.get(id);
    const highest = Math.max(generation, known?.generation ?? 0);
    this.#known.set(id, { generation: highest, current: current || (known?.current ?? false) });
    return highest;
  }

  #id(namespace: string, groupKey: string): string {
    const ns = counterNamespace(namespace);
    return `${ns} ${this.#keys.hash(ns, groupKey)}`;
  }
}
