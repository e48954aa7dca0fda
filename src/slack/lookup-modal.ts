import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { types } from '@slack/bolt';
import type { SlackMessage } from './interaction-card.js';
import { LIMITS, plainText } from './mrkdwn.js';

/** Ids the modal listeners and the submission's inline errors depend on. */
export const LOOKUP_MODAL = {
  callbackId: 'lookup_interaction_modal',
  interactionIdBlock: 'interaction_id',
  donorBlock: 'donor',
  inputAction: 'value',
} as const;

/** Where the modal was opened from, so a Share from it posts there. */
export interface ModalOrigin {
  channelId: string | null;
  threadTs: string | null;
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
    return { channelId: c, threadTs: t, metadata: JSON.stringify({ c, t, s: this.#mac(c, t) }) };
  }

  /** The origin in `metadata` if the bot sealed it, else no channel and no thread. */
  open(metadata: string | undefined): SealedOrigin {
    return this.seal(this.#verified(metadata));
  }

  #verified(metadata: string | undefined): ModalOrigin {
    try {
      const { c, t, s } = JSON.parse(metadata ?? '{}') as { c?: unknown; t?: unknown; s?: unknown };
      const channelId = typeof c === 'string' && /^[A-Z0-9]{2,}$/.test(c) ? c : null;
      const threadTs = typeof t === 'string' && /^\d+\.\d+$/.test(t) ? t : null;
      if (typeof s !== 'string') return NO_ORIGIN;
      const given = Buffer.from(s, 'base64url');
      const expected = Buffer.from(this.#mac(channelId, threadTs), 'base64url');
      return given.length === expected.length && timingSafeEqual(given, expected) ? { channelId, threadTs } : NO_ORIGIN;
    } catch {
      return NO_ORIGIN;
    }
  }

  #mac(channelId: string | null, threadTs: string | null): string {
    return createHmac('sha256', this.#key).update(JSON.stringify([channelId, threadTs])).digest('base64url');
  }
}

const TITLE = { type: 'plain_text', text: 'Look up interaction' } as const;

export interface LookupFormOptions {
  origin: SealedOrigin;
  interactionId?: string;
  donor?: string;
  /** Already-safe mrkdwn shown above the inputs, e.g. what the message mentioned. */
  hint?: string;
}

/** The lookup form: empty from the global shortcut, prefilled from a message. */
export function lookupFormView({ origin, interactionId, donor, hint }: LookupFormOptions): types.ModalView {
  const blocks: types.KnownBlock[] = [];
  // verbatim: the hint can name donors the message mentioned; their text must not become mentions.
  if (hint) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: hint.slice(0, LIMITS.contextText) }] });
  blocks.push(
    {
      // Optional: without an id, the form answers with the donor's recent interactions.
      ...textInput(LOOKUP_MODAL.interactionIdBlock, 'Interaction id', 'The number on the constituent’s Interactions tab in Luminate Online. Leave it empty to list the donor’s recent interactions.', 'e.g. 1000', 20, interactionId),
      optional: true,
    },
    textInput(LOOKUP_MODAL.donorBlock, 'Donor', 'Their primary email, cons:<constituent id> or member:<member id>.', 'jane@example.org, cons:1001001 or member:JD-1001', 300, donor),
  );
  return {
    type: 'modal',
    callback_id: LOOKUP_MODAL.callbackId,
    title: TITLE,
    submit: { type: 'plain_text', text: 'Look up' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: origin.metadata,
    blocks,
  };
}

function textInput(blockId: string, label: string, hint: string, placeholder: string, maxLength: number, initial: string | undefined): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    hint: { type: 'plain_text', text: hint },
    element: {
      type: 'plain_text_input',
      action_id: LOOKUP_MODAL.inputAction,
      placeholder: { type: 'plain_text', text: placeholder },
      max_length: maxLength,
      ...(initial ? { initial_value: initial.slice(0, maxLength) } : {}),
    },
  };
}

/** A modal that shows a message: the card, a failure, a refusal, or "looking up…". */
export function messageView(message: SlackMessage, origin: SealedOrigin, title = 'Luminate interaction'): types.ModalView {
  return {
    type: 'modal',
    callback_id: LOOKUP_MODAL.callbackId,
    title: { type: 'plain_text', text: plainText(title, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Done' },
    private_metadata: origin.metadata,
    blocks: message.blocks.slice(0, LIMITS.blocksPerModal),
  };
}
