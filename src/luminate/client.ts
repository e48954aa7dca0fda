import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IsolatedCircuitError,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { Pool, type Dispatcher } from 'undici';
import type { Logger } from '../logger.js';
import {
  LuminateApiError,
  LuminateBadResponseError,
  LuminateCircuitOpenError,
  LuminateError,
  LuminateTimeoutError,
  LuminateUnavailableError,
} from './errors.js';
import type { InteractionLookup } from './lookup.js';
import { errorResponseSchema, getInteractionResponseSchema, toInteraction, type Interaction } from './schema.js';

export interface LuminateClientOptions {
  /** Site base, e.g. `https://secure2.convio.net/yourorg/site`; `/SRConsAPI` is appended. */
  url: string;
  apiKey: string;
  loginName: string;
  loginPassword: string;
  /** Budget for one call, queueing for a connection included. */
  timeoutMs: number;
  /** Most requests in flight at once; further calls wait for a free connection. */
  maxConnections: number;
}

/** How the client rides out Luminate's bad moments; defaults suit production, tests shorten them. */
export interface ResilienceOptions {
  /** Attempts per lookup, the first included, for transient failures only. */
  maxAttempts?: number;
  /** First retry delay; later ones grow, with jitter, up to 1 s. */
  retryDelayMs?: number;
  /** Consecutive failed lookups that open the circuit. */
  breakerThreshold?: number;
  /** Cool-down before one probe is let through. */
  breakerCooldownMs?: number;
  logger?: Logger;
}

/** What the rest of the bot needs from Luminate; tests and the demo can supply their own. */
export interface InteractionSource {
  getInteraction(lookup: InteractionLookup, options?: { signal?: AbortSignal }): Promise<Interaction>;
}

/** Largest body read before the answer is judged not to be a `getInteraction` response. */
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Share of the whole budget the first attempt may wait for response headers: most of it, so a slow but
 * working Luminate still answers, yet a hang leaves room for one retry on a fresh connection.
 */
const FIRST_ATTEMPT_SHARE = 0.75;

/**
 * The one place that talks to Luminate's server Constituent API (`SRConsAPI`).
 * Credentials go only in the POST body: a query string ends up in proxy and
 * server logs. Every failure leaves as a {@link LuminateError}.
 */
export class LuminateClient implements InteractionSource {
  readonly #pool: Pool;
  readonly #path: string;
  readonly #options: LuminateClientOptions;
  readonly #policy: IPolicy;

  constructor(options: LuminateClientOptions, resilience: ResilienceOptions = {}) {
    const url = new URL(`${options.url.replace(/\/+$/, '')}/SRConsAPI`);
    this.#path = url.pathname;
    this.#options = options;
    this.#policy = resiliencePolicy(resilience);
    // pipelining 1: each connection carries one request at a time, so
    // `connections` is exactly the most requests Luminate sees at once.
    this.#pool = new Pool(url.origin, {
      connections: options.maxConnections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: { timeout: Math.min(options.timeoutMs, 10_000) },
    });
  }

  async getInteraction(lookup: InteractionLookup, { signal }: { signal?: AbortSignal } = {}): Promise<Interaction> {
    const params = new URLSearchParams({
      method: 'getInteraction',
      v: '1.0',
      response_format: 'json',
      api_key: this.#options.apiKey,
      login_name: this.#options.loginName,
      login_password: this.#options.loginPassword,
      interaction_id: String(lookup.interactionId),
    });
    const { identifier } = lookup;
    if (identifier.kind === 'cons') params.set('cons_id', identifier.consId);
    else if (identifier.kind === 'member') params.set('member_id', identifier.memberId);
    else params.set('primary_email', identifier.email);

    const body = params.toString();
    const started = Date.now();
    // A controller and timers cleared on completion, not AbortSignal.timeout/any: on Node 20 those stay
    // reachable until the timer fires, which under load kept every finished lookup's signals for 10 s.
    const overall = linkedController(signal);
    const budgetTimer = setTimeout(() => overall.abort(), this.#options.timeoutMs);
    try {
      return await this.#policy.execute((context) => this.#attempt(body, context.signal, started, (context as { attempt?: number }).attempt ?? 0), overall.signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) throw new LuminateCircuitOpenError();
      if (error instanceof LuminateError) throw error;
      // cockatiel gives up with its own error when the budget ends during a backoff.
      if (overall.signal.aborted) throw new LuminateTimeoutError(this.#options.timeoutMs);
      throw new LuminateUnavailableError('Luminate call failed', undefined, { cause: error });
    } finally {
      clearTimeout(budgetTimer);
      overall.unlink();
    }
  }

  /** Closes idle connections and waits for requests in flight; with `force`, aborts them instead. */
  async close({ force = false }: { force?: boolean } = {}): Promise<void> {
    await (force ? this.#pool.destroy() : this.#pool.close());
  }

  /** One request, and what its answer means. */
  async #attempt(body: string, signal: AbortSignal, started: number, attempt: number): Promise<Interaction> {
    const { status, text } = await this.#post(body, signal, started, attempt);
    const json = parseJson(text);
    if (json === undefined) throw nonJsonFailure(status, text);

    const error = errorResponseSchema.safeParse(json);
    // 403 normally; 200 when the site forces suppress_response_codes.
    if (error.success) throw new LuminateApiError(error.data.errorResponse.code, error.data.errorResponse.message ?? '');
    if (status !== 200) throw httpFailure(status);

    const parsed = getInteractionResponseSchema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
      throw new LuminateBadResponseError(`Response is not a getInteraction response (problems at: ${where})`, status);
    }
    const interaction = toInteraction(parsed.data);
    if (!interaction) throw new LuminateBadResponseError('Response held no interaction', status);
    return interaction;
  }

  async #post(body: string, signal: AbortSignal, started: number, attempt: number): Promise<{ status: number; text: string }> {
    const { timeoutMs } = this.#options;
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));
    // Headers late on the first attempt end it early (a retryable timeout); a retry may use all that is left.
    // Our own timer, not undici's headersTimeout, whose timers above 1 s fire up to a second late.
    const headersWait = Math.max(1, Math.floor(attempt === 0 ? Math.min(remaining, timeoutMs * FIRST_ATTEMPT_SHARE) : remaining));
    const request = linkedController(signal);
    let noHeaders = false;
    const headersTimer = setTimeout(() => {
      noHeaders = true;
      request.abort();
    }, headersWait);
    let response: Dispatcher.ResponseData | undefined;
    try {
      response = await this.#pool.request({
        method: 'POST',
        path: this.#path,
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
          accept: 'application/json',
          'user-agent': 'luminate-interaction-bot',
        },
        body,
        signal: request.signal,
      });
      clearTimeout(headersTimer);
      return { status: response.statusCode, text: await readCapped(response.body, response.statusCode) };
    } catch (cause) {
      response?.body.destroy();
      if (cause instanceof LuminateError) throw cause;
      if (signal.aborted) throw new LuminateTimeoutError(timeoutMs);
      // No byte came back: the request may be retried. Once the body has started, the answer is lost but not retried blindly.
      if (noHeaders) throw new LuminateTimeoutError(timeoutMs, { transient: true });
      const code = errorCode(cause);
      const beforeResponse = response === undefined;
      throw new LuminateUnavailableError(`Could not reach Luminate: ${code ?? 'unknown error'}${beforeResponse ? '' : ' (mid-body)'}`, undefined, {
        cause,
        transient: beforeResponse && TRANSIENT_NETWORK_CODES.has(code ?? ''),
      });
    } finally {
      clearTimeout(headersTimer);
      request.unlink();
    }
  }
}

