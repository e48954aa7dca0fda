import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';

/** Who is asking, and where. `channelId` is null for surfaces with no channel (a global shortcut's modal). */
export interface Requester {
  userId: string;
  channelId: string | null;
}

export type AccessDecision =
  | { allowed: true }
  | { allowed: false; reason: 'user' | 'channel' | 'no_channel' | 'check_failed' };

export interface AccessPolicyOptions {
  users: ReadonlySet<string>;
  usergroups: ReadonlySet<string>;
  channels: ReadonlySet<string>;
  /** `usergroups.users.list`: the members of one user group. */
  listGroupMembers: (usergroupId: string) => Promise<readonly string[]>;
  /** Told which group could not be read, and why (a deleted group, a missing scope, a timeout). */
  onGroupError?: (usergroupId: string, error: unknown) => void;
  /** How long group membership is trusted before it is read again. */
  membershipTtlMs?: number;
  clock?: Clock;
}

/**
 * SLACK_ALLOWED_USERS / _USERGROUPS / _CHANNELS. With none set everyone may
 * look up. With users or groups set, the requester must be one of the users or
 * in one of the groups; with channels set, the request must come from one of
 * them. Groups are read independently: any one that lists the person lets
 * them in, so one deleted or unreadable group does not lock out the members
 * of the others. When no group lists the person and some could not be read,
 * the answer is "could not confirm" (check_failed): donor data fails closed.
 */
export class AccessPolicy {
  readonly #options: AccessPolicyOptions;
  readonly #members: LRUCache<string, ReadonlySet<string>>;

  constructor(options: AccessPolicyOptions) {
    this.#options = options;
    const clock = options.clock ?? Date.now;
    this.#members = new LRUCache<string, ReadonlySet<string>>({
      max: Math.max(1, options.usergroups.size),
      ttl: options.membershipTtlMs ?? 60_000,
      ttlResolution: 0,
      perf: { now: clock },
      fetchMethod: async (groupId) => new Set(await options.listGroupMembers(groupId)),
    });
  }

  /** A decision without I/O, or undefined when group membership must be read first. */
  peek(requester: Requester): AccessDecision | undefined {
    const channel = this.#channelDecision(requester);
    if (channel) return channel;
    const { users, usergroups } = this.#options;
    if ((users.size === 0 && usergroups.size === 0) || users.has(requester.userId)) return { allowed: true };
    let unknown = false;
    for (const group of usergroups) {
      const members = this.#members.get(group);
      if (members?.has(requester.userId)) return { allowed: true };
      if (!members) unknown = true;
    }
    return unknown ? undefined : { allowed: false, reason: 'user' };
  }

  async check(requester: Requester): Promise<AccessDecision> {
    const quick = this.peek(requester);
    if (quick) return quick;
    const { usergroups, onGroupError } = this.#options;
    let failed = false;
    // All groups at once, each with its own failure: the first that lists the person decides.
    const reads = [...usergroups].map((group) =>
      this.#members.fetch(group).then(
        (members) => members?.has(requester.userId) === true,
        (error: unknown) => {
          failed = true;
          try {
            onGroupError?.(group, error);
          } catch {
            // A report that fails must not leave the person without an answer.
          }
          return false;
        },
      ),
    );
    const confirmed = await new Promise<boolean>((resolve) => {
      for (const read of reads) void read.then((listed) => listed && resolve(true));
      void Promise.all(reads).then(() => resolve(false));
    });
    if (confirmed) return { allowed: true };
    return { allowed: false, reason: failed ? 'check_failed' : 'user' };
  }

  #channelDecision({ channelId }: Requester): AccessDecision | undefined {
    const { channels } = this.#options;
    if (channels.size === 0) return undefined;
    if (channelId === null) return { allowed: false, reason: 'no_channel' };
    return channels.has(channelId) ? undefined : { allowed: false, reason: 'channel' };
  }
}
