import { knownSecretsRedactor, redactEmails } from '../observability/redact.js';

/**
 * Every way a Luminate call can fail becomes one of these. Listeners never
 * see an undici or zod error; {@link describeLookupFailure} turns these into
 * what a person reads.
 */
export abstract class LuminateError extends Error {
  abstract readonly kind: 'api' | 'timeout' | 'unavailable' | 'bad_response' | 'not_visible' | 'write_uncertain';
  /**
   * True for a failure of one attempt that another attempt may not meet: a
   * reset or refused connection, 502/503/504. Only these are retried, and only
   * while the budget leaves a retry time to succeed; Luminate's own answers never are.
   */
  readonly transient: boolean = false;
}

/**
 * What an `errorResponse` code means for a lookup. Luminate's messages are
 * documentation wording, not a contract, so only the code is trusted.
 */
export type LuminateErrorReason =
  | 'not_found'
  | 'no_constituent'
  | 'ambiguous'
  | 'bad_input'
  | 'bad_api_key'
  | 'login_rejected'
  | 'ip_not_allowed'
  | 'not_permitted'
  | 'bot_bug'
  | 'cannot_process'
  /** A write named an interaction type the site does not have (only `logInteraction` answers mean this). */
  | 'bad_type'
  | 'other';

const REASON_BY_CODE: Readonly<Record<string, LuminateErrorReason>> = {
  '1': 'cannot_process',
  '2': 'bad_api_key',
  '3': 'login_rejected',
  '4': 'ip_not_allowed',
  '5': 'bot_bug', // server method called on the client servlet, or a missing auth token
  '6': 'bot_bug',
  '17': 'bot_bug',
  '8': 'ambiguous',
  '15': 'ambiguous',
  '9': 'bot_bug', // required parameters: the bot validates before calling
  '10': 'bot_bug',
  '14': 'not_permitted',
  '16': 'no_constituent',
  '22': 'bad_input', // validation failed
  '23': 'bad_input', // input too long
  '35': 'bad_input', // invalid characters
  '26': 'not_found',
  '27': 'not_found',
  '32': 'not_found',
};

/** Most of Luminate's own text kept for an admin reading the log. */
const MAX_QUOTED = 300;

/**
 * Luminate's own words, fit for a log line: capped, without email-shaped text or the given
 * secrets (the logger redacts secrets again). Never for Slack: people read the bot's wording.
 */
function redactQuoted(text: string, secrets: readonly string[] = []): string {
  const out = redactEmails(knownSecretsRedactor(secrets)(text.length > MAX_QUOTED * 4 ? text.slice(0, MAX_QUOTED * 4) : text));
  return out.length > MAX_QUOTED ? `${out.slice(0, MAX_QUOTED - 1)}…` : out;
}

/** Luminate answered with an `errorResponse`. */
export class LuminateApiError extends LuminateError {
  override readonly name = 'LuminateApiError';
  readonly kind = 'api';
  readonly reason: LuminateErrorReason;
  /** Luminate's own text, redacted and capped ({@link redactQuoted}): for logs and doctor, never shown in Slack. */
  readonly luminateMessage: string;
  /** `reasons` overrides {@link REASON_BY_CODE} for one method, where a code means something else (26 for a write). */
  constructor(
    readonly code: string,
    luminateMessage: string,
    { secrets = [], reasons }: { secrets?: readonly string[]; reasons?: Readonly<Record<string, LuminateErrorReason>> } = {},
  ) {
    const reason = (reasons && Object.hasOwn(reasons, code) ? reasons[code] : undefined) ?? REASON_BY_CODE[code] ?? 'other';
    const quoted = redactQuoted(luminateMessage, secrets);
    super(`Luminate error ${code.slice(0, 20)} (${reason})`);
    this.reason = reason;
    this.luminateMessage = quoted;
  }
}

/**
 * Luminate answered, but without the record asked for: its rule is that an absent value is
 * hidden from the caller, so this is "not found, or not visible to the bot's
 * service account", about one record and never a sign that Luminate is unwell.
 */
