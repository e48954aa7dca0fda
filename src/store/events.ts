import type { KeyNamer } from './keys.js';

/**
 * What replicas tell each other on one pub/sub channel (`prefix + 'events'`), as short text lines
 * carrying only key hashes, never a lookup, each signed ({@link KeyNamer.signEvent}): any client of
 * a shared Redis can publish there, and a forged `set` would make every replica drop its first level.
 * - `set <namespace> <hash> <version>`: a value of that version is in the shared cache now (sent by
 *   the same script that wrote it, so no replica hears of it before it can be read);
 * - `fail <namespace> <hash>`: the replica that held the fetch lock gave up without a value.
 */
export type StoreEvent = { kind: 'set'; namespace: string; hash: string; version: number } | { kind: 'fail'; namespace: string; hash: string };

export const eventsChannel = (prefix: string): string => `${prefix}events`;

/** Namespaces are ours (`interaction`, `donor`, …); checked so a message can always be split on spaces. */
export const NAMESPACE = /^[a-z][\w-]{0,31}$/;

/** A replica's clock is within this of the others': a version further ahead was not made by one of them. */
const MAX_VERSION_AHEAD_MS = 5 * 60_000;

/** A signed event of this deployment, or undefined (unsigned, forged, malformed, or a version far ahead of `now`). */
export function readEvent(keys: KeyNamer, message: string, now: number): StoreEvent | undefined {
  if (message.length > 300) return undefined;
  const text = keys.openEvent(message);
  const event = text === undefined ? undefined : parseEvent(text);
  return event?.kind === 'set' && event.version > now + MAX_VERSION_AHEAD_MS ? undefined : event;
}

/** Whatever else shares the Redis may publish here too: anything not exactly of our form is ignored. */
export function parseEvent(message: string): StoreEvent | undefined {
  if (message.length > 200) return undefined;
  const [kind, namespace, hash, version, extra] = message.split(' ');
  if (extra !== undefined || !namespace || !NAMESPACE.test(namespace) || !hash || !/^[\da-f]{64}$/.test(hash)) return undefined;
  if (kind === 'fail' && version === undefined) return { kind, namespace, hash };
  if (kind === 'set' && version !== undefined && /^\d{1,16}$/.test(version)) return { kind, namespace, hash, version: Number(version) };
  return undefined;
}
