import type { Clock } from '../clock.js';
import type { InteractionSource } from '../luminate/client.js';
import { isNotFound } from '../luminate/errors.js';
import { interactionKey, type InteractionRequest } from '../luminate/identifiers.js';
import type { Interaction } from '../luminate/schema.js';
import { FetchCache, type SharedLevel } from './fetch-cache.js';

export interface CachedInteraction {
  interaction: Interaction;
  /** When Luminate produced this answer (ms since the epoch). */
  fetchedAt: number;
  /** True when the answer came from the cache rather than a call made for this request. */
  cached: boolean;
  /** Set when a Refresh failed and this is the answer already cached: why Luminate could not refresh it. */
  refreshFailure?: unknown;
}

export interface InteractionCacheOptions {
  source: InteractionSource;
  /** 0 keeps no answers but still lets concurrent identical requests share one call. */
  ttlSeconds: number;
  maxEntries: number;
  clock?: Clock;
  /** The level shared with other replicas, when there is one. */
  shared?: Omit<SharedLevel, 'namespace'>;
}

type Entry = Omit<CachedInteraction, 'cached' | 'refreshFailure'>;

/** Cached, coalesced `getInteraction`. */
export class InteractionCache {
  readonly #cache: FetchCache<Entry, InteractionRequest>;

  constructor({ source, ttlSeconds, maxEntries, clock = Date.now, shared }: InteractionCacheOptions) {
    this.#cache = new FetchCache({
      ttlSeconds,
      maxEntries,
      clock,
      fetch: async (request) => ({ interaction: await source.getInteraction(request), fetchedAt: clock() }),
      // A failed Refresh keeps the answer, so the person keeps their card and the next request is still served
      // from the cache; only "not found" drops it, since Luminate has then said the record is gone or hidden from the bot.
      keepOnRefreshFailure: (error) => !isNotFound(error),
      ...(shared ? { shared: { ...shared, namespace: 'interaction' } } : {}),
    });
  }

  /** The cached answer, if there is a fresh one: lets a listener answer in its ack. */
  peek(request: InteractionRequest): CachedInteraction | undefined {
    const entry = this.#cache.peek(interactionKey(request));
    return entry && { ...entry, cached: true };
  }

  /**
   * @param options.refresh read Luminate again even when a cached answer is fresh; if that fails, the cached
   *   answer is returned with `refreshFailure`.
   * @throws {import('../luminate/errors.js').LuminateError} when Luminate fails and there is no answer to keep.
   */
  async get(request: InteractionRequest, { refresh = false }: { refresh?: boolean } = {}): Promise<CachedInteraction> {
    const { value, cached, refreshFailure } = await this.#cache.fetch(interactionKey(request), request, refresh);
    return { ...value, cached, ...(refreshFailure === undefined ? {} : { refreshFailure }) };
  }
}
