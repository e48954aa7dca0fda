import type { ConstituentIdentifier, InteractionRequest } from '../luminate/identifiers.js';
import { stripBidiControls } from '../unicode.js';

/** A parse either yields a value or a plain-text problem fit to show a person (escape it for mrkdwn). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'card'; request: InteractionRequest }
  | { kind: 'list'; list: InteractionListRequest }
  | { kind: 'invalid'; problem: string };

/** What a list can be narrowed by: Luminate's own `getUserInteractions` filters. Dates are `YYYY-MM-DD`, both inclusive. */
export interface ListFilters {
  since?: string;
  until?: string;
  typeId?: number;
}

/** One page (the first is 0) of one donor's interactions, newest first. */
export interface InteractionListRequest {
  identifier: ConstituentIdentifier;
  filters: ListFilters;
  page: number;
}

const MAX_ECHO = 60;
const MAX_EMAIL = 254; // RFC 5321's path limit
const MAX_MEMBER_ID = 255;
/**
 * Longer command text is refused before it is parsed: the longest valid command
 * (a 16-digit id and a 254-character email or 255-character member id, or a donor
 * and three filters) is far shorter, and the parse then costs time in step with at most this much.
 */
export const MAX_COMMAND_TEXT = 1000;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
// eslint-disable-next-line no-control-regex -- as above, every one of them
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu;
// Domain labels are letters or digits with hyphens only between them, written `[…]+(?:-+[…]+)*` so that
// no two quantifiers can take the same characters (`[…-]*[…]` backtracks polynomially).
const EMAIL = /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)[\p{L}\p{N}]+(?:-+[\p{L}\p{N}]+)*(?:\.[\p{L}\p{N}]+(?:-+[\p{L}\p{N}]+)*)+$/u;

/** Quotes what someone typed, shortened, so a problem message never grows with hostile input. */
function echo(input: string): string {
  // Bidirectional controls would let the quote display as different text than was typed.
  const chars = [...stripBidiControls(input).slice(0, 4 * MAX_ECHO).replace(CONTROLS, ' ')];
  return `"${chars.length > MAX_ECHO ? `${chars.slice(0, MAX_ECHO - 1).join('')}…` : chars.join('')}"`;
}

/**
 * Undoes Slack's encoding of typed text: emails arrive as `<mailto:a@b.org|a@b.org>`
 * and `&`, `<`, `>` as entities. Links are unwrapped to their target.
 */
export function decodeSlackText(text: string): string {
  return unwrapLinks(text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * `<mailto:x|label>` → x and `<https://x|label>` → x; any other `<…>` (mentions, channels) is
 * kept. A scan from each `<` to the next `>` rather than a pattern, so a long `<mailto:`
 * with no `>` is read once, not once per `<`.
 */
function unwrapLinks(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf('<', at);
    if (open === -1) break;
    const close = text.indexOf('>', open + 1);
    if (close === -1) break;
    const inner = text.slice(open + 1, close);
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const mailto = /^mailto:/i.test(target);
    // A link's target is the whole URL; a mailto's is the address after the scheme. Neither may be empty.
    const unwrapped = mailto ? target.slice('mailto:'.length) : /^https?:\/\/./i.test(target) ? target : null;
    out += text.slice(at, open) + (unwrapped ? unwrapped : `<${inner}>`);
    at = close + 1;
  }
  return out + text.slice(at);
}

/** Digits only (ASCII; `1e3`, `0x10` and full-width digits are refused), within JavaScript's safe integers. */
function parseDigits(raw: string, what: string): Parsed<string> {
  if (!/^\d+$/.test(raw)) return { ok: false, problem: `${echo(raw)} is not ${what}: use digits only, e.g. 1000.` };
  const canonical = raw.replace(/^0+(?=\d)/, '');
  if (canonical.length > 16 || !Number.isSafeInteger(Number(canonical))) {
    return { ok: false, problem: `${echo(raw)} is too large to be ${what}.` };
  }
  return { ok: true, value: canonical };
}

export function parseInteractionId(raw: string): Parsed<number> {
  const digits = parseDigits(raw.trim().replace(/^#/, ''), 'an interaction id');
  return digits.ok ? { ok: true, value: Number(digits.value) } : digits;
}

export function parseIdentifier(raw: string): Parsed<ConstituentIdentifier> {
  const text = raw.trim();
  const prefixed = /^(cons|cons_id|member|member_id)\s*:(.*)$/is.exec(text);
  if (prefixed) {
    const kind = prefixed[1]!.toLowerCase().startsWith('cons') ? 'cons' : 'member';
    const value = prefixed[2]!.trim();
    if (kind === 'cons') {
      const consId = parseDigits(value, 'a constituent id');
      return consId.ok ? { ok: true, value: { kind: 'cons', consId: consId.value } } : consId;
    }
    if (value === '' || value.length > MAX_MEMBER_ID || CONTROL.test(value) || /\s/.test(value)) {
      return { ok: false, problem: `${echo(value)} is not a member id: give it without spaces, e.g. member:JD-1001.` };
    }
    return { ok: true, value: { kind: 'member', memberId: value } };
  }
  if (text.includes('@')) {
    if (text.length > MAX_EMAIL || !EMAIL.test(text)) {
      return { ok: false, problem: `${echo(text)} is not a valid email address.` };
    }
    // Sent as typed: Luminate does not document whether primary_email matches without regard to case (identifierKey folds it).
    return { ok: true, value: { kind: 'email', email: text } };
  }
  return {
    ok: false,
    problem: `${echo(text)} is not a donor identifier: give an email address, cons:<constituent id> or member:<member id>.`,
  };
}

const FILTER = /^(since|until|type):(.*)$/isu;
const IDENTIFIER_START = /^(?:cons|cons_id|member|member_id)\s*:/iu;

/** A real calendar day, `YYYY-MM-DD` (2025-02-30 is refused, not rolled over). */
function parseDay(raw: string, name: string): Parsed<string> {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const at = day ? new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))) : null;
  if (!day || !at || at.toISOString().slice(0, 10) !== raw) {
    return { ok: false, problem: `${echo(raw)} is not a date for ${name}: use YYYY-MM-DD, e.g. ${name}:2025-01-31.` };
  }
  return { ok: true, value: raw };
}

