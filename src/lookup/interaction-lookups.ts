import { LRUCache } from 'lru-cache';
import type { Constituent, DonorSource, InteractionSource } from '../luminate/client.js';
import { isNotFound } from '../luminate/errors.js';
import { answersConsId, identifierValue, interactionKey, type ConstituentIdentifier, type InteractionRequest } from '../luminate/identifiers.js';
import type { Interaction } from '../luminate/schema.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../observability/logger.js';


export interface LookupResult {
  interaction: Interaction;
  /** When Luminate produced this answer (ms since the epoch). */
  fetchedAt: number;
  /** True when the answer came from the cache rather than a call made for this request. */
  cached: boolean;
  /** Set when a refresh failed and this is the answer already cached: why Luminate could not refresh it. */
  refreshFailure?: unknown;
  /** Who the donor is, when `getUser` answered in time; a card without it shows the constituent id alone. */
  donor?: Constituent;
}

export interface InteractionLookupsOptions {
  source: InteractionSource;
  /** 0 keeps no answers but still lets concurrent identical lookups share one call. */
  ttlSeconds: number;
  maxEntries: number;
  clock?: Clock;
  /** Where the donor's name comes from; without it cards carry no name. */
  donors?: Pick<DonorSource, 'getUser'>;
  /** How much longer than `getInteraction` a card waits for the name. */
  donorGraceMs?: number;
  /** Where a failed `getUser` is reported (it never fails the card). */
  logger?: Logger;
}

/**
 * The name is a nicety: a card waits this long past its interaction for it, and no longer. Both calls
 * start together, so a healthy `getUser` is in by then; a slow one fills the cache for the next card.
 */
const DONOR_GRACE_MS = 300;

/** Wrapped: lru-cache's types distribute over a union context and would accept no identifier at all. */
interface DonorContext {
  identifier: ConstituentIdentifier;
}

/** The constituent an identifier names, whatever the case of an email (as {@link interactionKey}). */
function donorKey(identifier: ConstituentIdentifier): string {
  const value = identifierValue(identifier);
  return `${identifier.kind}|${identifier.kind === 'email' ? value.toLowerCase() : value}`;
}

interface Entry {
  interaction: Interaction;
  fetchedAt: number;
}

/**
 * Cached, coalesced `getInteraction`. lru-cache's `fetch()` already shares one
 * in-flight promise between identical keys and drops a key whose fetch
 * rejected, which is exactly "concurrent lookups share a call; failures are
 * not cached".
 */
export class InteractionLookups {
  readonly #cache: LRUCache<string, Entry, InteractionRequest>;
  /** `getUser` answers beside the interactions, cached and coalesced the same way, per constituent. */
  readonly #donors: LRUCache<string, Constituent, DonorContext> | undefined;
  readonly #clock: Clock;
  readonly #donorGraceMs: number;
  readonly #logger: Logger | undefined;

