import type { ConstituentIdentifier, InteractionRequest } from '../luminate/identifiers.js';

/** A filter's name as typed before the colon. */
export type FilterName = 'since' | 'until' | 'type';

/** Why digits were refused: not only ASCII digits, or past JavaScript's safe integers. */
export type NumberTrouble = 'not_digits' | 'too_large';

/**
 * What is wrong with typed input, as data; `slack/render/input-problems.ts` words it. `input` is
 * what was typed, of any length and with any characters: quote it shortened and cleaned.
 */
export type InputProblem =
  | { kind: 'bad_interaction_id'; input: string; trouble: NumberTrouble }
  | { kind: 'bad_cons_id'; input: string; trouble: NumberTrouble }
  | { kind: 'bad_member_id'; input: string }
  | { kind: 'bad_email'; input: string }
  | { kind: 'not_a_donor'; input: string }
  | { kind: 'not_a_filter'; input: string }
  | { kind: 'repeated_filter'; field: FilterName }
  | { kind: 'bad_date'; field: 'since' | 'until'; input: string }
  | { kind: 'empty_range'; since: string; until: string }
  | { kind: 'missing_type' }
  | { kind: 'bad_type_id'; input: string; trouble: NumberTrouble }
  /** `known`: the first few of LUMINATE_INTERACTION_TYPES' names, to suggest. */
  | { kind: 'unknown_type'; input: string; known: string[] }
  | { kind: 'too_long'; length: number }
  | { kind: 'missing_donor' }
  | { kind: 'too_many_words' };

/** What can be wrong with a donor identifier alone (a form's donor field, a button's value). */
export type IdentifierProblem = Extract<InputProblem, { kind: 'bad_cons_id' | 'bad_member_id' | 'bad_email' | 'not_a_donor' }>;

/** A parse either yields a value or says, as data, what is wrong. */
export type Parsed<T, P extends InputProblem = InputProblem> = { ok: true; value: T } | { ok: false; problem: P };

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'card'; request: InteractionRequest }
  | { kind: 'list'; list: InteractionListRequest }
  | { kind: 'invalid'; problem: InputProblem };

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
// Domain labels are letters or digits with hyphens only between them, written `[…]+(?:-+[…]+)*` so that
// no two quantifiers can take the same characters (`[…-]*[…]` backtracks polynomially).
const EMAIL = /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)[\p{L}\p{N}]+(?:-+[\p{L}\p{N}]+)*(?:\.[\p{L}\p{N}]+(?:-+[\p{L}\p{N}]+)*)+$/u;

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
function parseDigits(raw: string): { ok: true; value: string } | { ok: false; trouble: NumberTrouble } {
  if (!/^\d+$/.test(raw)) return { ok: false, trouble: 'not_digits' };
  const canonical = raw.replace(/^0+(?=\d)/, '');
  if (canonical.length > 16 || !Number.isSafeInteger(Number(canonical))) return { ok: false, trouble: 'too_large' };
  return { ok: true, value: canonical };
}

export function parseInteractionId(raw: string): Parsed<number, Extract<InputProblem, { kind: 'bad_interaction_id' }>> {
  const input = raw.trim().replace(/^#/, '');
  const digits = parseDigits(input);
  return digits.ok ? { ok: true, value: Number(digits.value) } : { ok: false, problem: { kind: 'bad_interaction_id', input, trouble: digits.trouble } };
}

export function parseIdentifier(raw: string): Parsed<ConstituentIdentifier, IdentifierProblem> {
  const text = raw.trim();
  const prefixed = /^(cons|cons_id|member|member_id)\s*:(.*)$/is.exec(text);
  if (prefixed) {
    const kind = prefixed[1]!.toLowerCase().startsWith('cons') ? 'cons' : 'member';
    const value = prefixed[2]!.trim();
    if (kind === 'cons') {
      const consId = parseDigits(value);
      return consId.ok ? { ok: true, value: { kind: 'cons', consId: consId.value } } : { ok: false, problem: { kind: 'bad_cons_id', input: value, trouble: consId.trouble } };
    }
    if (value === '' || value.length > MAX_MEMBER_ID || CONTROL.test(value) || /\s/.test(value)) {
      return { ok: false, problem: { kind: 'bad_member_id', input: value } };
    }
    return { ok: true, value: { kind: 'member', memberId: value } };
  }
  if (text.includes('@')) {
    if (text.length > MAX_EMAIL || !EMAIL.test(text)) {
      return { ok: false, problem: { kind: 'bad_email', input: text } };
    }
    // Sent as typed: Luminate does not document whether primary_email matches without regard to case (identifierKey folds it).
    return { ok: true, value: { kind: 'email', email: text } };
  }
  return { ok: false, problem: { kind: 'not_a_donor', input: text } };
}

const FILTER = /^(since|until|type):(.*)$/isu;
const IDENTIFIER_START = /^(?:cons|cons_id|member|member_id)\s*:/iu;

/** A real calendar day, `YYYY-MM-DD` (2025-02-30 is refused, not rolled over). */
function parseDay(raw: string, field: 'since' | 'until'): Parsed<string> {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const at = day ? new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))) : null;
  if (!day || !at || at.toISOString().slice(0, 10) !== raw) {
    return { ok: false, problem: { kind: 'bad_date', field, input: raw } };
  }
  return { ok: true, value: raw };
}

