import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { MAX_SKEW_SECONDS } from '../server-limits.js';

/**
 * Remembers which requests were already processed. Slack signs a request with
 * its timestamp and refuses nothing itself, so a captured request is valid for
 * the whole signature window; remembering it that long is enough.
 * Kept to one method so that a shared store (Redis, asynchronous) can stand in for it.
 */
export interface ReplayStore {
  /** True the first time `key` is seen within the window, false on every repeat. */
  firstSeen(key: string): boolean | Promise<boolean>;
  /** Forgets `key`: a write that certainly did not happen may be tried again. */
  forget?(key: string): void | Promise<void>;
}

/**
 * How long a signed request stays replayable after it first arrives. A signature is accepted
 * from 5 minutes before its date (a later one is refused as dated ahead) to 5 minutes after
 * (Bolt refuses it as stale), so a request dated ahead of this machine's clock (Slack's clock
 * and ours skewed, or a forged date) is still valid up to 10 minutes after it was first seen.
 */
export const REPLAY_WINDOW_MS = 2 * MAX_SKEW_SECONDS * 1000;

/**
 * In-memory store, bounded in entries so a flood of distinct signed requests
 * can't grow it without limit. When full, the oldest keys go first: those are
 * the closest to leaving the signature window.
 */
export class MemoryReplayStore {
  readonly #seen: LRUCache<string, true>;

  constructor({ ttlMs = REPLAY_WINDOW_MS, maxEntries = 100_000, clock = Date.now }: { ttlMs?: number; maxEntries?: number; clock?: Clock } = {}) {
    this.#seen = new LRUCache<string, true>({ max: maxEntries, ttl: ttlMs, perf: { now: clock }, ttlResolution: 0 });
  }

  firstSeen(key: string): boolean {
    // has() without updateAgeOnGet: a repeat must not extend the window.
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, true);
    return true;
  }

  forget(key: string): void {
    this.#seen.delete(key);
  }
}

/**
 * What makes one user action unique, from the fields Slack puts in each payload
 * type: `trigger_id` is issued once per user action (commands, shortcuts, view
 * submissions and block actions carry it); block actions also carry each
 * action's `action_ts`. Undefined when the payload has none of these, in which
 * case the caller falls back to the whole body.
 */
export function replayKey(body: Record<string, unknown>): string | undefined {
  const team = str(body.team_id) ?? str(obj(body.team)?.id) ?? '';
  const user = str(body.user_id) ?? str(obj(body.user)?.id) ?? '';
  const trigger = str(body.trigger_id);
  const actions = Array.isArray(body.actions)
    ? body.actions.map((a) => {
        const action = obj(a);
        return `${str(action?.action_ts) ?? ''}/${str(action?.block_id) ?? ''}/${str(action?.action_id) ?? ''}`;
      })
    : [];
  if (!trigger && actions.length === 0) return undefined;
  return [str(body.type) ?? str(body.command) ?? '', team, user, trigger ?? '', ...actions].join('|');
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined);
