import type { types } from '@slack/bolt';
import { MAX_SUBJECT_CHARS } from '../../luminate/log-interaction.js';
import { MAX_DONOR_CHARS, type DraftField, type DraftProblem, type SubmittedDraft } from '../../service/log-draft.js';
import type { SealedOrigin } from '../modal-origin.js';
import { LIMITS, plainText, truncateMrkdwn } from './mrkdwn.js';
import { textInput } from './text-input.js';
import { describeInputProblem } from './input-problems.js';

/** Ids the form's listener and its inline errors depend on. */
export const LOG_FORM = {
  callbackId: 'log_interaction_modal',
  blocks: { donor: 'log_donor', subject: 'log_subject', note: 'log_note', type: 'log_type' } satisfies Record<DraftField, string>,
  inputAction: 'value',
} as const;

/** A static select holds at most 100 options; its text at most 75 characters. */
const MAX_TYPE_OPTIONS = 100;
const MAX_OPTION_TEXT = 75;
/** Slack shows inline errors under the input; long ones are cut by Slack, so keep them short. */
const MAX_INLINE_ERROR = 150;

export interface LogFormOptions {
  origin: SealedOrigin;
  /** What the fields hold: the draft from the message, or what the person typed (after a failure). */
  values: SubmittedDraft;
  /** LUMINATE_INTERACTION_TYPES; 0 "Other" is always offered. */
  typeNames: ReadonlyMap<string, string>;
  /** Room for the note beside the provenance line (`noteRoom`). */
  noteMax: number;
  /** The message did not fit and the note was cut. */
  noteCut?: boolean;
  /** Already-safe mrkdwn above the fields: why the last attempt logged nothing. */
  problem?: string;
}

const input = (blockId: string, label: string, hint: string, maxLength: number, initial: string, multiline = false) =>
  textInput({ blockId, actionId: LOG_FORM.inputAction, label, hint, maxLength, initial, multiline });

/** "Log to Luminate": the form prefilled from a message, or shown again with what was typed. */
export function logFormView({ origin, values, typeNames, noteMax, noteCut = false, problem }: LogFormOptions): types.ModalView {
  const blocks: types.KnownBlock[] = [];
  if (problem) blocks.push({ type: 'section', text: { type: 'mrkdwn', verbatim: true, text: truncateMrkdwn(problem, LIMITS.sectionText) } });
  blocks.push(
    input(LOG_FORM.blocks.donor, 'Donor', 'Their primary email, cons:<constituent id> or member:<member id>.', MAX_DONOR_CHARS, values.donor),
    input(LOG_FORM.blocks.subject, 'Subject', `At most ${MAX_SUBJECT_CHARS} characters.`, MAX_SUBJECT_CHARS, values.subject),
    {
      ...input(LOG_FORM.blocks.note, 'Note', noteCut ? 'The message was longer than a note can hold, so it is cut here.' : `At most ${noteMax} characters.`, Math.max(1, noteMax), values.note, true),
      optional: true,
    },
    typeSelect(typeNames, values.typeId),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Luminate Online records the bot’s account as the creator, so a last line is added to the note: who logged it from Slack, in which channel, and a link to the message. Only you see the confirmation.',
        },
      ],
    },
  );
  return {
    type: 'modal',
    callback_id: LOG_FORM.callbackId,
    title: { type: 'plain_text', text: 'Log to Luminate' },
    submit: { type: 'plain_text', text: 'Log' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: origin.metadata,
    blocks,
  };
}

/** What the person typed, read from a submission's `state.values`. */
export function submittedValues(values: Record<string, Record<string, { value?: string | null; selected_option?: { value?: string } | null }>>): SubmittedDraft {
  const input = (block: string) => values[block]?.[LOG_FORM.inputAction];
  return {
    donor: input(LOG_FORM.blocks.donor)?.value ?? '',
    subject: input(LOG_FORM.blocks.subject)?.value ?? '',
    note: input(LOG_FORM.blocks.note)?.value ?? '',
    typeId: input(LOG_FORM.blocks.type)?.selected_option?.value ?? '0',
  };
}

/** An inline error under one field, in plain words (Slack shows these as plain text). */
function draftProblemText(field: DraftField, problem: DraftProblem): string {
  switch (problem.kind) {
    case 'required':
      return field === 'donor' ? 'Enter an email, cons:<id> or member:<id>.' : 'Enter a subject.';
    case 'too_long':
      return field === 'note'
        ? `Luminate takes ${problem.max} characters here (with the line saying who logged it); this has ${problem.length}. Shorten it.`
        : `At most ${problem.max} characters; this has ${problem.length}.`;
    case 'invalid_donor':
      return describeInputProblem(problem.problem).slice(0, MAX_INLINE_ERROR);
    case 'unknown_type':
      return 'Choose one of the listed types.';
  }
}

/** Every field's problem, keyed by its block as `response_action: errors` wants. */
export function formErrors(problems: Partial<Record<DraftField, DraftProblem>>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, problem] of Object.entries(problems) as [DraftField, DraftProblem][]) {
    errors[LOG_FORM.blocks[field]] = draftProblemText(field, problem).slice(0, MAX_INLINE_ERROR);
  }
  return errors;
}

/** A short inline error (a failure's headline), escaped text cut for the field. */
export function inlineError(text: string): string {
  return text.slice(0, MAX_INLINE_ERROR);
}

function typeSelect(typeNames: ReadonlyMap<string, string>, selected: string): types.InputBlock {
  const options = [['0', typeNames.get('0') ?? 'Other'] as const, ...[...typeNames].filter(([id]) => id !== '0')].slice(0, MAX_TYPE_OPTIONS).map(([id, name]) => ({
    text: { type: 'plain_text' as const, text: plainText(name || id, MAX_OPTION_TEXT) || id },
    value: id,
  }));
  const initial = options.find((o) => o.value === selected) ?? options[0]!;
  return {
    type: 'input',
    block_id: LOG_FORM.blocks.type,
    label: { type: 'plain_text', text: 'Type' },
    element: { type: 'static_select', action_id: LOG_FORM.inputAction, options, initial_option: initial },
  };
}
