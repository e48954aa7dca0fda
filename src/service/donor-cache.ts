import type { Clock } from '../clock.js';
import type { Constituent, DonorSource } from '../luminate/client.js';
import { identifierKey, type ConstituentIdentifier } from '../luminate/identifiers.js';
import type { Logger } from '../observability/logger.js';
import { within } from '../within.js';
import { FetchCache, type SharedLevel } from './fetch-cache.js';

export interface DonorCacheOptions {
  source: Pick<DonorSource, 'getUser'>;
  ttlSeconds: number;
  maxEntries: number;
  clock?: Clock;
  /** How long past its own answer a card or list waits for the name. */
  graceMs?: number;
  /** Where a failed `getUser` is reported (it never fails the card or the list). */
  logger?: Logger;
  /** The level shared with other replicas, when there is one. */
  shared?: Omit<SharedLevel, 'namespace'>;
}

/**
 * The name is a nicety: a card waits this long past its interaction for it, and no longer. Both calls
 * start together, so a healthy `getUser` is in by then; a slow one fills the cache for the next card.
 */
const GRACE_MS = 300;

/** Cached, coalesced `getUser`, per constituent: one call serves the cards and the lists of a donor. */
export class DonorCache {
  readonly #cache: FetchCache<Constituent, ConstituentIdentifier>;
  readonly #graceMs: number;
  readonly #logger: Logger | undefined;

  constructor({ source, ttlSeconds, maxEntries, clock = Date.now, graceMs = GRACE_MS, logger, shared }: DonorCacheOptions) {
    this.#graceMs = graceMs;
    this.#logger = logger;
    // Nobody waits on a name past the grace, so a fetch evicted meanwhile still fills the cache for the next card;
    // a failed Refresh of the name keeps the name already cached, as for the interaction.
    this.#cache = new FetchCache({
      ttlSeconds,
      maxEntries,
      clock,
      fetch: (identifier) => source.getUser(identifier),
      ...(shared ? { shared: { ...shared, namespace: 'donor' } } : {}),
    });
  }

  /** The donor already cached, without waiting: lets a listener put the name in its ack. */
  peek(identifier: ConstituentIdentifier): Constituent | undefined {
    return this.#cache.peek(identifierKey(identifier));
  }

  /**
   * Starts reading the donor; never rejects: a card or list is shown without a name rather than not at all.
   * Start it before the call it goes beside, so both are in flight at once.
   */
  async read(identifier: ConstituentIdentifier, { refresh = false }: { refresh?: boolean } = {}): Promise<Constituent | undefined> {
    try {
      const { value, refreshFailure } = await this.#cache.fetch(identifierKey(identifier), identifier, refresh);
      if (refreshFailure !== undefined) this.#failed(identifier, refreshFailure);
      return value;
    } catch (error) {
      this.#failed(identifier, error);
      return undefined;
    }
  }

  /** What a `read` has by the end of the grace, counted from now; it goes on filling the cache after that. */
  inGrace(read: Promise<Constituent | undefined>): Promise<Constituent | undefined> {
    return within(read, this.#graceMs);
  }

  #failed(identifier: ConstituentIdentifier, error: unknown): void {
    // The kind only: the identifier and anything Luminate said of the donor stay out of the log.
    this.#logger?.warn('could not read the donor name; the card shows the constituent id', { identifierKind: identifier.kind, error });
  }
}
