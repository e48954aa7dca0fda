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
import { blocked, httpFailure, nonJsonFailure, parseJson } from './body.js';
import {
  LuminateApiError,
  LuminateBadResponseError,
  LuminateCircuitOpenError,
  LuminateError,
  LuminateNotVisibleError,
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
 * Share of the budget that must be left for a retry: a transient failure that came back fast
 * (a reset, a 502/503/504) is retried; one that came late is not, because a retry with less
 * time than a normal answer takes would only add load and fail anyway.
 */
const RETRY_NEEDS_SHARE = 0.5;
/** Transient failures that came too late in the budget to be retried. */
const tooLateToRetry = new WeakSet<LuminateError>();

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
    let base = options.url;
    while (base.endsWith('/')) base = base.slice(0, -1);
    const url = new URL(`${base}/SRConsAPI`);
    this.#path = url.pathname;
    this.#options = options;
    this.#policy = resiliencePolicy(resilience, options.timeoutMs);
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
      // Every attempt may run to the end of the budget: a slow but working Luminate answers.
      return await this.#policy.execute(async (context) => {
        try {
          return await this.#attempt(lookup, body, context.signal);
        } catch (error) {
          if (error instanceof LuminateError && error.transient && this.#options.timeoutMs - (Date.now() - started) < this.#options.timeoutMs * RETRY_NEEDS_SHARE) {
            tooLateToRetry.add(error);
          }
          throw error;
        }
      }, overall.signal);
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
  async #attempt(lookup: InteractionLookup, body: string, signal: AbortSignal): Promise<Interaction> {
    const { status, text, location } = await this.#post(body, signal);
    // Luminate's message can echo the request; the service account's login name is half of its credentials.
    const secrets = [this.#options.apiKey, this.#options.loginPassword, this.#options.loginName];
    const json = parseJson(text);
    if (json === undefined) throw nonJsonFailure(status, text, { secrets, ...(location ? { location } : {}) });

    const error = errorResponseSchema.safeParse(json);
    // 403 normally; 200 when the site forces suppress_response_codes.
    if (error.success) throw new LuminateApiError(error.data.errorResponse.code, error.data.errorResponse.message ?? '', { secrets });
    if (typeof json === 'object' && json !== null && 'errorResponse' in json) throw blocked(status, 'an errorResponse without a code');
    if (status !== 200) throw httpFailure(status, location);

    const parsed = getInteractionResponseSchema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.slice(0, 5).map((i) => i.path.join('.').slice(0, 100) || '(root)').join(', ');
      throw new LuminateBadResponseError(`Response is not a getInteraction response (problems at: ${where})`, status, { problem: 'wrong_shape' });
    }
    const interaction = toInteraction(parsed.data);
    if (!interaction) throw new LuminateNotVisibleError();
    if (!answers(lookup, interaction)) {
      // No ids in the message: they would tie a donor to what was asked.
      throw new LuminateBadResponseError('Luminate answered about another interaction or constituent than the one asked for', status, { problem: 'mismatch' });
    }
    return interaction;
  }

  async #post(body: string, signal: AbortSignal): Promise<{ status: number; text: string; location: string | undefined }> {
    const { timeoutMs } = this.#options;
    const request = linkedController(signal);
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
      const location = response.headers.location;
      return {
        status: response.statusCode,
        text: await readCapped(response.body, response.statusCode),
        location: Array.isArray(location) ? location[0] : location,
      };
    } catch (cause) {
      response?.body.destroy();
      if (cause instanceof LuminateError) throw cause;
      if (signal.aborted) throw new LuminateTimeoutError(timeoutMs);
      // Once the body has started, the answer is lost but not retried blindly.
      const code = errorCode(cause);
      const beforeResponse = response === undefined;
      throw new LuminateUnavailableError(`Could not reach Luminate: ${code ?? 'unknown error'}${beforeResponse ? '' : ' (mid-body)'}`, undefined, {
        cause,
        transient: beforeResponse && TRANSIENT_NETWORK_CODES.has(code ?? ''),
      });
    } finally {
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
function resiliencePolicy(
  { maxAttempts = 3, retryDelayMs = 100, breakerThreshold = 5, breakerCooldownMs = 30_000, logger }: ResilienceOptions,
  timeoutMs: number,
): IPolicy {
  // A pause of at most a tenth of the budget, so a retry keeps most of what was left.
  const maxDelay = Math.max(retryDelayMs, Math.min(1000, timeoutMs / 10));
  const retries = retry(
    handleWhen((e) => e instanceof LuminateError && e.transient && !tooLateToRetry.has(e)),
    { maxAttempts: Math.max(0, maxAttempts - 1), backoff: new ExponentialBackoff({ initialDelay: retryDelayMs, maxDelay }) },
  );
  retries.onRetry((reason) => logger?.warn('retrying a Luminate call', { error: 'error' in reason ? reason.error : undefined, delayMs: Math.round(reason.delay) }));
  // Only what says Luminate itself is unwell (timeouts, connection failures, 5xx) counts. An answer about
  // one record (malformed, empty, mismatched, 404) does not: anyone could pause lookups for everyone with it.
  const breaker = circuitBreaker(
    handleWhen((e) => e instanceof LuminateTimeoutError || e instanceof LuminateUnavailableError),
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
      // Anything but a 200 is judged by its status and the start of its body (an errorResponse comes first),
      // so a large 5xx page is still "unavailable", retried and counted by the breaker, not a bad answer.
      if (status !== 200) break;
      throw new LuminateBadResponseError(`Response body larger than ${MAX_BODY_BYTES} bytes`, status, { problem: 'too_large' });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name } = error as { code?: unknown; name?: unknown };
  return typeof code === 'string' ? code : typeof name === 'string' ? name : undefined;
}

/** The answer is about the interaction asked for (and the constituent, for a `cons:` lookup); a hidden consId is not a mismatch. */
function answers(lookup: InteractionLookup, interaction: Interaction): boolean {
  if (!/^\d{1,20}$/.test(interaction.interactionId) || Number(interaction.interactionId) !== lookup.interactionId) return false;
  const { identifier } = lookup;
  if (identifier.kind !== 'cons' || interaction.consId === null) return true;
  return interaction.consId.replace(/^0+(?=\d)/, '') === identifier.consId.replace(/^0+(?=\d)/, '');
}
