import type { Clock } from '../clock.js';
import type { DonorSource, InteractionSummary } from '../luminate/client.js';
import { isNotFound } from '../luminate/errors.js';
import { identifierKey, type ConstituentIdentifier } from '../luminate/identifiers.js';
import { FetchCache, type SharedLevel } from './fetch-cache.js';
import type { Generations } from '../store/second-level.js';
import type { InteractionListRequest } from './requests.js';

/** Rows on one page of a list: ten keeps a page well inside Block Kit's 50 blocks. */
export const LIST_PAGE_SIZE = 10;

export interface ListPage {
  /** Newest first, at most LIST_PAGE_SIZE. */
  rows: InteractionSummary[];
  /** Luminate gave one more row than the page holds: there is an Older page. */
  hasOlder: boolean;
  fetchedAt: number;
  /** Served from the cache rather than a call made for this request. */
  cached: boolean;
  /** Set when a Refresh failed and this is the page already cached: why Luminate could not refresh it. */
  refreshFailure?: unknown;
}

export interface ListCacheOptions {
  source: Pick<DonorSource, 'getUserInteractions'>;
  ttlSeconds: number;
  maxEntries: number;
  clock?: Clock;
  /** The level shared with other replicas, when there is one. */
  shared?: Omit<SharedLevel, 'namespace'>;
}

type Entry = Omit<ListPage, 'cached' | 'refreshFailure'>;

/** The same key whatever way the page was asked for (an email in any case, as for cards). */
export function listKey({ identifier, filters, page }: InteractionListRequest): string {
  return [identifierKey(identifier), filters.since ?? '', filters.until ?? '', filters.typeId ?? '', page].join('|');
}

/** A donor's pages are one group: a log raises its generation. */
const GROUP = 'list';

const generationKey = (request: InteractionListRequest, generation: number) => `${listKey(request)}|${generation}`;

/**
 * Cached, coalesced pages of `getUserInteractions`, like cards. No total count is documented, so each
 * page asks for one row more than it shows to learn whether an older page exists.
 */
export class ListCache {
  readonly #cache: FetchCache<Entry, InteractionListRequest>;
  /** With a shared level: first- and second-level keys are keyed hashes, so a donor's pages are retired by generation. */
  readonly #generations: Generations | undefined;

  constructor({ source, ttlSeconds, maxEntries, clock = Date.now, shared }: ListCacheOptions) {
    this.#generations = shared?.store.generations;
    this.#cache = new FetchCache({
      ttlSeconds,
      maxEntries,
      clock,
      fetch: async ({ identifier, filters, page }) => {
        const rows = await source.getUserInteractions({
          identifier,
          pageSize: LIST_PAGE_SIZE + 1,
          offset: page * LIST_PAGE_SIZE,
          newestFirst: true,
          // Days are whole: since from its first second, until to its last.
          ...(filters.since ? { since: `${filters.since}T00:00:00` } : {}),
          ...(filters.until ? { until: `${filters.until}T23:59:59` } : {}),
          ...(filters.typeId !== undefined ? { typeId: filters.typeId } : {}),
        });
        return { rows: rows.slice(0, LIST_PAGE_SIZE), hasOlder: rows.length > LIST_PAGE_SIZE, fetchedAt: clock() };
      },
      // A Refresh that fails keeps the cached page and says why, as a card's does; "not found" drops it.
      keepOnRefreshFailure: (error) => !isNotFound(error),
      ...(shared ? { shared: { ...shared, namespace: 'list' } } : {}),
    });
  }

  /** A fresh cached page, without waiting: lets a listener answer in its ack. */
  peek(request: InteractionListRequest): ListPage | undefined {
    const generation = this.#generations ? this.#generations.known(GROUP, identifierKey(request.identifier)) : 0;
    const entry = generation === undefined ? undefined : this.#cache.peek(generationKey(request, generation));
    return entry && { ...entry, cached: true };
  }

  /**
   * Forgets every cached page of these donors, whatever their filters: after a write their next
   * list must come from Luminate. Each way the donor is known (email, `cons:`) is its own key.
   * Without a shared level the pages are dropped here; with one, the donors' generations are raised on
   * every replica (resolves once the shared store has it, or at once while it is away). Never rejects.
   */
  async dropDonor(identifiers: readonly ConstituentIdentifier[]): Promise<void> {
    const generations = this.#generations;
    if (!generations) {
      for (const identifier of identifiers) this.#cache.dropPrefix(`${identifierKey(identifier)}|`);
      return;
    }
    await Promise.all(identifiers.map((identifier) => generations.raise(GROUP, identifierKey(identifier))));
  }

  /**
   * @param options.refresh read Luminate again even when a cached page is fresh; if that fails, the
   *   cached page is returned with `refreshFailure`.
   * @throws {import('../luminate/errors.js').LuminateError} when Luminate fails.
   */
  async page(request: InteractionListRequest, { refresh = false }: { refresh?: boolean } = {}): Promise<ListPage> {
    const generation = this.#generations ? await this.#generations.read(GROUP, identifierKey(request.identifier)) : 0;
    const { value, cached, refreshFailure } = await this.#cache.fetch(generationKey(request, generation), request, refresh);
    return { ...value, cached, ...(refreshFailure === undefined ? {} : { refreshFailure }) };
  }
}
