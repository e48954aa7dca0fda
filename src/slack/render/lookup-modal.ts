import type { types } from '@slack/bolt';
import type { SealedOrigin } from '../modal-origin.js';
import type { SlackMessage } from './message.js';
import { LIMITS, plainText } from './mrkdwn.js';
import { textInput } from './text-input.js';

const input = (blockId: string, label: string, hint: string, placeholder: string, maxLength: number, initial: string | undefined) =>
  textInput({ blockId, actionId: LOOKUP_MODAL.inputAction, label, hint, placeholder, maxLength, initial });

/** Ids the modal listeners and the submission's inline errors depend on. */
export const LOOKUP_MODAL = {
  callbackId: 'lookup_interaction_modal',
  interactionIdBlock: 'interaction_id',
  donorBlock: 'donor',
  inputAction: 'value',
} as const;

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
      ...input(LOOKUP_MODAL.interactionIdBlock, 'Interaction id', 'The number on the constituent’s Interactions tab in Luminate Online. Leave it empty to list the donor’s recent interactions.', 'e.g. 1000', 20, interactionId),
      optional: true,
    },
    input(LOOKUP_MODAL.donorBlock, 'Donor', 'Their primary email, cons:<constituent id> or member:<member id>.', 'jane@example.org, cons:1001001 or member:JD-1001', 300, donor),
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
