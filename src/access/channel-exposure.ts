import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { within } from '../within.js';

/** The fields of `conversations.info`'s `channel` that say who beyond the workspace's own organisation is in it. */
export interface ChannelSharing {
  is_ext_shared?: boolean;
  is_shared?: boolean;
  is_org_shared?: boolean;
  is_pending_ext_shared?: boolean;
  pending_shared?: readonly string[];
  pending_connected_team_ids?: readonly string[];
  is_im?: boolean;
  is_mpim?: boolean;
}

/**
 * Whether a card may be posted into a conversation. `internal` is the only yes. `external`: Slack Connect
 * (another organisation is in it); `pending_external`: an invitation to one is open; `unconfirmed`: Slack's answer
 * does not say it is internal; `not_visible`: the bot cannot see the conversation (channel_not_found). `unknown`:
 * Slack did not answer (the reason says why) — never cached, asked again next time.
 */
export type ChannelExposure =
  | { kind: 'internal' }
  | { kind: 'external' | 'pending_external' | 'unconfirmed' | 'not_visible' }
  | { kind: 'unknown'; reason: 'missing_scope' | 'rate_limited' | 'timeout' | 'error' };

export interface ChannelExposureOptions {
  /** `conversations.info`: the conversation's `channel` object. Rejects with the Web API client's error. */
  channelInfo: (channelId: string) => Promise<ChannelSharing>;
  /** How long an answer is trusted. A channel can become Slack Connect at any time, so briefly. */
  ttlMs?: number;
  /** How long to wait for Slack before refusing. */
  timeoutMs?: number;
  onError?: (channelId: string, error: unknown) => void;
  clock?: Clock;
}

/**
 * Donor records are personal data for the organisation's own people. Slack Connect puts another
 * organisation's people in a channel (and in DMs and group DMs with them), so a card is never posted
 * where Slack says that is so, is about to be so, or does not say that it is not. Fails closed.
 */
export class ChannelExposureCheck {
  readonly #options: ChannelExposureOptions;
  readonly #answers: LRUCache<string, ChannelExposure>;

  constructor(options: ChannelExposureOptions) {
    this.#options = options;
    const clock = options.clock ?? Date.now;
    this.#answers = new LRUCache<string, ChannelExposure>({
      max: 1000,
      ttl: options.ttlMs ?? 5 * 60_000,
      ttlResolution: 0,
      perf: { now: clock },
      // Concurrent shares into one channel ask Slack once; a rejection is not cached.
      fetchMethod: async (channelId) => classify(await options.channelInfo(channelId)),
    });
  }

  async check(channelId: string): Promise<ChannelExposure> {
    const asked = this.#answers.fetch(channelId).then(
      (answer): ChannelExposure => answer ?? { kind: 'unknown', reason: 'error' },
      (error: unknown): ChannelExposure => {
        const slackError = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
        // Slack says channel_not_found for a private channel or DM the bot is not in: nothing to check, so no share.
        if (slackError === 'channel_not_found') return { kind: 'not_visible' };
        try {
          this.#options.onError?.(channelId, error);
        } catch {
          // A report that fails must not leave the person without an answer.
        }
        if (slackError === 'missing_scope') return { kind: 'unknown', reason: 'missing_scope' };
        const code = (error as { code?: unknown } | undefined)?.code;
        if (code === 'slack_webapi_rate_limited_error' || slackError === 'ratelimited') return { kind: 'unknown', reason: 'rate_limited' };
        return { kind: 'unknown', reason: 'error' };
      },
    );
    return (await within(asked, this.#options.timeoutMs ?? 3000)) ?? { kind: 'unknown', reason: 'timeout' };
  }
}

/**
 * Internal only when Slack says explicitly it is not externally shared (`is_ext_shared: false`; an answer
 * without the field, for a DM say, is not enough), no invitation to another organisation is pending, and any
 * sharing is across the workspace's own Enterprise Grid organisation (`is_org_shared`).
 */
export function classify(channel: ChannelSharing): ChannelExposure {
  if (channel.is_ext_shared === true) return { kind: 'external' };
  if (channel.is_pending_ext_shared === true || (channel.pending_shared?.length ?? 0) > 0 || (channel.pending_connected_team_ids?.length ?? 0) > 0) {
    return { kind: 'pending_external' };
  }
  if (channel.is_ext_shared !== false) return { kind: 'unconfirmed' };
  if (channel.is_shared === true && channel.is_org_shared !== true) return { kind: 'unconfirmed' };
  return { kind: 'internal' };
}