  constructor({ source, ttlSeconds, maxEntries, clock = Date.now, donors, donorGraceMs = DONOR_GRACE_MS, logger }: InteractionLookupsOptions) {
    this.#clock = clock;
    this.#donorGraceMs = donorGraceMs;
    this.#logger = logger;
    this.#donors =
      donors &&
      new LRUCache<string, Constituent, DonorContext>({
        max: maxEntries,
        ttl: Math.max(1, ttlSeconds * 1000),
        perf: { now: clock },
        ttlResolution: 0,
        // Nobody waits on a name past the grace, so an evicted fetch still fills the cache for the next card.
        ignoreFetchAbort: true,
        fetchMethod: (_key, _stale, { context }) => donors.getUser(context.identifier),
      });
    this.#cache = new LRUCache<string, Entry, InteractionRequest>({
      max: maxEntries,
      // lru-cache reads ttl 0 as "never expires"; 1 ms is "keep nothing" while a fetch is still shared.
      ttl: Math.max(1, ttlSeconds * 1000),
      perf: { now: clock },
      // Read the clock on every check rather than lru-cache's default 1 ms cached reading, so an injected clock rules.
      ttlResolution: 0,
      // A burst of more distinct lookups than maxEntries evicts entries still being fetched; the person
      // waiting on one should still get their answer, so the fetch is neither aborted nor rejected.
      ignoreFetchAbort: true,
      fetchMethod: async (_key, _stale, { context }) => {
        const interaction = await source.getInteraction(context);
        return { interaction, fetchedAt: this.#clock() };
      },
    });
  }

  /** The cached answer, if there is a fresh one: lets a listener answer in its ack. */
  peek(lookup: InteractionRequest): LookupResult | undefined {
    const entry = this.#cache.get(interactionKey(lookup));
    return entry && this.#withDonor({ ...entry, cached: true }, this.#donors?.get(donorKey(lookup.identifier)));
  }

  /**
   * @param options.refresh read Luminate again even when a cached answer is fresh. If that read fails,
   *   the cached answer stays cached and is returned with `refreshFailure`, so the person keeps their card
   *   and the next lookup is still served from the cache; only "not found" drops it, since Luminate has
   *   then said the record is gone or hidden from the bot.
   * @throws {import('../luminate/errors.js').LuminateError} when Luminate fails and there is no answer to keep.
   */
  async lookup(lookup: InteractionRequest, { refresh = false }: { refresh?: boolean } = {}): Promise<LookupResult> {
    const key = interactionKey(lookup);
    // Started before the interaction is asked for, so both calls are in flight at once.
    const donor = this.#donor(lookup.identifier, refresh);
    // What the cache held before this call (also while another call is fetching it): the same object
    // coming back means the answer was not fetched for this request.
    const before = this.#cache.peek(key, { allowStale: true });
    const status: LRUCache.Status<string, Entry, InteractionRequest> = {};
    // allowStaleOnFetchRejection: lru-cache keeps the previous value when the refresh rejects (by default it
    // deletes the key) and resolves with it, putting the rejection in status.fetchError.
    const entry = await this.#cache.fetch(key, { context: lookup, forceRefresh: refresh, status, allowStaleOnFetchRejection: refresh });
    if (status.fetchRejected) {
      const notFound = isNotFound(status.fetchError);
      if (!entry || notFound) {
        if (entry) this.#cache.delete(key);
        throw status.fetchError;
      }
      return this.#withDonor({ ...entry, cached: true, refreshFailure: status.fetchError }, await this.#withinGrace(donor));
    }
    if (!entry) throw new Error('lru-cache fetch resolved without a value'); // only with abort options we do not set
    return this.#withDonor({ ...entry, cached: entry === before }, await this.#withinGrace(donor));
  }

  /**
   * The donor a list is of, from the same cache cards use (one `getUser` serves both): what Luminate
   * says within the grace, else undefined. Never rejects. Start it beside the page's own call.
   */
  donor(identifier: ConstituentIdentifier, { refresh = false }: { refresh?: boolean } = {}): Promise<Constituent | undefined> {
    return this.#withinGrace(this.#donor(identifier, refresh));
  }

  /** The donor already cached, without waiting: lets a listener put the name in its ack. */
  peekDonor(identifier: ConstituentIdentifier): Constituent | undefined {
    return this.#donors?.get(donorKey(identifier));
  }

  /** The donor's name when Luminate has given it; never rejects: a card is shown without a name rather than not at all. */
  #donor(identifier: ConstituentIdentifier, refresh: boolean): Promise<Constituent | undefined> {
    const donors = this.#donors;
    if (!donors) return Promise.resolve(undefined);
    const status: LRUCache.Status<string, Constituent, DonorContext> = {};
    // A failed Refresh of the name keeps the name already cached, as for the interaction.
    const fetched = donors.fetch(donorKey(identifier), { context: { identifier }, forceRefresh: refresh, allowStaleOnFetchRejection: refresh, status });
    return fetched.then(
      (constituent) => {
        if (status.fetchRejected) this.#donorFailed(identifier, status.fetchError);
        return constituent;
      },
      (error: unknown) => {
        this.#donorFailed(identifier, error);
        return undefined;
      },
    );
  }

  #donorFailed(identifier: ConstituentIdentifier, error: unknown): void {
    // The kind only: the identifier and anything Luminate said of the donor stay out of the log.
    this.#logger?.warn('could not read the donor name; the card shows the constituent id', { identifierKind: identifier.kind, error });
  }

  /** What the name lookup has by the end of the grace; it goes on filling the cache after that. */
  async #withinGrace(donor: Promise<Constituent | undefined>): Promise<Constituent | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.#donorGraceMs);
    });
    try {
      return await Promise.race([donor, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A name only when it is about the interaction's own constituent (a hidden id on either side is no mismatch). */
  #withDonor(result: LookupResult, donor: Constituent | undefined): LookupResult {
    if (!donor || (donor.consId !== null && !answersConsId({ kind: 'cons', consId: donor.consId }, result.interaction.consId))) return result;
    return { ...result, donor };
  }

  get size(): number {
    return this.#cache.size;
  }
}
