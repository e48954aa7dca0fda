import { BrokenCircuitError, IsolatedCircuitError, type CircuitBreakerPolicy, type IPolicy } from 'cockatiel';
import { Pool } from 'undici';
import type { z } from 'zod';
import { LuminateCircuitOpenError, LuminateError, LuminateTimeoutError, LuminateUnavailableError } from './errors.js';
import { exchange, formBody, linkedController, type ReadMethod, type Route, type WriteMethod } from './exchange.js';
import { resiliencePolicy, tooLateToRetry, type ResilienceOptions } from './resilience.js';
import { failureAfterSending, trackSending, type SendTracker } from './write-path.js';

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
  /** Budget for one write; default {@link DEFAULT_WRITE_TIMEOUT_MS}. */
  writeTimeoutMs?: number;
}

/**
 * A write is never retried, and giving up on it leaves an outcome nobody knows (the person must
 * go and check the donor's list), so it gets more time than a read: a slow but working Luminate
 * should finish the job. It runs after the form was acknowledged, while the person watches
 * "Logging…"; past about 20 s people assume it is stuck.
 */
const DEFAULT_WRITE_TIMEOUT_MS = 20_000;

export interface CallOptions {
  signal?: AbortSignal;
}

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
  /** Writes have connections of their own: never queued behind lookups, never sent on a connection the server may be closing. */
  readonly #writePool: Pool;
  readonly #path: string;
  readonly #options: LuminateClientOptions;
  readonly #policy: IPolicy;
  readonly #breaker: CircuitBreakerPolicy;
  readonly #writeTimeoutMs: number;

  constructor(options: LuminateClientOptions, resilience: ResilienceOptions = {}) {
    let base = options.url;
    while (base.endsWith('/')) base = base.slice(0, -1);
    const url = new URL(`${base}/SRConsAPI`);
    this.#path = url.pathname;
    this.#options = options;
    const policies = resiliencePolicy(resilience, options.timeoutMs);
    this.#policy = policies.reads;
    this.#breaker = policies.writes;
    this.#writeTimeoutMs = options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
    // pipelining 1: each connection carries one request at a time, so
    // `connections` is exactly the most requests Luminate sees at once.
    this.#pool = new Pool(url.origin, {
      connections: options.maxConnections,
      pipelining: 1,
      // An idle connection lives as long as Luminate's Keep-Alive hint says, less undici's 2 s margin, so no
      // request goes out on a socket the server is closing; this is for a server that gives no hint. Reads
      // that meet a connection closed under them are retried (ECONNRESET is transient).
      keepAliveTimeout: 30_000,
      connect: { timeout: Math.min(options.timeoutMs, 10_000) },
    });
    this.#writePool = new Pool(url.origin, { connections: options.maxConnections, pipelining: 1, connect: { timeout: Math.min(this.#writeTimeoutMs, 10_000) } });
  }

  /** Calls a method that only reads, so a transient failure may be retried within the budget. */
  async read<S extends z.ZodType, T>(call: ReadMethod<S, T>, { signal }: CallOptions = {}): Promise<T> {
    const body = formBody(call, this.#options);
    const route: Route = { path: this.#path, dispatcher: this.#pool, timeoutMs: this.#options.timeoutMs };
    const started = Date.now();
    // A controller and timers cleared on completion, not AbortSignal.timeout/any: on Node 20 those stay
    // reachable until the timer fires, which under load kept every finished call's signals for 10 s.
    const overall = linkedController(signal);
    const budgetTimer = setTimeout(() => overall.abort(), this.#options.timeoutMs);
    try {
      // Every attempt may run to the end of the budget: a slow but working Luminate answers.
      return await this.#policy.execute(async (context) => {
        try {
          return await exchange(call, body, context.signal, route, this.#options);
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

  /**
   * Calls a method that changes a record, once: never retried, because a request that may have
   * reached Luminate may have been recorded. A failure before any byte was sent (the breaker open,
   * no connection, a name that does not resolve, the budget spent waiting for a connection) and
   * Luminate's own refusals mean nothing was recorded; a failure after sending that leaves the
   * outcome unknown is a {@link LuminateWriteUncertainError} (see {@link failureAfterSending}).
   */
  async write<S extends z.ZodType, T>(call: WriteMethod<S, T>, { signal }: CallOptions = {}): Promise<T> {
    const tracker: SendTracker = { sent: false };
    const overall = linkedController(signal);
    const route: Route = { path: this.#path, dispatcher: this.#writePool.compose(trackSending(tracker, overall.signal)), timeoutMs: this.#writeTimeoutMs, fresh: true };
    const budgetTimer = setTimeout(() => overall.abort(), route.timeoutMs);
    // undici drops a request given up while queued only once a connection frees up; the caller need not wait for that.
    const givenUpUnsent = new Promise<never>((_, reject) =>
      overall.signal.addEventListener('abort', () => tracker.sent || reject(new LuminateTimeoutError(route.timeoutMs)), { once: true }),
    );
    givenUpUnsent.catch(() => undefined); // settled through the race below; never an unhandled rejection
    try {
      return await this.#breaker.execute(() => Promise.race([exchange(call, formBody(call, this.#options), overall.signal, route, this.#options), givenUpUnsent]), overall.signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) throw new LuminateCircuitOpenError();
      if (tracker.sent) throw failureAfterSending(error);
      if (error instanceof LuminateError) throw error;
      if (overall.signal.aborted) throw new LuminateTimeoutError(route.timeoutMs);
      throw new LuminateUnavailableError('Luminate call failed', undefined, { cause: error });
    } finally {
      clearTimeout(budgetTimer);
      overall.unlink();
    }
  }

  /** Closes idle connections and waits for requests in flight; with `force`, aborts them instead. */
  async close({ force = false }: { force?: boolean } = {}): Promise<void> {
    await Promise.all([this.#pool, this.#writePool].map((pool) => (force ? pool.destroy() : pool.close())));
  }

}
