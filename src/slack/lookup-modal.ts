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

export function encodeOrigin(origin: ModalOrigin): string {
  return JSON.stringify({ c: origin.channelId, t: origin.threadTs });
}

export function decodeOrigin(metadata: string | undefined): ModalOrigin {
  try {
    const { c, t } = JSON.parse(metadata ?? '{}') as { c?: unknown; t?: unknown };
    return {
      channelId: typeof c === 'string' && /^[A-Z0-9]{2,}$/.test(c) ? c : null,
      threadTs: typeof t === 'string' && /^\d+\.\d+$/.test(t) ? t : null,
    };
  } catch {
    return { channelId: null, threadTs: null };
  }
}

const TITLE = { type: 'plain_text', text: 'Look up interaction' } as const;

export interface LookupFormOptions {
  origin: ModalOrigin;
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
    textInput(LOOKUP_MODAL.interactionIdBlock, 'Interaction id', 'The number on the constituent’s Interactions tab in Luminate Online.', 'e.g. 1000', 20, interactionId),
    textInput(LOOKUP_MODAL.donorBlock, 'Donor', 'Their primary email, cons:<constituent id> or member:<member id>.', 'jane@example.org, cons:1001001 or member:JD-1001', 300, donor),
  );
  return {
    type: 'modal',
    callback_id: LOOKUP_MODAL.callbackId,
    title: TITLE,
    submit: { type: 'plain_text', text: 'Look up' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeOrigin(origin),
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
export function messageView(message: SlackMessage, origin: ModalOrigin, title = 'Luminate interaction'): types.ModalView {
  return {
    type: 'modal',
    callback_id: LOOKUP_MODAL.callbackId,
    title: { type: 'plain_text', text: plainText(title, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Done' },
    private_metadata: encodeOrigin(origin),
    blocks: message.blocks.slice(0, LIMITS.blocksPerModal),
  };
}
