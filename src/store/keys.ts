import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Secrets for the shared store, derived so that every replica of one deployment gets the same ones
 * without another variable to copy around:
 * - with `CACHE_ENCRYPTION_KEY`: both come from it (HKDF-SHA256, one label each, so the same bytes
 *   never serve two purposes);
 * - without it: the key-hash secret comes from `LUMINATE_API_KEY`, which every replica of one site
 *   necessarily shares (the Slack signing secret is absent in Socket Mode). HKDF is one-way, so the
 *   derived secret reveals nothing of the API key; rotating the API key renames every key (the shared
 *   cache starts cold once). Values are then stored unencrypted.
 */
export interface StoreSecrets {
  /** HMAC-SHA256 key that turns a lookup into a key name: no donor email, name or id reaches Redis. */
  keyHashSecret: Buffer;
  /** AES-256-GCM key for cached values, or undefined to store them as JSON. */
  valueKey: Buffer | undefined;
  /** HMAC-SHA256 key that signs the replicas' pub/sub events: anyone else may publish on a shared Redis. */
  eventSecret: Buffer;
}

export function deriveStoreSecrets({ cacheEncryptionKey, luminateApiKey }: { cacheEncryptionKey: Buffer | undefined; luminateApiKey: string }): StoreSecrets {
  const root = cacheEncryptionKey ?? Buffer.from(luminateApiKey, 'utf8');
  return {
    keyHashSecret: hkdf(root, 'luminate-bot redis key names v1'),
    eventSecret: hkdf(root, 'luminate-bot redis events hmac v1'),
    valueKey: cacheEncryptionKey && hkdf(cacheEncryptionKey, 'luminate-bot redis values aes-256-gcm v1'),
  };
}

function hkdf(root: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), info, 32));
}

/**
 * `prefix + namespace + ':' + hex HMAC`: the name of one entry, the same on every replica; and the
 * signature of the events replicas publish under that prefix.
 */
export class KeyNamer {
  readonly prefix: string;
  readonly #secret: Buffer;
  readonly #eventSecret: Buffer;

  constructor({ prefix, keyHashSecret, eventSecret }: { prefix: string; keyHashSecret: Buffer; eventSecret: Buffer }) {
    this.prefix = prefix;
    this.#secret = keyHashSecret;
    this.#eventSecret = eventSecret;
  }

  /** `text` and its MAC (bound to this prefix), as published: only replicas of this deployment can make one. */
  signEvent(text: string): string {
    return `${text} ${this.#eventMac(text).toString('base64url')}`;
  }

  /** The text of a message {@link signEvent} made, or undefined for anything else (unsigned, altered, foreign). */
  openEvent(message: string): string | undefined {
    const cut = message.lastIndexOf(' ');
    if (cut < 0) return undefined;
    const text = message.slice(0, cut);
    const mac = Buffer.from(message.slice(cut + 1), 'base64url');
    const expected = this.#eventMac(text);
    return mac.length === expected.length && timingSafeEqual(mac, expected) ? text : undefined;
  }

  #eventMac(text: string): Buffer {
    return createHmac('sha256', this.#eventSecret).update(this.prefix).update('\0').update(text).digest();
  }

  /** The keyed hash of a normalised lookup (the caller normalises: lower-cased email and so on). */
  hash(namespace: string, normalisedKey: string): string {
    // The namespace is inside the MAC too, so equal lookups of two kinds never share a hash.
    return createHmac('sha256', this.#secret).update(namespace).update('\0').update(normalisedKey).digest('hex');
  }

  /** Full key name for an entry of `namespace`, from the hash {@link hash} gave. */
  name(namespace: string, hash: string, suffix = ''): string {
    return `${this.prefix}${namespace}:${hash}${suffix}`;
  }
}
