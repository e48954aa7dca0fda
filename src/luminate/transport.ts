import { BrokenCircuitError, IsolatedCircuitError, type IPolicy } from 'cockatiel';
import { Pool, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { blocked, httpFailure, nonJsonFailure, parseJson } from './body.js';
import { LuminateApiError, LuminateBadResponseError, LuminateCircuitOpenError, LuminateError, LuminateTimeoutError, LuminateUnavailableError } from './errors.js';
import { resiliencePolicy, tooLateToRetry, type ResilienceOptions } from './resilience.js';
import { errorResponseSchema } from './schema.js';

export type { ResilienceOptions } from './resilience.js';

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

export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * One API method as the transport runs it: its name, its own parameters, the zod schema of
 * its success answer and what a valid answer means (which may still be a failure: an empty
 * answer, a mismatch).
 */
export interface ReadMethod<S extends z.ZodType, T> {
  method: string;
  params: Readonly<Record<string, string>>;
  schema: S;
  result: (answer: z.output<S>, status: number) => T;
}

/** Largest body read before the answer is judged not to be a response of the method called. */
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Share of the budget that must be left for a retry: a transient failure that came back fast
 * (a reset, a 502/503/504) is retried; one that came late is not, because a retry with less
 * time than a normal answer takes would only add load and fail anyway.
 */
const RETRY_NEEDS_SHARE = 0.5;
/**
 * The one way the bot talks to Luminate's server Constituent API (`SRConsAPI`): a form POST
 * with the credentials in the body (a query string ends up in proxy and server logs), `v=1.0`
 * and `response_format=json`, within one budget per call, retried when a read failed
 * transiently, behind a circuit breaker shared by every method. Every failure leaves as a
 * {@link LuminateError}.
 */
export class LuminateTransport {
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

  /** Calls a method that only reads, so a transient failure may be retried within the budget. */
  async read<S extends z.ZodType, T>(call: ReadMethod<S, T>, { signal }: CallOptions = {}): Promise<T> {
    const params = new URLSearchParams({
      method: call.method,
      v: '1.0',
      response_format: 'json',
      api_key: this.#options.apiKey,
      login_name: this.#options.loginName,
      login_password: this.#options.loginPassword,
      ...call.params,
    });
    const body = params.toString();
    const started = Date.now();
    // A controller and timers cleared on completion, not AbortSignal.timeout/any: on Node 20 those stay
    // reachable until the timer fires, which under load kept every finished call's signals for 10 s.
    const overall = linkedController(signal);
    const budgetTimer = setTimeout(() => overall.abort(), this.#options.timeoutMs);
    try {
      // Every attempt may run to the end of the budget: a slow but working Luminate answers.
      return await this.#policy.execute(async (context) => {
        try {
          return await this.#attempt(call, body, context.signal);
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
  async #attempt<S extends z.ZodType, T>(call: ReadMethod<S, T>, body: string, signal: AbortSignal): Promise<T> {
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

    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.slice(0, 5).map((i) => i.path.join('.').slice(0, 100) || '(root)').join(', ');
      throw new LuminateBadResponseError(`Response is not a ${call.method} response (problems at: ${where})`, status, { problem: 'wrong_shape' });
    }
    return call.result(parsed.data, status);
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
