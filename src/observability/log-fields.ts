import { REDACTED } from './redact.js';

// What the logger makes of whatever it is handed (errors with causes, proxies, cycles, 1 MB
// bodies) before it writes a line: a copy that JSON.stringify cannot choke on and that stays small.

export type LogFields = Record<string, unknown>;

/** Keys whose values are secrets whatever they hold (a Luminate form body, an HTTP header, Bolt's own debug output). */
const SECRET_KEY = /token|secret|password|passwd|api_key|apikey|authorization|signature|cookie/i;

/**
 * Bounds on one line, so a 1 MB error body cannot become a 1 MB log line: each string
 * is cut to a few KB, and all strings of a line share a budget. Arrays and objects show
 * their first entries, and the count of the rest.
 */
const MAX_STRING = 4000;
const MAX_LINE_STRINGS = 16_000;
const MAX_ENTRIES = 50;
const MAX_DEPTH = 6;

interface PlainContext {
  /** Characters of string content this line may still carry. */
  budget: number;
  /** Error stacks are logged at error level only. */
  stacks: boolean;
  /** Objects on the path from the root: a repeat is a cycle. */
  path: Set<object>;
  redactKnown: (text: string) => string;
}

/** Known secrets go before the cut, so no cut can leave part of one behind. */
function capString(text: string, ctx: PlainContext): string {
  const redacted = ctx.redactKnown(text);
  const limit = Math.max(0, Math.min(MAX_STRING, ctx.budget));
  if (redacted.length <= limit) {
    ctx.budget -= redacted.length;
    return redacted;
  }
  ctx.budget -= limit;
  return `${redacted.slice(0, limit)}…[cut ${redacted.length - limit} chars]`;
}

/** A property read that may run a getter or a proxy trap. */
function read(object: object, key: PropertyKey): unknown {
  try {
    return (object as Record<PropertyKey, unknown>)[key];
  } catch (error) {
    return unreadable(error);
  }
}

function unreadable(error: unknown): string {
  let name = 'error';
  try {
    name = error instanceof Error ? error.name : typeof error;
  } catch {
    // name stays generic
  }
  return `[unreadable: ${name}]`;
}

/**
 * A JSON-safe copy of anything: no cycles, no BigInt, nothing that runs code when stringified,
 * bounded in depth, entries and characters. Never throws.
 */
function toPlain(value: unknown, ctx: PlainContext, depth = 0): unknown {
  try {
    switch (typeof value) {
      case 'string':
        return capString(value, ctx);
      case 'bigint':
      case 'symbol':
        return String(value);
      case 'function':
        return undefined;
      case 'object':
        break;
      default:
        return value;
    }
    if (value === null) return null;
    if (ctx.path.has(value)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[too deep]';
    ctx.path.add(value);
    try {
      return plainObject(value, ctx, depth);
    } finally {
      ctx.path.delete(value);
    }
  } catch (error) {
    return unreadable(error);
  }
}

function plainObject(value: object, ctx: PlainContext, depth: number): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof URL) return capString(value.href, ctx);
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  if (value instanceof Map) return plainEntries([...value.entries()].map(([k, v]) => [String(k), v]), ctx, depth);
  if (value instanceof Set || Array.isArray(value)) {
    const items = [...value];
    const shown = items.slice(0, MAX_ENTRIES).map((item) => toPlain(item, ctx, depth + 1) ?? null);
    if (items.length > MAX_ENTRIES) shown.push(`…[cut ${items.length - MAX_ENTRIES} items]`);
    return shown;
  }
  const entries: [string, unknown][] = [];
  if (value instanceof Error) {
    entries.push(['name', read(value, 'name')], ['message', read(value, 'message')]);
    if (ctx.stacks) entries.push(['stack', read(value, 'stack')]);
  }
  for (const key of Object.keys(value)) entries.push([key, read(value, key)]);
  if (value instanceof Error) {
    // Neither is enumerable: `cause` from `new Error(msg, { cause })`, `errors` on an AggregateError.
    for (const key of ['cause', 'errors']) {
      if (!Object.keys(value).includes(key) && read(value, key) !== undefined) entries.push([key, read(value, key)]);
    }
  }
  return plainEntries(entries, ctx, depth);
}

function plainEntries(entries: [string, unknown][], ctx: PlainContext, depth: number): Record<string, unknown> {
  // No prototype: a key named __proto__ is data here, not a prototype to set.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, v] of entries.slice(0, MAX_ENTRIES)) {
    const k = key.length > 200 ? `${key.slice(0, 200)}…` : key;
    out[k] = SECRET_KEY.test(key) ? REDACTED : toPlain(v, ctx, depth + 1);
  }
  if (entries.length > MAX_ENTRIES) out['…'] = `[cut ${entries.length - MAX_ENTRIES} keys]`;
  return out;
}

/**
 * A log line's message and fields as a bounded, JSON-safe copy: secret-named keys blanked, known
 * secrets blanked before any cut, error stacks only when `stacks`. Never throws.
 */
export function plainLine(msg: string, fields: LogFields | undefined, { stacks, redactKnown }: { stacks: boolean; redactKnown: (text: string) => string }): { msg: string; fields: LogFields } {
  const ctx: PlainContext = { budget: MAX_LINE_STRINGS, stacks, path: new Set(), redactKnown };
  const text = capString(typeof msg === 'string' ? msg : String(toPlain(msg, ctx)), ctx);
  const plain = toPlain(fields ?? {}, ctx);
  return { msg: text, fields: plain !== null && typeof plain === 'object' && !Array.isArray(plain) ? (plain as LogFields) : { fields: plain } };
}