/** `type:` takes an id or one of LUMINATE_INTERACTION_TYPES' names (without regard to case). */
function parseType(raw: string, typeNames: ReadonlyMap<string, string>): Parsed<number> {
  if (/^\d+$/.test(raw)) {
    const digits = parseDigits(raw);
    return digits.ok ? { ok: true, value: Number(digits.value) } : { ok: false, problem: { kind: 'bad_type_id', input: raw, trouble: digits.trouble } };
  }
  const wanted = raw.toLowerCase();
  for (const [id, name] of typeNames) if (name.toLowerCase() === wanted && /^\d+$/.test(id)) return { ok: true, value: Number(id) };
  return { ok: false, problem: { kind: 'unknown_type', input: raw, known: [...typeNames.values()].slice(0, 10) } };
}

/**
 * The words after the donor: `since:`, `until:` and `type:`, each at most once. A type's name may
 * hold spaces (`type:Phone call`), so it runs to the next filter or the end.
 */
function parseFilters(words: readonly string[], typeNames: ReadonlyMap<string, string>): Parsed<ListFilters> {
  const filters: ListFilters = {};
  const seen = new Set<FilterName>();
  for (let i = 0; i < words.length; i += 1) {
    const filter = FILTER.exec(words[i]!);
    if (!filter) return { ok: false, problem: { kind: 'not_a_filter', input: words[i]! } };
    const name = filter[1]!.toLowerCase() as FilterName;
    if (seen.has(name)) return { ok: false, problem: { kind: 'repeated_filter', field: name } };
    seen.add(name);
    let value = filter[2]!;
    if (name === 'type') {
      while (i + 1 < words.length && !FILTER.test(words[i + 1]!)) value += ` ${words[++i]!}`;
      if (value === '') return { ok: false, problem: { kind: 'missing_type' } };
      const type = parseType(value, typeNames);
      if (!type.ok) return type;
      filters.typeId = type.value;
      continue;
    }
    const day = parseDay(value, name);
    if (!day.ok) return day;
    filters[name] = day.value;
  }
  if (filters.since && filters.until && filters.since > filters.until) {
    return { ok: false, problem: { kind: 'empty_range', since: filters.since, until: filters.until } };
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
    return { kind: 'invalid', problem: { kind: 'too_long', length: text.length } };
  }
  const words = decodeSlackText(text).trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0 || (words.length === 1 && /^(?:help|\?|-h|--help)$/i.test(words[0]!))) return { kind: 'help' };
  if (words[0]!.includes('@') || IDENTIFIER_START.test(words[0]!)) return parseListCommand(words, typeNames);
  if (words.length === 1) {
    return { kind: 'invalid', problem: { kind: 'missing_donor' } };
  }
  // "cons: 123" is two words that mean one identifier.
  const identifierText = words.slice(1).join(' ');
  if (words.length > 2 && !/^(?:cons|cons_id|member|member_id)\s*:\s*\S+$/i.test(identifierText)) {
    return { kind: 'invalid', problem: { kind: 'too_many_words' } };
  }
  const id = parseInteractionId(words[0]!);
  if (!id.ok) return { kind: 'invalid', problem: id.problem };
  const identifier = parseIdentifier(identifierText);
  if (!identifier.ok) return { kind: 'invalid', problem: identifier.problem };
  return { kind: 'card', request: { interactionId: id.value, identifier: identifier.value } };
}