/** An AbortController that also aborts when `parent` does, until `unlink()` drops the listener. */
function linkedController(parent: AbortSignal | undefined): AbortController & { unlink: () => void } {
  const controller = new AbortController() as AbortController & { unlink: () => void };
  const onAbort = () => controller.abort();
  if (parent?.aborted) controller.abort();
  else parent?.addEventListener('abort', onAbort, { once: true });
  controller.unlink = () => parent?.removeEventListener('abort', onAbort);
  return controller;
}

/**
 * Retries inside a circuit breaker: the breaker counts whole lookups, so one
 * lookup's retries are one failure, and a Luminate that keeps failing is left
 * alone for the cool-down instead of being hammered.
 */
function resiliencePolicy({
  maxAttempts = 3,
  retryDelayMs = 100,
  breakerThreshold = 5,
  breakerCooldownMs = 30_000,
  logger,
}: ResilienceOptions): IPolicy {
  const retries = retry(
    handleWhen((e) => e instanceof LuminateError && e.transient),
    { maxAttempts: Math.max(0, maxAttempts - 1), backoff: new ExponentialBackoff({ initialDelay: retryDelayMs, maxDelay: 1000 }) },
  );
  retries.onRetry((reason) => logger?.warn('retrying a Luminate call', { error: 'error' in reason ? reason.error : undefined, delayMs: Math.round(reason.delay) }));
  const breaker = circuitBreaker(
    handleWhen((e) => e instanceof LuminateTimeoutError || e instanceof LuminateUnavailableError || e instanceof LuminateBadResponseError),
    { halfOpenAfter: breakerCooldownMs, breaker: new ConsecutiveBreaker(breakerThreshold) },
  );
  breaker.onBreak(() => logger?.error('Luminate keeps failing: pausing calls', { cooldownMs: breakerCooldownMs }));
  breaker.onReset(() => logger?.info('Luminate answers again: calls resumed'));
  return wrap(breaker, retries);
}

async function readCapped(body: Dispatcher.ResponseData['body'], status: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new LuminateBadResponseError(`Response body larger than ${MAX_BODY_BYTES} bytes`, status);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Luminate answers XML when `response_format` is lost on the way (its default),
 * so an XML `errorResponse` still yields its code.
 */
function nonJsonFailure(status: number, text: string): LuminateError {
  const xmlError = /<errorResponse[\s>][\s\S]*?<code>\s*([^<]+?)\s*<\/code>(?:[\s\S]*?<message>([\s\S]*?)<\/message>)?/.exec(text);
  if (xmlError) return new LuminateApiError(xmlError[1]!, decodeXmlText(xmlError[2] ?? ''));
  if (status !== 200) return httpFailure(status);
  const looksHtml = /^\s*<(!doctype|html|head|body)/i.test(text);
  return new LuminateBadResponseError(
    looksHtml ? 'Response is an HTML page, not JSON' : text.trim() === '' ? 'Response body is empty' : 'Response is not valid JSON',
    status,
  );
}

/** Gateway failures a second attempt may not meet; a plain 500 is Luminate's own fault and not retried. */
const TRANSIENT_STATUS = new Set([502, 503, 504]);

function httpFailure(status: number): LuminateError {
  // 5xx and 429 are Luminate (or a proxy in front of it) having a bad moment;
  // anything else (404, 405) means the request went somewhere that is not SRConsAPI.
  return status >= 500 || status === 429
    ? new LuminateUnavailableError(`Luminate answered HTTP ${status}`, status, { transient: TRANSIENT_STATUS.has(status) })
    : new LuminateBadResponseError(`Luminate answered HTTP ${status}`, status);
}

function decodeXmlText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name } = error as { code?: unknown; name?: unknown };
  return typeof code === 'string' ? code : typeof name === 'string' ? name : undefined;
}
