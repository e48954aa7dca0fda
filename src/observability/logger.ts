import type { LogLevel as BoltLogLevel, Logger as BoltLogger } from '@slack/bolt';
import { plainLine, type LogFields } from './log-fields.js';
import { createRedactor, knownSecretsRedactor } from './redact.js';
import { writeStdoutLine } from './stdout-lines.js';

/** Log levels, most to least verbose. Bolt's own levels share these names. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

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
      const line = plainLine(msg, fields, { stacks: lvl === 'error', redactKnown });
      write(`${redact(JSON.stringify({ level: lvl, at, ...(replica === undefined ? {} : { replica }), msg: line.msg, ...line.fields }))}\n`);
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