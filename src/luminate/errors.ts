/**
 * Every way a Luminate call can fail becomes one of these. Listeners never
 * see an undici or zod error; {@link describeLookupFailure} turns these into
 * what a person reads.
 */
export abstract class LuminateError extends Error {
  abstract readonly kind: 'api' | 'timeout' | 'unavailable' | 'bad_response';
  /**
   * True for a failure of one attempt that another attempt may not meet: a
   * reset or refused connection, 502/503/504, no response headers in time.
   * Only these are retried; Luminate's own answers never are.
   */
  readonly transient: boolean = false;
}

/**
 * What an `errorResponse` code means for a lookup. Luminate's messages are
 * documentation wording, not a contract, so only the code is trusted.
 */
export type LuminateErrorReason =
  | 'not_found'
  | 'ambiguous'
  | 'bad_api_key'
  | 'login_rejected'
  | 'ip_not_allowed'
  | 'not_permitted'
  | 'bot_bug'
  | 'cannot_process'
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
  '16': 'not_found',
  '26': 'not_found',
  '27': 'not_found',
  '32': 'not_found',
};

/** Luminate answered with an `errorResponse`. */
export class LuminateApiError extends LuminateError {
  override readonly name = 'LuminateApiError';
  readonly kind = 'api';
  readonly reason: LuminateErrorReason;
  constructor(
    readonly code: string,
    /** Luminate's own text: untrusted, shown only escaped. */
    readonly luminateMessage: string,
  ) {
    super(`Luminate error ${code}: ${luminateMessage}`);
    this.reason = REASON_BY_CODE[code] ?? 'other';
  }
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

/** An answer that is not a valid `getInteraction` response: HTML, broken JSON, or the wrong shape. */
export class LuminateBadResponseError extends LuminateError {
  override readonly name = 'LuminateBadResponseError';
  readonly kind = 'bad_response';
  constructor(
    message: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
