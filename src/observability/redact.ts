/**
 * The one email redaction, for everything that may quote outside text into a log (Luminate's
 * error messages, bodies, Bolt's lines): donor emails never reach the logs.
 *
 * The local part takes the characters the bot accepts in a donor's email (any letter or digit,
 * `'`, `!`, `+`…), but not `/`, so a stack frame's `node_modules/@scope` stays a path. The domain
 * needs no dot, so an address cut short by a length cap is still caught. Linear on any input:
 * the look-behind lets a match start only where a run of local-part characters starts, so no
 * run is rescanned from each of its characters, and `@` splits the two runs.
 */
const EMAIL = /(?<![\p{L}\p{N}\p{M}_.!#$%&'*+=?^`~-])[\p{L}\p{N}\p{M}_.!#$%&'*+=?^`~-]+@[\p{L}\p{N}\p{M}.-]+/gu;

const EMAIL_REDACTED = '[email]';
export const REDACTED = '[redacted]';

export function redactEmails(text: string): string {
  return text.replace(EMAIL, EMAIL_REDACTED);
}

/** Exact secrets, raw, URL-encoded and JSON-escaped: plain substring search, no pattern. */
export function knownSecretsRedactor(secrets: readonly string[]): (text: string) => string {
  // Longest first, so a secret that contains another is blanked whole.
  const known = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  const encodedForms = [...new Set(known.flatMap((s) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]))];
  return (text) => {
    let out = text;
    for (const secret of encodedForms) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
}

/** Slack token shapes, caught even when the value is not one we were told about. */
const SLACK_TOKEN = /\bx(?:ox[abposr]|app)-[A-Za-z0-9-]+/g;
/** `api_key=…` and `login_password=…` inside a URL-encoded body or query string. */
const SECRET_PARAM = /\b(api_key|login_password|password|token)=[^&\s"]*/gi;

/** What every written log line passes through last: known secrets, token shapes, secret parameters, donor emails. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const known = knownSecretsRedactor(secrets);
  return (text) =>
    redactEmails(known(text).replace(SLACK_TOKEN, REDACTED).replace(SECRET_PARAM, (_m, key: string) => `${key}=${REDACTED}`));
}
