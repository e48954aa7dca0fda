import type { ConstituentIdentifier, IdentifierKind, InteractionRequest } from '../luminate/identifiers.js';
import { identifierValue } from '../luminate/identifiers.js';
import { parseIdentifier, parseInteractionId, type InteractionListRequest, type ListFilters } from '../service/requests.js';

/**
 * What a card's buttons need to act again: the interaction asked for, and where the card was
 * asked for (so Share posts there). Travels in a button's `value`; Slack signs
 * the payload it comes back in, but it is parsed as strictly as typed input.
 */
export interface CardReference {
  request: InteractionRequest;
  channelId: string | null;
  threadTs: string | null;
  /** The list page the card was opened from, for its "Back to list" button. */
  list?: { filters: ListFilters; page: number };
}

/** What a list's buttons need: the page asked for, and where it was asked (travels in a button's `value`). */
export interface ListReference {
  list: InteractionListRequest;
  channelId: string | null;
  threadTs: string | null;
}

interface PageWire {
  s?: string;
  u?: string;
  y?: number;
  p: number;
}

interface Wire {
  i: number;
  k: IdentifierKind;
  v: string;
  c?: string;
  t?: string;
  l?: PageWire;
}

function pageWire(filters: ListFilters, page: number): PageWire {
  return { ...(filters.since ? { s: filters.since } : {}), ...(filters.until ? { u: filters.until } : {}), ...(filters.typeId !== undefined ? { y: filters.typeId } : {}), p: page };
}

export function encodeCardReference({ request, channelId, threadTs, list }: CardReference): string {
  const wire: Wire = { i: request.interactionId, k: request.identifier.kind, v: identifierValue(request.identifier) };
  if (channelId) wire.c = channelId;
  if (threadTs) wire.t = threadTs;
  if (list) wire.l = pageWire(list.filters, list.page);
  return JSON.stringify(wire);
}

export function encodeListReference({ list, channelId, threadTs }: ListReference): string {
  const wire: Omit<Wire, 'i'> = { k: list.identifier.kind, v: identifierValue(list.identifier), l: pageWire(list.filters, list.page) };
  if (channelId) wire.c = channelId;
  if (threadTs) wire.t = threadTs;
  return JSON.stringify(wire);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_PAGE = 10_000;

/** A page read as strictly as typed filters; anything off is no page at all. */
function readPage(wire: unknown): { filters: ListFilters; page: number } | null {
  if (typeof wire !== 'object' || wire === null) return null;
  const { s, u, y, p } = wire as Partial<Record<keyof PageWire, unknown>>;
  if (!Number.isSafeInteger(p) || (p as number) < 0 || (p as number) > MAX_PAGE) return null;
  if ((s !== undefined && (typeof s !== 'string' || !DAY.test(s))) || (u !== undefined && (typeof u !== 'string' || !DAY.test(u)))) return null;
  if (y !== undefined && (!Number.isSafeInteger(y) || (y as number) < 0)) return null;
  const filters: ListFilters = { ...(s !== undefined ? { since: s as string } : {}), ...(u !== undefined ? { until: u as string } : {}), ...(y !== undefined ? { typeId: y as number } : {}) };
  return { filters, page: p as number };
}

/** A button value's JSON, read as strictly as typed input; anything off is no reference at all. */
function readWire(value: string | undefined): { wire: Partial<Wire>; identifier: ConstituentIdentifier; channelId: string | null; threadTs: string | null } | null {
  let wire: Partial<Wire>;
  try {
    wire = JSON.parse(value ?? '') as Partial<Wire>;
  } catch {
    return null;
  }
  if (typeof wire !== 'object' || wire === null || typeof wire.v !== 'string') return null;
  const identifier = parseIdentifier(wire.k === 'email' ? wire.v : `${wire.k}:${wire.v}`);
  if (!identifier.ok || identifier.value.kind !== wire.k) return null;
  return { wire, identifier: identifier.value, channelId: slackId(wire.c), threadTs: ts(wire.t) };
}

const slackId = (x: unknown) => (typeof x === 'string' && /^[A-Z0-9]{2,}$/.test(x) ? x : null);
const ts = (x: unknown) => (typeof x === 'string' && /^\d+\.\d+$/.test(x) ? x : null);

export function decodeListReference(value: string | undefined): ListReference | null {
  const read = readWire(value);
  const page = read && readPage(read.wire.l);
  if (!read || !page) return null;
  return { list: { identifier: read.identifier, ...page }, channelId: read.channelId, threadTs: read.threadTs };
}

export function decodeCardReference(value: string | undefined): CardReference | null {
  const read = readWire(value);
  if (!read) return null;
  const id = parseInteractionId(String(read.wire.i));
  if (!id.ok) return null;
  const list = read.wire.l === undefined ? null : readPage(read.wire.l);
  return { request: { interactionId: id.value, identifier: read.identifier }, channelId: read.channelId, threadTs: read.threadTs, ...(list ? { list } : {}) };
}
