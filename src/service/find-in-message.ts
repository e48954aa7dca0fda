import { formatIdentifier, type ConstituentIdentifier, type InteractionRequest } from '../luminate/identifiers.js';
import { decodeSlackText, parseIdentifier, parseInteractionId } from './requests.js';

/** What a donor-thread message says about which interaction, and whose. */
export interface MessageFindings {
  /** Both parts found without doubt. */
  request: InteractionRequest | null;
  /** The donor alone, when the message names one without doubt (what a form can be prefilled with). */
  donor: ConstituentIdentifier | null;
  /** Everything that looked like an interaction id, best first; several means the message is ambiguous. */
  interactionIds: number[];
  /** Everything that looked like a donor identifier, strongest kind first. */
  identifiers: ConstituentIdentifier[];
}

/**
 * How much of a message is read. An id and a donor sit near each other in a
 * sentence, and Slack messages can be 40 000 characters: reading only the
 * start bounds the work a crafted message can cause.
 */
const MAX_SCANNED_CHARS = 4000;

// Every pattern below runs on text whose whitespace runs are already one space
// (see `scannable`), so none has an unbounded quantifier next to another that
// can match the same characters: each costs time in step with the text.
// "interaction 1000", "interaction #1000", "interaction id: 1000", "interaction no. 1000"
const NEXT_TO_INTERACTION = /\binteraction(?:[ _]?id)? ?(?:no\.?|number|#|:)? ?#? ?(\d{1,16})\b/giu;
// "id 1000", "ID: 1000", "#1000", but not "cons id 1000" or "member id 1000", which name the donor.
const WEAK_ID = /(?<!\b(?:cons|constituent|member)[ _]?)\bid ?[:#]? ?#?(\d{1,16})\b|(?<![\w&])#(\d{1,16})\b/giu;
const CONS = /\b(?:cons(?:_id| id)?|constituent(?:[ _]id)?) ?[:#]? ?(\d{1,16})\b/giu;
// A member id runs to a space or punctuation; longer than Luminate's 255 is no member id at all (not a shortened one).
const MEMBER = /\bmember(?:_id| id)? ?: ?([^\s,;)>]{1,256})(?![^\s,;)>])/giu;
// The local part starts where the run of local-part characters starts (the look-behind), and
// is at most 64 long (RFC 5321): a long run without "@" is passed over once, not once per character.
const EMAIL = /(?<![\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-])[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]{1,64}@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/** The start of the message, decoded, with each run of whitespace (tabs, newlines, NBSP…) as one space. */
function scannable(messageText: string): string {
  return decodeSlackText(messageText.slice(0, MAX_SCANNED_CHARS)).replace(/\s+/gu, ' ');
}

/** `text` without trailing characters from `chars`; a loop, because `/[.:]+$/` is quadratic on a long run. */
function trimEnd(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end -= 1;
  return text.slice(0, end);
}

function distinct<T>(values: T[], key: (v: T) => string): T[] {
  const seen = new Set<string>();
  return values.filter((v) => !seen.has(key(v)) && seen.add(key(v)));
}

function ids(text: string, pattern: RegExp): number[] {
  const found: number[] = [];
  for (const match of text.matchAll(pattern)) {
    const parsed = parseInteractionId(match[1] ?? match[2] ?? '');
    if (parsed.ok) found.push(parsed.value);
  }
  return distinct(found, String);
}

function identifiers(text: string, pattern: RegExp, prefix: string): ConstituentIdentifier[] {
  const found: ConstituentIdentifier[] = [];
  for (const match of text.matchAll(pattern)) {
    const raw = prefix ? `${prefix}${trimEnd(match[1]!, '.:')}` : trimEnd(match[0], '.');
    const parsed = parseIdentifier(raw);
    if (parsed.ok) found.push(parsed.value);
  }
  // The same email in two cases is one donor (as in identifierKey); member ids keep their case.
  return distinct(found, (i) => (i.kind === 'email' ? i.email.toLowerCase() : formatIdentifier(i)));
}

/**
 * Finds the interaction id and the donor in a message. An id next to the word
 * "interaction" wins over a bare "id 12" or "#12"; a constituent id wins over a
 * member id, which wins over an email (Luminate's own precedence). When the
 * deciding kind has several different values, the message is ambiguous and
 * `request` is null, so the person chooses in the modal.
 */
export function findInMessage(messageText: string): MessageFindings {
  const text = scannable(messageText);
  const strong = ids(text, NEXT_TO_INTERACTION);
  const interactionIds = strong.length > 0 ? strong : ids(text, WEAK_ID);

  const byKind = [identifiers(text, CONS, 'cons:'), identifiers(text, MEMBER, 'member:'), identifiers(text, EMAIL, '')];
  const found = byKind.flat();
  const deciding = byKind.find((kind) => kind.length > 0) ?? [];

  const donor = deciding.length === 1 ? deciding[0]! : null;
  const request = interactionIds.length === 1 && donor ? { interactionId: interactionIds[0]!, identifier: donor } : null;
  return { request, donor, interactionIds, identifiers: found };
}
