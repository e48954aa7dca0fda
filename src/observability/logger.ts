import type { LogLevel as BoltLogLevel, Logger as BoltLogger } from '@slack/bolt';
import { knownSecretsRedactor, REDACTED, redactEmails } from './redact.js';
import { writeStdoutLine } from './stdout-lines.js';

/** Log levels, most to least verbose. Bolt's own levels share these names. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

/** A JSON-lines logger whose every line passes through redaction before it is written. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  level: LogLevelName;
  /** Exact values to blank out wherever they appear: tokens, the signing secret, the API key, the password. */
  secrets: readonly string[];
  /** Where lines go; stdout (buffered per event-loop turn) by default, so a container's log driver picks them up. */
  write?: (line: string) => void;
  clock?: () => Date;
  /** Which process wrote the line (`REPLICA_ID`), so an operator can tell replicas apart. */
  replica?: string;
}

export { REDACTED };

/** Keys whose values are secrets whatever they hold (a Luminate form body, an HTTP header, Bolt's own debug output). */
const SECRET_KEY = /token|secret|password|passwd|api_key|apikey|authorization|signature|cookie/i;
/** Slack token shapes, caught even when the value is not one we were told about. */
const SLACK_TOKEN = /\bx(?:ox[abposr]|app)-[A-Za-z0-9-]+/g;
/** `api_key=…` and `login_password=…` inside a URL-encoded body or query string. */
const SECRET_PARAM = /\b(api_key|login_password|password|token)=[^&\s"]*/gi;

/**
 * Bounds on one line, so a 1 MB error body cannot become a 1 MB log line: each string
 * is cut to a few KB, and all strings of a line share a budget. Arrays and objects show
 * their first entries, and the count of the rest.
 */
const MAX_STRING = 4000;
const MAX_LINE_STRINGS = 16_000;
const MAX_ENTRIES = 50;
const MAX_DEPTH = 6;

export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const known = knownSecretsRedactor(secrets);
  return (text) =>
    redactEmails(known(text).replace(SLACK_TOKEN, REDACTED).replace(SECRET_PARAM, (_m, key: string) => `${key}=${REDACTED}`));
}

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

export function createLogger({ level, secrets, write = writeStdoutLine, clock = () => new Date(), replica }: LoggerOptions): Logger {
  const redact = createRedactor(secrets);
  const redactKnown = knownSecretsRedactor(secrets);
  const threshold = LOG_LEVELS.indexOf(level);
  // A logger is called from catch blocks: whatever it is given, it writes a line and never throws.
  const emit = (lvl: LogLevelName, msg: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(lvl) < threshold) return;
    try {
      let at: string;
      try {
        at = clock().toISOString();
      } catch {
        at = new Date().toISOString();
      }
      const ctx: PlainContext = { budget: MAX_LINE_STRINGS, stacks: lvl === 'error', path: new Set(), redactKnown };
      const text = capString(typeof msg === 'string' ? msg : String(toPlain(msg, ctx)), ctx);
      const plain = toPlain(fields ?? {}, ctx);
      const rest = plain !== null && typeof plain === 'object' && !Array.isArray(plain) ? plain : { fields: plain };
      write(`${redact(JSON.stringify({ level: lvl, at, ...(replica === undefined ? {} : { replica }), msg: text, ...rest }))}\n`);
    } catch {
      // Only the sink itself can throw here (a closed stdout): there is nowhere left to report it.
    }
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

/**
 * Bolt's, the Web API client's and the Socket Mode client's debug lines that quote a whole payload,
 * by the text before it: what the bot sends (cards, forms prefilled with a donor), what Slack returns
 * (views.open and views.update echo the view) and what Slack sends (message text, form fields).
 * That is donor data, which the logs never hold; the line itself, saying the call happened, stays.
 */
const PAYLOAD_PREFIXES = [
  'http request body: ',
  'http request result: ',
  'Received a message on the WebSocket: ',
  'Sending a WebSocket message: ',
  'Unable to parse an incoming WebSocket message (will ignore): ',
  'ack() call begins (body: ',
  'ack() response sent (body: ',
  'ack() response stored (body: ',
];

function withoutPayload(text: string): string {
  const prefix = PAYLOAD_PREFIXES.find((p) => text.startsWith(p));
  if (prefix === undefined) {
    // Socket Mode's ack line: `Calling ack() - type: …, envelope_id: …, data: {the answer}`.
    const data = text.startsWith('Calling ack() - ') ? text.indexOf(', data: ') : -1;
    return data === -1 ? text : `${text.slice(0, data)}, data: [${text.length - data - 8} chars not logged]`;
  }
  const payload = text.slice(prefix.length);
  // A result's ok and error are what a person debugging needs, and hold nothing about a donor.
  if (prefix === 'http request result: ') {
    try {
      const { ok, error } = JSON.parse(payload) as { ok?: unknown; error?: unknown };
      return `${prefix}${JSON.stringify({ ok, error })} [${payload.length} chars, the rest not logged]`;
    } catch {
      // Not JSON: fall through to the length alone.
    }
  }
  return `${prefix}[${payload.length} chars not logged]`;
}

/**
 * Bolt and its Web API client log through this, so their lines are JSON, redacted and bounded too.
 * LOG_LEVEL alone decides what shows: Bolt's App calls `setLevel(logLevel ?? INFO)` on the logger
 * it is given, which would otherwise silence its debug lines whatever LOG_LEVEL says.
 */
export function toBoltLogger(logger: Logger, level: LogLevelName): BoltLogger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at =
    (lvl: LogLevelName) =>
    (...parts: unknown[]) => {
      // Bolt logs at debug several times per request; below the level, skip even looking at its arguments.
      if (LOG_LEVELS.indexOf(lvl) < threshold) return;
      const text = parts.filter((p): p is string => typeof p === 'string');
      const others = parts.filter((p) => typeof p !== 'string');
      const [first] = others;
      // Objects stay fields, not text, so the logger bounds and redacts them like any other field.
      const fields: LogFields =
        others.length === 0 ? { source: 'bolt' } : others.length === 1 && first instanceof Error ? { source: 'bolt', error: first } : { source: 'bolt', args: others };
      logger[lvl](text.length > 0 ? withoutPayload(text.join(' ')) : 'Bolt reported', fields);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: () => {},
    getLevel: () => level as BoltLogLevel,
    setName: () => {},
  };
}
