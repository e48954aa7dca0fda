import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { Provenance } from '../service/log-draft.js';
import { within } from '../within.js';

/** The Web API calls the directory makes (users.info needs `users:read`; chat.getPermalink needs no scope). */
export interface DirectoryApi {
  userName(userId: string): Promise<string | undefined>;
  channelName(channelId: string): Promise<string | undefined>;
  permalink(channelId: string, messageTs: string): Promise<string | undefined>;
}

export interface SlackDirectoryOptions {
  api: DirectoryApi;
  /** Told why a name could not be read; the text then shows the id instead. */
  onError?: (what: string, error: unknown) => void;
  clock?: Clock;
}

const TTL_MS = 60 * 60_000;

/**
 * Names for a note and its provenance line: people's display names, channels' names, a message's
 * permalink. Each read once and kept an hour, so the form's submit (3 s to answer) finds them already
 * read when the shortcut opened it. A name that does not come in time is left out, never waited for.
 */
export class SlackDirectory {
  readonly #onError: (what: string, error: unknown) => void;
  readonly #users: LRUCache<string, { name: string | undefined }>;
  readonly #channels: LRUCache<string, { name: string | undefined }>;
  readonly #links: LRUCache<string, { url: string | undefined }>;

  constructor({ api, onError = () => undefined, clock = Date.now }: SlackDirectoryOptions) {
    this.#onError = onError;
    const options = { max: 5000, ttl: TTL_MS, ttlResolution: 0, perf: { now: clock } };
    this.#users = new LRUCache({ ...options, fetchMethod: async (id: string) => ({ name: await this.#read('users.info', () => api.userName(id)) }) });
    this.#channels = new LRUCache({ ...options, fetchMethod: async (id: string) => ({ name: await this.#read('conversations.info', () => api.channelName(id)) }) });
    this.#links = new LRUCache({
      ...options,
      fetchMethod: async (key: string) => {
        const [channel, ts] = key.split('|') as [string, string];
        return { url: await this.#read('chat.getPermalink', () => api.permalink(channel, ts)) };
      },
    });
  }

  /** A person's display name already read, for text resolved without waiting. */
  userName = (userId: string): string | undefined => this.#users.get(userId)?.name;

  channelName = (channelId: string): string | undefined => this.#channels.get(channelId)?.name;

  /** A name Slack put in a signed payload (a shortcut's channel): no call needed. */
  rememberChannel(channelId: string, name: string | undefined): void {
    if (name) this.#channels.set(channelId, { name });
  }

  /** Reads these names, waiting at most `withinMs`; the reads go on and are kept for later. */
  async learn({ users = [], channels = [] }: { users?: readonly string[]; channels?: readonly string[] }, withinMs: number): Promise<void> {
    const reads = [...users.map((u) => quiet(this.#users.fetch(u))), ...channels.map((c) => quiet(this.#channels.fetch(c)))];
    await within(Promise.allSettled(reads), withinMs);
  }

  /** Who logged it from where: what is known within `withinMs`, ids where a name did not come. */
  async provenance({ userId, channelId, messageTs }: { userId: string; channelId: string | null; messageTs: string | null }, withinMs: number): Promise<Provenance> {
    const [user, channel, link] = await Promise.all([
      within(quiet(this.#users.fetch(userId)), withinMs),
      channelId ? within(quiet(this.#channels.fetch(channelId)), withinMs) : undefined,
      channelId && messageTs ? within(quiet(this.#links.fetch(`${channelId}|${messageTs}`)), withinMs) : undefined,
    ]);
    return { displayName: user?.name ?? '', userId, channelName: channel?.name ?? null, permalink: link?.url ?? null };
  }

  async #read<T>(what: string, call: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      // Not cached: the next form asks again.
      this.#onError(what, error);
      throw error;
    }
  }
}

/** Reported where it failed (`onError`); here it is only a name that did not come. */
function quiet<T>(read: Promise<T>): Promise<T | undefined> {
  return read.catch(() => undefined);
}