/** `type:` takes an id or one of LUMINATE_INTERACTION_TYPES' names (without regard to case). */
function parseType(raw: string, typeNames: ReadonlyMap<string, string>): Parsed<number> {
  if (/^\d+$/.test(raw)) {
    const digits = parseDigits(raw, 'an interaction type id');
    return digits.ok ? { ok: true, value: Number(digits.value) } : digits;
  }
  const wanted = raw.toLowerCase();
  for (const [id, name] of typeNames) if (name.toLowerCase() === wanted && /^\d+$/.test(id)) return { ok: true, value: Number(id) };
  const known = [...typeNames.values()].slice(0, 10).map((n) => echo(n)).join(', ');
  return { ok: false, problem: `${echo(raw)} is not an interaction type: use its id${known ? ` or one of ${known}` : ''}, e.g. type:0.` };
}

/**
 * The words after the donor: `since:`, `until:` and `type:`, each at most once. A type's name may
 * hold spaces (`type:Phone call`), so it runs to the next filter or the end.
 */
function parseFilters(words: readonly string[], typeNames: ReadonlyMap<string, string>): Parsed<ListFilters> {
  const filters: ListFilters = {};
  const seen = new Set<string>();
  for (let i = 0; i < words.length; i += 1) {
    const filter = FILTER.exec(words[i]!);
    if (!filter) return { ok: false, problem: `${echo(words[i]!)} is not a filter: use since:YYYY-MM-DD, until:YYYY-MM-DD or type:<id or name>.` };
    const name = filter[1]!.toLowerCase();
    if (seen.has(name)) return { ok: false, problem: `${name}: is given twice: give each filter once.` };
    seen.add(name);
    let value = filter[2]!;
    if (name === 'type') {
      while (i + 1 < words.length && !FILTER.test(words[i + 1]!)) value += ` ${words[++i]!}`;
      if (value === '') return { ok: false, problem: 'type: needs an interaction type id or name, e.g. type:0.' };
      const type = parseType(value, typeNames);
      if (!type.ok) return type;
      filters.typeId = type.value;
      continue;
    }
    const day = parseDay(value, name);
    if (!day.ok) return day;
    filters[name as 'since' | 'until'] = day.value;
  }
  if (filters.since && filters.until && filters.since > filters.until) {
    return { ok: false, problem: `since:${filters.since} is after until:${filters.until}: nothing could match.` };
  }
  return { ok: true, value: filters };
}

/** `<donor> [filters…]`: a donor's list. "cons: 123" is two words that mean one identifier. */
function parseListCommand(words: readonly string[], typeNames: ReadonlyMap<string, string>): ParsedCommand {
  const split = IDENTIFIER_START.test(words[0]!) && /:\s*$/u.test(words[0]!) && words.length > 1 && !FILTER.test(words[1]!) ? 2 : 1;
  const identifier = parseIdentifier(words.slice(0, split).join(' '));
  if (!identifier.ok) return { kind: 'invalid', problem: identifier.problem };
  const filters = parseFilters(words.slice(split), typeNames);
  if (!filters.ok) return { kind: 'invalid', problem: filters.problem };
  return { kind: 'list', list: { identifier: identifier.value, filters: filters.value, page: 0 } };
}

/**
 * Parses the text after `/interaction`. Never throws; anything unusable is a problem to show.
 * Text that starts with a donor (an email, cons: or member:) asks for their list; anything else is `<id> <donor>`.
 */
export function parseCommandText(text: string, { typeNames = new Map<string, string>() }: { typeNames?: ReadonlyMap<string, string> } = {}): ParsedCommand {
  if (text.length > MAX_COMMAND_TEXT) {
    return { kind: 'invalid', problem: `That is ${text.length} characters, longer than any lookup: give the interaction id, then one email address, cons:<id> or member:<id>.` };
  }
  const words = decodeSlackText(text).trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0 || (words.length === 1 && /^(?:help|\?|-h|--help)$/i.test(words[0]!))) return { kind: 'help' };
  if (words[0]!.includes('@') || IDENTIFIER_START.test(words[0]!)) return parseListCommand(words, typeNames);
  if (words.length === 1) {
    return { kind: 'invalid', problem: 'Give both the interaction id and the donor: an email address, cons:<id> or member:<id>.' };
  }
  // "cons: 123" is two words that mean one identifier.
  const identifierText = words.slice(1).join(' ');
  if (words.length > 2 && !/^(?:cons|cons_id|member|member_id)\s*:\s*\S+$/i.test(identifierText)) {
    return { kind: 'invalid', problem: 'Too many words: give the interaction id, then one email address, cons:<id> or member:<id>.' };
  }
  const id = parseInteractionId(words[0]!);
  if (!id.ok) return { kind: 'invalid', problem: id.problem };
  const identifier = parseIdentifier(identifierText);
  if (!identifier.ok) return { kind: 'invalid', problem: identifier.problem };
  return { kind: 'card', request: { interactionId: id.value, identifier: identifier.value } };
}
