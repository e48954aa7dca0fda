import type { WireInteraction } from './sample-data.js';

/**
 * The stand-in's `logInteraction`, after the request was checked and the constituent found.
 * Luminate documents the parameters (`interaction_subject` required, up to 80 characters;
 * `interaction_body` up to 1 500; `interaction_type_id` a custom type's id, or none for 0
 * "Other") but not its answers: success is what public clients test for, and the failure codes
 * here (10 for a missing subject, 23 for text too long, 26 for a type the site lacks) are the
 * general list's. See `docs/luminate-api.md`.
 */

/** What public clients compare `updateConsResponse.message` with. */
export const LOGGED_MESSAGE = 'Interaction logged successfully.';

/**
 * How the stand-in answers a `logInteraction` it accepted and recorded (refusals are real checks, or an
 * `error` fault, and record nothing):
 * - `logged`: `updateConsResponse` with `message`, and `cons_id` unless `consId: false` (the default answer);
 * - `unknown_shape`: status 200 with JSON that is neither that nor an `errorResponse`;
 * - `hang_after_recording`, `reset_after_recording`: the write is recorded, then the answer never comes
 *   or the connection is dropped: the outcome the bot cannot know.
 */
export type LogAnswer =
  | { kind: 'logged'; consId?: boolean }
  | { kind: 'unknown_shape' }
  | { kind: 'hang_after_recording' }
  | { kind: 'reset_after_recording' };

/** A checked `logInteraction` request. */
export interface LogRequest {
  subject: string;
  body: string | null;
  typeId: string;
}

const MAX_SUBJECT = 80;
const MAX_BODY = 1500;

/** The request's own parameters, or the code Luminate's general list gives what is wrong with them. */
export function checkLogRequest(params: URLSearchParams, siteTypes: readonly string[]): LogRequest | { errorCode: string; message: string } {
  const subject = params.get('interaction_subject');
  const body = params.get('interaction_body');
  const type = params.get('interaction_type_id') ?? '';
  if (subject === null || subject.trim() === '') return { errorCode: '10', message: 'Required parameter missing: interaction_subject.' };
  if (subject.length > MAX_SUBJECT) return { errorCode: '23', message: `Input too long: interaction_subject (at most ${MAX_SUBJECT}).` };
  if (body !== null && body.length > MAX_BODY) return { errorCode: '23', message: `Input too long: interaction_body (at most ${MAX_BODY}).` };
  const typeId = type === '' ? '0' : /^\d{1,9}$/.test(type) ? String(Number(type)) : null;
  if (typeId === null || (typeId !== '0' && !siteTypes.includes(typeId))) return { errorCode: '26', message: 'Invalid interaction type.' };
  return { subject, body, typeId };
}

/** The interaction as `getInteraction` will serve it: created now, by the service account, the body as its note. */
export function loggedInteraction(request: LogRequest, { interactionId, consId, createdBy, now }: { interactionId: string; consId: string; createdBy: string; now: Date }): WireInteraction {
  const creationDate = now.toISOString().replace('Z', '+00:00');
  return {
    creationDate,
    interactionTypeId: request.typeId,
    count: '1',
    createdBy,
    consId,
    interactionId,
    subject: request.subject,
    categoryId: '0',
    referenceId: '0',
    ...(request.body
      ? {
          note: {
            creationDate,
            text: request.body,
            interactionId,
            createdBy,
            consId,
            typeOfConsNote: 'normal',
            subject: request.subject,
            modifiedBy: createdBy,
            categoryId: '0',
            noteId: interactionId,
            type: 'comment',
            modifiedDate: creationDate,
          },
        }
      : {}),
  };
}

/** The success answer's value under `updateConsResponse`. */
export function loggedAnswer(answer: Extract<LogAnswer, { kind: 'logged' }>, consId: string): Record<string, string> {
  return { message: LOGGED_MESSAGE, ...(answer.consId === false ? {} : { cons_id: consId }) };
}
