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
/** Associated data of an encrypted payload: the format (entries of the older one read as a miss) and the key name. */
const AAD_FORMAT = 'v2\0';
/** A stored version further ahead of this clock was not written by a replica of ours (see {@link SharedCache.set}). */
const MAX_VERSION_AHEAD_MS = 5 * 60_000;

/**
 * Write-if-newer, expiry and announcement in one step, so that readers never see a value without its
 * TTL, an older fetch finishing late never overwrites a newer answer, and the `set` event is published
 * only once the value can be read (see invalidation.ts); ARGV[6] is the signed event, made for
 * version ARGV[1], the only version this writes. Returns the version stored, or 0 when a newer
 * one was already there; with ARGV[4] '1' (a Refresh), minus the newer version, so the caller can seal
 * its payload with the version above it and write again ('2': write whatever is there). Versions stay
 * below 2^53 and 14 digits, so Lua prints them exactly.
 */
export const SET_IF_NEWER_LUA = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'v'))
local v = tonumber(ARGV[1])
if cur and cur >= v and ARGV[4] ~= '2' then
  if ARGV[4] == '1' then return -cur end
  return 0
end
redis.call('HSET', KEYS[1], 'v', v, 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return v
`;

const DELETE_IF_SAME_LUA = `if redis.call('HGET', KEYS[1], 'd') == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The second-level cache shared by replicas. Entries are Redis hashes `{ v: version, d: payload }`
 * named by {@link KeyNamer} (no donor data in any name). With a value key, payloads are AES-256-GCM
 * with a random IV each and the key name as associated data, so an entry copied under another name,
 * altered, or stored in the clear by someone else reads as a miss. The version and the expiry are
 * sealed inside with the value: whoever can write to the Redis could otherwise put back an old
 * ciphertext with a high `v` and no TTL, and have every replica serve it for good. An entry past its
 * sealed expiry, or whose `v` is not the sealed one, reads as a miss (and the reader deletes it).
 * No method throws: when Redis is down or slow, reads miss and writes are skipped, and the connection
 * notes the failure.
 */
export class SharedCache {
  readonly keys: KeyNamer;
  readonly #connection: RedisConnection;
  readonly #valueKey: Buffer | undefined;
  readonly #clock: () => number;

  constructor({ connection, keys, valueKey, clock = Date.now }: { connection: RedisConnection; keys: KeyNamer; valueKey: Buffer | undefined; clock?: () => number }) {
    this.#connection = connection;
    this.keys = keys;
    this.#valueKey = valueKey;
    this.#clock = clock;
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
    const entry = this.decodeEntry<T>(name, version ?? null, payload ?? null);
    // Not ours to read (altered, expired, replayed): delete it, unless it changed meanwhile, so writes can land again.
    if (!entry && payload) await this.#connection.run((c) => c.eval(DELETE_IF_SAME_LUA, 1, name, payload));
    return entry;
  }

  /** Stores `value` and announces it; resolves to the version stored, or undefined (Redis down, or a newer version there). */
  async set<T>(namespace: string, hash: string, value: T, { ttlMs, version, force = false }: SharedSetOptions): Promise<number | undefined> {
    const name = this.keys.name(checked(namespace), hash);
    let v = Math.floor(version);
    let mode = force ? '1' : '0';
    // A Refresh takes a version above what is there; the payload is sealed with it, so it is chosen here.
    for (let attempt = 0; attempt < 3; attempt++) {
      const payload = this.encode(name, value, { version: v, ttlMs });
      const result = await this.#connection.run(
        (c) => c.eval(SET_IF_NEWER_LUA, 1, name, v, payload, Math.max(1, Math.ceil(ttlMs)), mode, eventsChannel(this.keys.prefix), this.keys.signEvent(`set ${namespace} ${hash} ${v}`)) as Promise<number>,
      );
      if (!result.ok) return undefined;
      if (result.value >= 0) return result.value > 0 ? result.value : undefined;
      const newer = -result.value;
      // Far ahead of any replica's clock: not ours (written into the Redis by someone else), so replace it.
      if (newer > this.#clock() + MAX_VERSION_AHEAD_MS) mode = '2';
      else v = newer + 1;
    }
    return undefined;
  }

  async delete(namespace: string, hash: string): Promise<void> {
    const name = this.keys.name(checked(namespace), hash);
    await this.#connection.run((c) => c.del(name));
  }

  /** The payload stored for `value` of `version` under the key `name`, sealed (when encrypted) with its version and expiry. */
  encode(name: string, value: unknown, { version, ttlMs }: { version: number; ttlMs: number }): string {
    if (!this.#valueKey) return `j${JSON.stringify(value)}`;
    const json = JSON.stringify([Math.floor(version), this.#clock() + Math.max(1, Math.ceil(ttlMs)), value]);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#valueKey, iv);
    cipher.setAAD(Buffer.from(AAD_FORMAT + name, 'utf8'));
    const body = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
    return `g${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** An entry read back, or undefined for anything not written by this deployment with these keys. */
  decodeEntry<T>(name: string, version: string | null, payload: string | null): SharedEntry<T> | undefined {
    if (version === null || payload === null || payload.length > MAX_PAYLOAD_CHARS || !/^\d{1,16}$/.test(version)) return undefined;
    const json = this.#decrypt(name, payload);
    if (json === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return undefined;
    }
    if (!this.#valueKey) return { value: parsed as T, version: Number(version) };
    // Sealed: [version, expiresAt, value]. Another `v` beside it, or past its expiry: put there by someone else.
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
    const [sealedVersion, expiresAt, value] = parsed as [unknown, unknown, T];
    if (sealedVersion !== Number(version) || typeof expiresAt !== 'number' || expiresAt <= this.#clock()) return undefined;
    return { value, version: sealedVersion };
  }

  #decrypt(name: string, payload: string): string | undefined {
    // A plain entry where encryption is on would let whoever can write to the Redis feed us answers.
    if (!this.#valueKey) return payload.startsWith('j') ? payload.slice(1) : undefined;
    if (!payload.startsWith('g')) return undefined;
    const bytes = Buffer.from(payload.slice(1), 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#valueKey, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(AAD_FORMAT + name, 'utf8'));
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
