import { LRUCache } from 'lru-cache';
import type { DonorSource, InteractionSummary } from '../luminate/client.js';
import { isNotFound } from '../luminate/errors.js';
import { identifierValue } from '../luminate/identifiers.js';
import type { Clock } from '../clock.js';
import type { InteractionListRequest } from './parse.js';

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

export interface InteractionListsOptions {
  source: Pick<DonorSource, 'getUserInteractions'>;
  ttlSeconds: number;
  maxEntries: number;
  clock?: Clock;
}

type Entry = Omit<ListPage, 'cached' | 'refreshFailure'>;

/**
 * The same key whatever way the page was asked for: an email's case is folded here only, as for
 * cards (it is sent to Luminate as typed).
 */
export function listKey({ identifier, filters, page }: InteractionListRequest): string {
  const value = identifierValue(identifier);
  return [identifier.kind, identifier.kind === 'email' ? value.toLowerCase() : value, filters.since ?? '', filters.until ?? '', filters.typeId ?? '', page].join('|');
}

/**
 * Cached, coalesced pages of `getUserInteractions`, like cards (lru-cache's `fetch()` shares one
 * in-flight call per key and caches no failure). No total count is documented, so each page asks
 * for one row more than it shows to learn whether an older page exists.
 */
export class InteractionLists {
  readonly #cache: LRUCache<string, Entry, InteractionListRequest>;
  readonly #clock: Clock;

  constructor({ source, ttlSeconds, maxEntries, clock = Date.now }: InteractionListsOptions) {
    this.#clock = clock;
    this.#cache = new LRUCache<string, Entry, InteractionListRequest>({
      max: maxEntries,
      ttl: Math.max(1, ttlSeconds * 1000),
      perf: { now: clock },
      ttlResolution: 0,
      ignoreFetchAbort: true,
      fetchMethod: async (_key, _stale, { context }) => {
        const { identifier, filters, page } = context;
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
        return { rows: rows.slice(0, LIST_PAGE_SIZE), hasOlder: rows.length > LIST_PAGE_SIZE, fetchedAt: this.#clock() };
      },
    });
  }

  /** A fresh cached page, without waiting: lets a listener answer in its ack. */
  peek(request: InteractionListRequest): ListPage | undefined {
    const entry = this.#cache.get(listKey(request));
    return entry && { ...entry, cached: true };
  }

  /**
   * @param options.refresh read Luminate again even when a cached page is fresh; if that fails, the
   *   cached page is returned with `refreshFailure` (only "not found" drops it).
   * @throws {import('../luminate/errors.js').LuminateError} when Luminate fails.
   */
  async page(request: InteractionListRequest, { refresh = false }: { refresh?: boolean } = {}): Promise<ListPage> {
    const key = listKey(request);
    const before = this.#cache.peek(key, { allowStale: true });
    const status: LRUCache.Status<string, Entry, InteractionListRequest> = {};
    // A Refresh that fails keeps the cached page (lru-cache would otherwise drop it) and says why, as a card's does.
    const entry = await this.#cache.fetch(key, { context: request, forceRefresh: refresh, status, allowStaleOnFetchRejection: refresh });
    if (status.fetchRejected) {
      if (!entry || isNotFound(status.fetchError)) {
        if (entry) this.#cache.delete(key);
        throw status.fetchError;
      }
      return { ...entry, cached: true, refreshFailure: status.fetchError };
    }
    if (!entry) throw new Error('lru-cache fetch resolved without a value');
    return { ...entry, cached: entry === before };
  }
}
