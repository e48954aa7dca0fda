import { z } from 'zod';
import { LuminateBadResponseError, type LuminateErrorReason } from './errors.js';
import { answersConsId, identifierParams, type ConstituentIdentifier } from './identifiers.js';
import { scalar } from './schema.js';
import type { CallOptions, LuminateTransport } from './transport.js';

/** Luminate's documented limits for `logInteraction`, in UTF-16 units (its Java strings count them so). */
export const MAX_SUBJECT_CHARS = 80;
export const MAX_BODY_CHARS = 1500;

/** One interaction to record on one donor's record, already validated. */
export interface InteractionToLog {
  identifier: ConstituentIdentifier;
  /** Required, at most {@link MAX_SUBJECT_CHARS}. */
  subject: string;
  /** At most {@link MAX_BODY_CHARS}; empty sends none. */
  body: string;
  /** 0 ("Other") or one of the site's custom types. */
  typeId: number;
}

/** What Luminate confirmed. It does not say the new interaction's id: find it in the donor's list. */
export interface LoggedInteraction {
  /** The donor's constituent id, when the answer carries one. */
  consId: string | null;
}

/**
 * The success answer is not documented: public clients treat `updateConsResponse.message` as
 * success ("Interaction logged successfully."), and `update`'s answer also carries `cons_id`.
 * Anything else that is not an `errorResponse` leaves the outcome unknown.
 */
const logInteractionResponseSchema = z.object({
  updateConsResponse: z.object({
    message: z.string().trim().min(1),
    cons_id: scalar,
  }),
});

/**
 * What `logInteraction`'s codes mean where a lookup's meaning does not fit: 26 (invalid interaction
 * type) is the type the person chose, 27 (invalid interaction) is what was written, and 32 (invalid
 * constituent id for interactions) the donor.
 */
const WRITE_REASONS: Readonly<Record<string, LuminateErrorReason>> = { '26': 'bad_type', '27': 'bad_input', '32': 'no_constituent' };

/**
 * `logInteraction`: records an interaction on one donor's record, as the service account. Called
 * once and never retried (see {@link LuminateTransport.write}): a
 * {@link LuminateWriteUncertainError} means it may or may not have been recorded, any other error
 * that nothing was. A `cons:` write answered about another constituent is uncertain too.
 * @throws {RangeError} for a write the bot should never build (validate drafts first).
 */
export async function logInteraction(transport: LuminateTransport, entry: InteractionToLog, options?: CallOptions): Promise<LoggedInteraction> {
  return transport.write(
    {
      method: 'logInteraction',
      params: logParams(entry),
      schema: logInteractionResponseSchema,
      reasons: WRITE_REASONS,
      result: ({ updateConsResponse: answer }, status) => {
        if (!answersConsId(entry.identifier, answer.cons_id)) {
          throw new LuminateBadResponseError('Luminate confirmed a write on another constituent than the one asked for', status, { problem: 'mismatch' });
        }
        return { consId: answer.cons_id };
      },
    },
    options,
  );
}

function logParams({ identifier, subject, body, typeId }: InteractionToLog): Record<string, string> {
  if (subject.trim() === '' || subject.length > MAX_SUBJECT_CHARS) throw new RangeError(`subject must be 1 to ${MAX_SUBJECT_CHARS} characters`);
  if (body.length > MAX_BODY_CHARS) throw new RangeError(`body must be at most ${MAX_BODY_CHARS} characters`);
  if (!Number.isSafeInteger(typeId) || typeId < 0) throw new RangeError('typeId must be a non-negative integer');
  return {
    ...identifierParams(identifier),
    interaction_subject: subject,
    ...(body !== '' ? { interaction_body: body } : {}),
    // Documented: a custom type's id, or none for type 0 ("Other"); sending 0 is not documented to work.
    ...(typeId !== 0 ? { interaction_type_id: String(typeId) } : {}),
  };
}
