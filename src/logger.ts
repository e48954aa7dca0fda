import { LogLevel as BoltLogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { LOG_LEVELS, type LogLevelName } from './config.js';
import { writeStdoutLine } from './stdout-lines.js';

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
}

export const REDACTED = '[redacted]';

/** Keys whose values are secrets whatever they hold (a Luminate form body, an HTTP header, Bolt's own debug output). */
const SECRET_KEY = /token|secret|password|passwd|api_key|apikey|authorization|signature|cookie/i;
/** Slack token shapes, caught even when the value is not one we were told about. */
const SLACK_TOKEN = /\bx(?:ox[abposr]|app)-[A-Za-z0-9-]+/g;
/** `api_key=…` and `login_password=…` inside a URL-encoded body or query string. */
const SECRET_PARAM = /\b(api_key|login_password|password|token)=[^&\s"]*/gi;

export function createRedactor(secrets: readonly string[]): (text: string) => string {
  // Longest first, so a secret that contains another is blanked whole.
  const known = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  const encodedForms = known.flatMap((s) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]);
  return (text) => {
    let out = text;
    for (const secret of encodedForms) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out.replace(SLACK_TOKEN, REDACTED).replace(SECRET_PARAM, (_m, key: string) => `${key}=${REDACTED}`);
  };
}

function toPlain(value: unknown, depth = 0): unknown {
  if (value instanceof Error) {
    // Stack traces stay out of logs at info level; the error's class and message say what happened.
    const plain: LogFields = { name: value.name, message: value.message };
    for (const [k, v] of Object.entries(value)) plain[k] = toPlain(v, depth + 1);
    if (value.cause !== undefined) plain.cause = toPlain(value.cause, depth + 1);
    return plain;
  }
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => toPlain(v, depth + 1));
  const out: LogFields = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : toPlain(v, depth + 1);
  return out;
}

export function createLogger({ level, secrets, write = writeStdoutLine, clock = () => new Date() }: LoggerOptions): Logger {
  const redact = createRedactor(secrets);
  const threshold = LOG_LEVELS.indexOf(level);
  const emit = (lvl: LogLevelName, msg: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(lvl) < threshold) return;
    const line = JSON.stringify({ level: lvl, at: clock().toISOString(), msg, ...(toPlain(fields ?? {}) as LogFields) });
    write(`${redact(line)}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

/** Bolt and its Web API client log through this, so their lines are JSON and redacted too. */
export function toBoltLogger(logger: Logger, level: LogLevelName): BoltLogger {
  let current = level as BoltLogLevel;
  // Bolt logs at debug several times per request; below the level, skip turning its arguments into text at all.
  const enabled = (lvl: LogLevelName) => LOG_LEVELS.indexOf(lvl) >= LOG_LEVELS.indexOf(current as LogLevelName);
  const join = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(toPlain(p)))).join(' ');
  const at =
    (lvl: LogLevelName) =>
    (...msg: unknown[]) => {
      if (enabled(lvl)) logger[lvl](join(msg), { source: 'bolt' });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    setName: () => {},
  };
}
