import type { AnswerQuirk } from './luminate.js';
import type { SampleConstituent, WireInteraction } from './sample-data.js';

/**
 * The stand-in's `getUser` and `getUserInteractions` answers, after the request was checked and
 * the constituent found (same identifiers, precedence and error codes as `getInteraction`).
 * See `docs/luminate-api.md`.
 */

/** What `getUserInteractions` pages through when the request names no `list_page_size`: 25, as `listInteractions` (unconfirmed). */
const DEFAULT_PAGE_SIZE = 25;

/**
 * `getConsResponse`'s value: `cons_id`, and of `name` and `email` only the parts `fields` asks for
 * (all when it asks for none). A hidden name is left out, a null one stays null. Quirks act on dot
 * paths (`name`, `name.first`), by default on the name and email.
 */
export function consRecord(constituent: SampleConstituent, fields: string | null, quirk: AnswerQuirk | null): Record<string, unknown> {
  const wanted = fields ? fields.split(',').map((f) => f.trim()) : null;
  const full: Record<string, unknown> = {
    cons_id: constituent.consId,
    ...(constituent.name !== undefined ? { name: constituent.name && { ...constituent.name } } : {}),
    email: { primary_address: constituent.primaryEmail },
  };
  const record: Record<string, unknown> = { cons_id: constituent.consId };
  for (const [key, value] of Object.entries(full)) {
    if (key === 'cons_id') continue;
    if (!wanted || wanted.includes(key) || value === null) {
      if (!wanted || wanted.some((f) => f === key || f.startsWith(`${key}.`))) record[key] = value;
      continue;
    }
    const parts = Object.entries(value as Record<string, unknown>).filter(([part]) => wanted.includes(`${key}.${part}`));
    if (parts.length > 0) record[key] = Object.fromEntries(parts);
  }
  if (quirk?.kind === 'absent_fields' || quirk?.kind === 'null_fields' || quirk?.kind === 'null_strings') {
    const defaults = quirk.kind === 'null_strings' ? ['name.first', 'name.last', 'email.primary_address'] : ['name', 'email'];
    for (const path of quirk.fields ?? defaults) setPath(record, path, quirk.kind === 'absent_fields' ? undefined : quirk.kind === 'null_fields' ? null : 'null');
  }
  return record;
}

function setPath(record: Record<string, unknown>, path: string, value: unknown): void {
  const [head, part] = path.split('.') as [string, string | undefined];
  const target = part === undefined ? record : record[head];
  if (typeof target !== 'object' || target === null) return;
  const key = part ?? head;
  if (value === undefined) delete (target as Record<string, unknown>)[key];
  else (target as Record<string, unknown>)[key] = value;
}

/**
 * One page of a donor's interactions: filtered (`begin_date`, `end_date`, `interaction_type_id`,
 * `interaction_subject`), ordered by creation date (ascending unless `list_ascending=false`), then
 * paged (`list_page_size` with `list_record_offset`, or `list_page_offset` in pages). Notes only
 * for custom types (not type 0), as Luminate's lists. Unreadable numbers or dates get code 1.
 */
export function listInteractions(constituent: SampleConstituent, params: URLSearchParams): { items: WireInteraction[] } | { errorCode: string; message: string } {
  const number = (name: string, fallback: number): number | undefined => {
    const raw = params.get(name);
    if (raw === null || raw === '') return fallback;
    return /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
  };
  const date = (name: string): number | null | undefined => {
    const raw = params.get(name);
    if (raw === null || raw === '') return null;
    const at = Date.parse(raw);
    return Number.isNaN(at) ? undefined : at;
  };
  const size = number('list_page_size', DEFAULT_PAGE_SIZE);
  const pageOffset = number('list_page_offset', 0);
  const recordOffset = number('list_record_offset', (pageOffset ?? 0) * (size ?? 0));
  const begin = date('begin_date');
  const end = date('end_date');
  const typeId = params.get('interaction_type_id');
  if (size === undefined || size === 0 || pageOffset === undefined || recordOffset === undefined) return invalid('paging');
  if (begin === undefined || end === undefined) return invalid('date');
  if (typeId !== null && typeId !== '' && !/^\d{1,9}$/.test(typeId)) return invalid('interaction_type_id');
  const subject = params.get('interaction_subject')?.toLowerCase();

  const at = (i: WireInteraction) => Date.parse(String(i.creationDate));
  const direction = params.get('list_ascending') === 'false' ? -1 : 1;
  const items = constituent.interactions
    .filter((i) => (begin === null || at(i) >= begin) && (end === null || at(i) <= end))
    .filter((i) => !typeId || i.interactionTypeId === String(Number(typeId)))
    .filter((i) => !subject || String(i.subject).toLowerCase().includes(subject))
    .sort((a, b) => direction * (at(a) - at(b) || Number(a.interactionId) - Number(b.interactionId)))
    .slice(recordOffset, recordOffset + size)
    .map((i) => {
      if (i.interactionTypeId !== '0') return i;
      const { note: _note, ...withoutNote } = i;
      return withoutNote;
    });
  return { items };
}

function invalid(what: string): { errorCode: string; message: string } {
  return { errorCode: '1', message: `Unable to process request: invalid ${what}.` };
}
