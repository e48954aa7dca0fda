import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { eventsChannel, NAMESPACE } from './events.js';
import type { KeyNamer } from './keys.js';
import type { RedisConnection } from './redis-connection.js';

/** A cached value and its version: the caller's clock when its fetch started, raised past older ones. */
export interface SharedEntry<T> {
  value: T;
  version: number;
}

export interface SharedSetOptions {
  /** Every entry expires (PEXPIRE); at least 1 ms. */
  ttlMs: number;
  /** Orders writes: a write older than (or as old as) the entry already there is dropped, unless `force`. */
  version: number;
  /** A Refresh: replace whatever is there, taking a version above it, so no older answer can win afterwards. */
  force?: boolean;
}

/** Larger payloads are not read back (a hostile or corrupted entry must not cost a big parse). */
const MAX_PAYLOAD_CHARS = 2_000_000;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Write-if-newer, expiry and announcement in one step, so that readers never see a value without its
 * TTL, an older fetch finishing late never overwrites a newer answer, and the `set` event is published
 * only once the value can be read (see invalidation.ts). Returns the version stored, or 0 when a newer
 * one was already there. Versions stay below 2^53 and 14 digits, so Lua prints them exactly.
 */
export const SET_IF_NEWER_LUA = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'v'))
local v = tonumber(ARGV[1])
if cur and cur >= v then
  if ARGV[4] == '1' then v = cur + 1 else return 0 end
end
redis.call('HSET', KEYS[1], 'v', v, 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[5], ARGV[6] .. ' ' .. string.format('%d', v))
return v
`;

/**
 * The second-level cache shared by replicas. Entries are Redis hashes `{ v: version, d: payload }`
 * named by {@link KeyNamer} (no donor data in any name). With a value key, payloads are AES-256-GCM
 * with a random IV each and the key name as associated data, so an entry copied under another name,
 * altered, or stored in the clear by someone else reads as a miss. No method throws: when Redis is
 * down or slow, reads miss and writes are skipped, and the connection notes the failure.
 */
export class SharedCache {
  readonly keys: KeyNamer;
  readonly #connection: RedisConnection;
  readonly #valueKey: Buffer | undefined;

  constructor({ connection, keys, valueKey }: { connection: RedisConnection; keys: KeyNamer; valueKey: Buffer | undefined }) {
    this.#connection = connection;
    this.keys = keys;
    this.#valueKey = valueKey;
  }

  /** The keyed hash that names `normalisedKey`'s entry; first levels key by it so invalidations find their entries. */
  hash(namespace: string, normalisedKey: string): string {
    return this.keys.hash(namespace, normalisedKey);
  }

  async get<T>(namespace: string, hash: string): Promise<SharedEntry<T> | undefined> {
    const name = this.keys.name(checked(namespace), hash);
    const result = await this.#connection.run((c) => c.hmget(name, 'v', 'd'));
    if (!result.ok) return undefined;
    const [version, payload] = result.value;
    return this.decodeEntry<T>(name, version ?? null, payload ?? null);
  }

  /** Stores `value` and announces it; resolves to the version stored, or undefined (Redis down, or a newer version there). */
  async set<T>(namespace: string, hash: string, value: T, { ttlMs, version, force = false }: SharedSetOptions): Promise<number | undefined> {
    const name = this.keys.name(checked(namespace), hash);
    const payload = this.encode(name, value);
    const result = await this.#connection.run(
      (c) =>
        c.eval(SET_IF_NEWER_LUA, 1, name, Math.floor(version), payload, Math.max(1, Math.ceil(ttlMs)), force ? '1' : '0', eventsChannel(this.keys.prefix), `set ${namespace} ${hash}`) as Promise<number>,
    );
    return result.ok && result.value > 0 ? result.value : undefined;
  }

  async delete(namespace: string, hash: string): Promise<void> {
    const name = this.keys.name(checked(namespace), hash);
    await this.#connection.run((c) => c.del(name));
  }

  /** The payload stored for `value` under the key `name`. */
  encode(name: string, value: unknown): string {
    const json = JSON.stringify(value);
    if (!this.#valueKey) return `j${json}`;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#valueKey, iv);
    cipher.setAAD(Buffer.from(name, 'utf8'));
    const body = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
    return `g${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** An entry read back, or undefined for anything not written by this deployment with these keys. */
  decodeEntry<T>(name: string, version: string | null, payload: string | null): SharedEntry<T> | undefined {
    if (version === null || payload === null || payload.length > MAX_PAYLOAD_CHARS || !/^\d{1,16}$/.test(version)) return undefined;
    const json = this.#decrypt(name, payload);
    if (json === undefined) return undefined;
    try {
      return { value: JSON.parse(json) as T, version: Number(version) };
    } catch {
      return undefined;
    }
  }

  #decrypt(name: string, payload: string): string | undefined {
    // A plain entry where encryption is on would let whoever can write to the Redis feed us answers.
    if (!this.#valueKey) return payload.startsWith('j') ? payload.slice(1) : undefined;
    if (!payload.startsWith('g')) return undefined;
    const bytes = Buffer.from(payload.slice(1), 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#valueKey, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(name, 'utf8'));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return undefined; // the tag did not match: altered, or written with another key
    }
  }
}

function checked(namespace: string): string {
  if (!NAMESPACE.test(namespace)) throw new Error(`bad shared-cache namespace: ${namespace}`);
  return namespace;
}