export class LuminateNotVisibleError extends LuminateError {
  override readonly name = 'LuminateNotVisibleError';
  readonly kind = 'not_visible';
  /** `what` names what was asked for: "an interaction", "a constituent". */
  constructor(what = 'an interaction') {
    super(`Luminate answered without ${what} (not found, or hidden from the service account)`);
  }
}

/** Both ways of "Luminate has nothing for this question". */
export function isNotFound(error: unknown): boolean {
  return error instanceof LuminateNotVisibleError || (error instanceof LuminateApiError && (error.reason === 'not_found' || error.reason === 'no_constituent'));
}

/** No complete answer within `LUMINATE_TIMEOUT_MS`. */
export class LuminateTimeoutError extends LuminateError {
  override readonly name = 'LuminateTimeoutError';
  readonly kind = 'timeout';
  override readonly transient: boolean;
  constructor(
    readonly timeoutMs: number,
    { transient = false }: { transient?: boolean } = {},
  ) {
    super(`Luminate did not answer within ${timeoutMs} ms`);
    this.transient = transient;
  }
}

/** Connection failures and HTTP errors other than Luminate's own 403 `errorResponse`. */
export class LuminateUnavailableError extends LuminateError {
  override readonly name: string = 'LuminateUnavailableError';
  readonly kind = 'unavailable';
  override readonly transient: boolean;
  constructor(
    message: string,
    readonly status?: number,
    { cause, transient = false }: { cause?: unknown; transient?: boolean } = {},
  ) {
    super(message, { cause });
    this.transient = transient;
  }
}

/**
 * Luminate failed repeatedly, so the bot stopped calling it for a cool-down
 * (a circuit breaker) instead of piling more requests onto it.
 */
export class LuminateCircuitOpenError extends LuminateUnavailableError {
  override readonly name = 'LuminateCircuitOpenError';
  constructor() {
    super('Luminate failed repeatedly; not calling it during the cool-down');
  }
}

/**
 * What was wrong with an answer that is not a usable response of the method called:
 * - `blocked`: a 403 that is not Luminate's `errorResponse` (a firewall's page), or an `errorResponse` without a code;
 * - `redirect`: a 3xx, not followed (a POST with credentials); where it pointed is in `locationHost`;
 * - `mismatch`: an interaction or constituent other than the one asked for;
 * - the rest: HTML, broken JSON, an empty body, the wrong shape, another HTTP status, too large.
 */
export type BadResponseProblem = 'html' | 'not_json' | 'empty_body' | 'wrong_shape' | 'http_status' | 'blocked' | 'redirect' | 'mismatch' | 'too_large';

/** An answer that is not a valid response of the method called, or not the answer to the question asked. */
export class LuminateBadResponseError extends LuminateError {
  override readonly name = 'LuminateBadResponseError';
  readonly kind = 'bad_response';
  readonly problem: BadResponseProblem;
  /** A redirect's `Location` host (secure2 vs secure3 vs a custom domain): the usual `LUMINATE_URL` mistake. */
  readonly locationHost?: string;
  constructor(
    message: string,
    readonly status: number,
    { cause, problem = 'wrong_shape', locationHost }: { cause?: unknown; problem?: BadResponseProblem; locationHost?: string } = {},
  ) {
    super(message, { cause });
    this.problem = problem;
    if (locationHost !== undefined) this.locationHost = locationHost;
  }
}

/** Why a write's outcome is unknown: what happened after its request may have reached Luminate. */
export type UncertainWriteCause = 'timeout' | 'connection_lost' | 'http_status' | 'unknown_answer' | 'mismatch';

/**
 * A write whose request may have reached Luminate, with no answer that says what happened: a reset
 * or timeout after sending, a 5xx without an `errorResponse`, or a 200 that is not the method's known
 * answer. It may or may not have been recorded, so it is never retried: the person checks the
 * donor's list. Every other {@link LuminateError} from a write means nothing was recorded.
 */
export class LuminateWriteUncertainError extends LuminateError {
  override readonly name = 'LuminateWriteUncertainError';
  readonly kind = 'write_uncertain';
  constructor(
    readonly uncertainCause: UncertainWriteCause,
    { cause }: { cause?: unknown } = {},
  ) {
    super(`Luminate may or may not have recorded the write (${uncertainCause})`, { cause });
  }
}
