import { ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, retry, wrap, type CircuitBreakerPolicy, type IPolicy } from 'cockatiel';
import type { Logger } from '../observability/logger.js';
import { LuminateError, LuminateTimeoutError, LuminateUnavailableError } from './errors.js';

/** How the client rides out Luminate's bad moments; defaults suit production, tests shorten them. */
export interface ResilienceOptions {
  /** Attempts per call, the first included, for transient failures of reads only. */
  maxAttempts?: number;
  /** First retry delay; later ones grow, with jitter, up to 1 s. */
  retryDelayMs?: number;
  /** Consecutive failed calls that open the circuit. */
  breakerThreshold?: number;
  /** Cool-down before one probe is let through. */
  breakerCooldownMs?: number;
  logger?: Logger;
}

/** Transient failures that came too late in the budget to be retried. */
export const tooLateToRetry = new WeakSet<LuminateError>();

/**
 * Reads: retries inside a circuit breaker: the breaker counts whole calls, so one
 * call's retries are one failure, and a Luminate that keeps failing is left
 * alone for the cool-down instead of being hammered. Writes: the same breaker
 * (a write is never sent to a Luminate it has given up on, and a write's
 * timeout counts), never a retry.
 */
export function resiliencePolicy(
  { maxAttempts = 3, retryDelayMs = 100, breakerThreshold = 5, breakerCooldownMs = 30_000, logger }: ResilienceOptions,
  timeoutMs: number,
): { reads: IPolicy; writes: CircuitBreakerPolicy } {
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
  return { reads: wrap(breaker, retries), writes: breaker };
}
