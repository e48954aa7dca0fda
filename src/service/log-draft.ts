import { formatIdentifier } from '../luminate/identifiers.js';
import { MAX_BODY_CHARS, MAX_SUBJECT_CHARS, type InteractionToLog } from '../luminate/log-interaction.js';
import { findInMessage } from './find-in-message.js';
import { parseIdentifier, type IdentifierProblem } from './requests.js';
import { cutText, stripBidiControls } from '../unicode.js';
import { slackTextToPlain, type NameResolvers } from './message-text.js';

/**
 * What "Log to Luminate" writes, before and after the person checks it in the form. Pure: no
 * Slack, no Luminate. Luminate records the service account as the creator, so the note ends with
 * a provenance line saying who logged it from where; that line counts inside the note's 1 500:
 * - a draft from a message cuts the message's text (never the line) to the room beside it, and says so;
 * - a submitted note that no longer fits beside the line is an error for the person to fix: what
 *   they typed is never cut silently.
 */

/** Between the note and the provenance line. */
const SEPARATOR = '\n\n';
/** Longest donor text worth parsing (and the form's field length): an email is at most 254 characters, `member:` and an id 262. */
export const MAX_DONOR_CHARS = 320;
/** A permalink longer than this is left out of the line rather than crowd out the note. */
const MAX_PERMALINK_CHARS = 300;
const MAX_NAME_CHARS = 80;

/** The form's fields, as the form shows them. */
export interface LogDraft {
  /** `jane@example.org`, `cons:1001001` or `member:JD-1`; '' when the message names no donor, or several. */
  donor: string;
  /** The message's first non-empty line, cut to {@link MAX_SUBJECT_CHARS}; '' for a message without text. */
  subject: string;
  /** The message as plain text, cut to the room beside the provenance line. */
  note: string;
  /** 0, "Other". */
  typeId: number;
  /** The message did not fit in the note and was cut. */
  noteCut: boolean;
}

/** Who logged it from where, for the provenance line. */
export interface Provenance {
  /** The person's Slack display name; '' falls back to the id. */
  displayName: string;
  userId: string;
  /** The channel's name without `#`; null when unknown (a DM, or conversations.info did not answer). */
  channelName: string | null;
  /** From `chat.getPermalink`, when it answered. */
  permalink?: string | null;
}

/** What a person typed into the form. */
export interface SubmittedDraft {
  donor: string;
  subject: string;
  note: string;
  /** The select's value: a type id as text. */
  typeId: string;
}

export type DraftField = 'donor' | 'subject' | 'note' | 'type';

/** What is wrong with one field, as data: the Slack side words it. */
export type DraftProblem =
  | { kind: 'required' }
  | { kind: 'too_long'; max: number; length: number }
  /** What the identifier parser found wrong; `slack/render/input-problems.ts` words it. */
  | { kind: 'invalid_donor'; problem: IdentifierProblem }
  | { kind: 'unknown_type' };

export type DraftCheck =
  /** `note`: the note as entered (cleaned), without the provenance line, which depends on what Slack answered in time. */
  | { ok: true; entry: InteractionToLog; note: string }
  | { ok: false; problems: Partial<Record<DraftField, DraftProblem>> };

/**
 * Text fit to be written to Luminate: line breaks as `\n`, without control characters (Luminate
 * refuses some with code 35) or bidirectional controls (they make text read as other text).
 */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is dropped
  return stripBidiControls(text.replace(/\r\n?/g, '\n')).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/gu, '');
}

/**
 * Whether any character would show: format characters (zero-width space, word joiner, soft hyphen:
 * \p{Cf}) and separators survive cleaning and trimming but print nothing, so a subject of only them is blank.
 */
function hasVisible(text: string): boolean {
  return /[^\p{Cf}\s]/u.test(text);
}

/** One line: each run of whitespace as one space. Capped first, so the pattern runs on bounded text. */
function oneLine(text: string, max: number): string {
  return cutText(cleanText(text.slice(0, max * 4)).replace(/\s+/gu, ' ').trim(), max);
}

