import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** Where the modal was opened from, so a Share from it posts there. */
export interface ModalOrigin {
  channelId: string | null;
  threadTs: string | null;
  /** The message a form was opened on ("Log to Luminate"): its permalink goes in the provenance line. */
  messageTs?: string | null;
}

/** An origin with the tamper-evident `private_metadata` that carries it; the views take only this. */
export interface SealedOrigin extends ModalOrigin {
  readonly metadata: string;
}

const NO_ORIGIN: ModalOrigin = { channelId: null, threadTs: null };

/**
 * Seals a modal's origin into its `private_metadata`. Slack hands metadata back
 * verbatim in every submission and click, but anyone able to sign a request can
 * write any metadata; the channel in it decides the channel check, so it must
 * be the one Slack reported when the form was opened. An HMAC proves the bot
 * wrote it. The key is derived from both the signing secret (or app token) and
 * the bot token, so one leaked secret is not enough to forge a channel.
 * Metadata that does not verify reads as "no channel": where channels are
 * restricted, that is refused exactly like the global shortcut.
 */
export class ModalOrigins {
  readonly #key: Buffer;

  constructor({ botToken, requestSecret }: { botToken: string; requestSecret: string }) {
    this.#key = Buffer.from(hkdfSync('sha256', botToken, requestSecret, 'luminate-bot modal origin v1', 32));
  }

  seal(origin: ModalOrigin): SealedOrigin {
    const c = origin.channelId;
    const t = origin.threadTs;
    const m = origin.messageTs ?? null;
    if (m === null) return { channelId: c, threadTs: t, metadata: JSON.stringify({ c, t, s: this.#mac(c, t) }) };
    return { channelId: c, threadTs: t, messageTs: m, metadata: JSON.stringify({ c, t, m, s: this.#mac(c, t, m) }) };
  }

  /** The origin in `metadata` if the bot sealed it, else no channel and no thread. */
  open(metadata: string | undefined): SealedOrigin {
    return this.seal(this.#verified(metadata));
  }

  #verified(metadata: string | undefined): ModalOrigin {
    try {
      const { c, t, m, s } = JSON.parse(metadata ?? '{}') as { c?: unknown; t?: unknown; m?: unknown; s?: unknown };
      const channelId = typeof c === 'string' && /^[A-Z0-9]{2,}$/.test(c) ? c : null;
      const threadTs = typeof t === 'string' && /^\d+\.\d+$/.test(t) ? t : null;
      const messageTs = typeof m === 'string' && /^\d+\.\d+$/.test(m) ? m : null;
      if (typeof s !== 'string') return NO_ORIGIN;
      const given = Buffer.from(s, 'base64url');
      const expected = Buffer.from(this.#mac(channelId, threadTs, messageTs), 'base64url');
      return given.length === expected.length && timingSafeEqual(given, expected) ? { channelId, threadTs, messageTs } : NO_ORIGIN;
    } catch {
      return NO_ORIGIN;
    }
  }

  /** Over the channel and thread, and the message when there is one (a lookup form's seal stays what it was). */
  #mac(channelId: string | null, threadTs: string | null, messageTs: string | null = null): string {
    const sealed = messageTs === null ? [channelId, threadTs] : [channelId, threadTs, messageTs];
    return createHmac('sha256', this.#key).update(JSON.stringify(sealed)).digest('base64url');
  }
}
