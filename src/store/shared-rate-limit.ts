import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateDecision } from '../access/rate-limit.js';
import type { KeyNamer } from './keys.js';
import type { RedisConnection } from './redis-connection.js';

const MINUTE_S = 60;

/**
 * `LOOKUP_RATE_PER_MINUTE` over all replicas: the in-memory limiter's interface (`perMinute`,
 * `peek`, `take`), asynchronous since the count lives in Redis. rate-limiter-flexible's
 * RateLimiterRedis counts atomically in one script; when Redis is down, slow or failing, its
 * insurance RateLimiterMemory counts instead, per replica (the limit then multiplies by the
 * replicas that are up, as before Redis, rather than refuse everyone).
 *
 * Unlike the in-memory token bucket this is a fixed one-minute window from a person's first lookup:
 * the same allowance per minute and the same worst case (twice the allowance within just over a
 * minute, across a window's end), but someone who used it all waits for the window to end rather
 * than a couple of seconds for the next token.
 *
 * Keys are the person's Slack id through the key hash, with a TTL of the window.
 */
export class SharedLookupRateLimit {
  readonly #perMinute: number;
  readonly #connection: RedisConnection;
  readonly #keys: KeyNamer;
  readonly #redis: RateLimiterRedis;
  readonly #memory: InsuranceLimiter;

  constructor({ perMinute, connection, keys }: { perMinute: number; connection: RedisConnection; keys: KeyNamer }) {
    this.#perMinute = perMinute;
    this.#connection = connection;
    this.#keys = keys;
    this.#memory = new InsuranceLimiter({ points: perMinute, duration: MINUTE_S }, () => connection.noteFailure(new Error('rate limit: Redis command timed out or failed')));
    this.#redis = new RateLimiterRedis({
      storeClient: connection.client,
      keyPrefix: `${keys.prefix}rate`,
      points: perMinute,
      duration: MINUTE_S,
      // Not connected: straight to the insurance limiter, never a queued command.
      rejectIfRedisNotReady: true,
      insuranceLimiter: this.#memory,
    });
  }

  get perMinute(): number {
    return this.#perMinute;
  }

  /** Whether `take` would allow a lookup now, without counting one. */
  async peek(userId: string): Promise<RateDecision> {
    const key = this.#key(userId);
    const limiter = this.#connection.status() === 'up' ? this.#redis : this.#memory;
    let res: RateLimiterRes | null;
    try {
      res = await limiter.get(key);
    } catch {
      return { allowed: true };
    }
    return res && res.consumedPoints >= this.#perMinute ? { allowed: false, retryAfterMs: Math.max(1, res.msBeforeNext) } : { allowed: true };
  }

  /** Counts one lookup for `userId` if the limit allows it. */
  async take(userId: string): Promise<RateDecision> {
    const key = this.#key(userId);
    try {
      // Known down (or slow): skip even the attempt, which would only add its timeout, and count here
      // without noting a failure again (the connection already knows; a note would start another probe).
      await (this.#connection.status() === 'up' ? this.#redis.consume(key, 1) : this.#memory.consumeHere(key, 1));
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
      // Both stores failed (only the memory one could, and it does not): never refuse a person over our own fault.
      return { allowed: true };
    }
  }

  #key(userId: string): string {
    return this.#keys.hash('rate', userId);
  }
}

/**
 * The per-replica count, which also tells the connection when rate-limiter-flexible fell back to it:
 * that library swallows Redis's errors, and a slow Redis should be skipped (and logged once) here too.
 */
class InsuranceLimiter extends RateLimiterMemory {
  readonly #onUse: () => void;

  constructor(options: ConstructorParameters<typeof RateLimiterMemory>[0], onUse: () => void) {
    super(options);
    this.#onUse = onUse;
  }

  /** Only rate-limiter-flexible calls this, when Redis failed it: a failure to note. */
  override consume(...args: Parameters<RateLimiterMemory['consume']>): Promise<RateLimiterRes> {
    this.#onUse();
    return super.consume(...args);
  }

  /** A take counted here because Redis is already known down: nothing new to report. */
  consumeHere(...args: Parameters<RateLimiterMemory['consume']>): Promise<RateLimiterRes> {
    return super.consume(...args);
  }
}