/** "Logged from Slack by Ana Ruiz (U012AB) in #donor-care: https://…": bounded to about 500 characters. */
export function provenanceLine({ displayName, userId, channelName, permalink }: Provenance): string {
  const id = oneLine(userId, 30);
  const name = oneLine(displayName, MAX_NAME_CHARS);
  const who = name === '' || name === id ? id : `${name} (${id})`;
  const channel = channelName === null ? '' : oneLine(channelName.replace(/^#/, ''), MAX_NAME_CHARS);
  const link = permalink && permalink.length <= MAX_PERMALINK_CHARS && /^https:\/\/\S+$/.test(permalink) ? permalink : null;
  return `Logged from Slack by ${who}${channel ? ` in #${channel}` : ''}${link ? `: ${link}` : ''}`;
}

/** Characters left for the note beside this provenance line. */
export function noteRoom(line: string): number {
  return Math.max(0, MAX_BODY_CHARS - SEPARATOR.length - line.length);
}

/** The note and the line as one body within {@link MAX_BODY_CHARS}: the note is cut when they do not fit, never the line. */
export function withProvenance(note: string, line: string): { body: string; noteCut: boolean } {
  const kept = cutText(note.trim(), noteRoom(line));
  const body = kept === '' ? line : `${kept}${SEPARATOR}${line}`;
  return { body, noteCut: kept !== note.trim() };
}

/** The first line with text in it, on one line, cut to a subject's length. */
function firstLine(text: string): string {
  let from = 0;
  while (from < text.length) {
    const end = text.indexOf('\n', from);
    const line = text.slice(from, end === -1 ? text.length : end);
    if (line.trim() !== '') return oneLine(line, MAX_SUBJECT_CHARS);
    if (end === -1) break;
    from = end + 1;
  }
  return '';
}

/**
 * The form prefilled from a message: the donor as lookups find it, the first line as subject, the
 * text as the note, within `room` (use {@link noteRoom} of the provenance line), type 0.
 */
export function draftFromMessage(messageText: string, { room = MAX_BODY_CHARS, ...resolvers }: NameResolvers & { room?: number } = {}): LogDraft {
  const { donor } = findInMessage(messageText);
  const plain = cleanText(slackTextToPlain(messageText, resolvers)).trim();
  const note = cutText(plain, room);
  return { donor: donor ? formatIdentifier(donor) : '', subject: firstLine(plain), note, typeId: 0, noteCut: note !== plain };
}

/**
 * Checks what the person submitted, against Luminate's limits and the site's types
 * (`LUMINATE_INTERACTION_TYPES`, which always holds 0). Valid: the write, its body the note and
 * the provenance line. Otherwise a problem per field, and nothing is to be sent.
 */
export function validateDraft(draft: SubmittedDraft, { typeNames, provenance }: { typeNames: ReadonlyMap<string, string>; provenance: string }): DraftCheck {
  const problems: Partial<Record<DraftField, DraftProblem>> = {};

  const donorText = draft.donor.trim();
  const donor = donorText === '' || donorText.length > MAX_DONOR_CHARS ? null : parseIdentifier(donorText);
  if (donorText === '') problems.donor = { kind: 'required' };
  else if (!donor) problems.donor = { kind: 'too_long', max: MAX_DONOR_CHARS, length: donorText.length };
  else if (!donor.ok) problems.donor = { kind: 'invalid_donor', problem: donor.problem };

  // A subject is one line: line breaks pasted into it become spaces. Text far over its limit is not cleaned at all.
  const subject = draft.subject.length > 4 * MAX_SUBJECT_CHARS ? draft.subject : cleanText(draft.subject).replace(/\s+/gu, ' ').trim();
  if (!hasVisible(subject)) problems.subject = { kind: 'required' };
  else if (subject.length > MAX_SUBJECT_CHARS) problems.subject = { kind: 'too_long', max: MAX_SUBJECT_CHARS, length: subject.length };

  const note = draft.note.length > 4 * MAX_BODY_CHARS ? draft.note : cleanText(draft.note).trim();
  const room = noteRoom(provenance);
  if (note.length > room) problems.note = { kind: 'too_long', max: room, length: note.length };

  const typeId = /^\d{1,9}$/.test(draft.typeId) && (draft.typeId === '0' || typeNames.has(draft.typeId)) ? Number(draft.typeId) : null;
  if (typeId === null) problems.type = { kind: 'unknown_type' };

  if (donor?.ok && Object.keys(problems).length === 0 && typeId !== null) {
    return { ok: true, entry: { identifier: donor.value, subject, body: note === '' ? provenance : `${note}${SEPARATOR}${provenance}`, typeId }, note };
  }
  return { ok: false, problems };
}
