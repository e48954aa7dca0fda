import type { Clock } from '../clock.js';
import type { DonorSource, InteractionSource } from '../luminate/client.js';
import type { Logger } from '../observability/logger.js';
import { DonorCache } from './donor-cache.js';
import { InteractionCache } from './interaction-cache.js';
import { ListCache } from './list-cache.js';
import type { SecondLevel } from '../store/second-level.js';

/** Every Luminate read the service makes, each cached and coalesced on its own. */
export interface Caches {
  interactions: InteractionCache;
  /** Absent when the source cannot read donors: cards and lists then carry no name. */
  donors?: DonorCache;
  lists: ListCache;
}

export interface CachesOptions {
  ttlSeconds: number;
  maxEntries: number;
  clock?: Clock;
  /** Where a failed `getUser` is reported. */
  logger?: Logger;
  /**
   * A store shared with other replicas (Redis), behind each cache's in-process level; `budgetMs` is how long
   * a lookup waits for another replica's fetch of the same answer before making its own call.
   */
  shared?: { store: SecondLevel; budgetMs: number };
}

/** The caches over one Luminate source (the client, or a test's own with only the methods it needs). */
export function createCaches(source: InteractionSource & Partial<DonorSource>, { shared, ...rest }: CachesOptions): Caches {
  const { getUser, getUserInteractions } = source;
  // With CACHE_TTL_SECONDS=0 nothing is kept, so nothing is shared either; in-process coalescing still applies.
  const options = { ...rest, ...(shared && rest.ttlSeconds > 0 ? { shared } : {}) };
  const noLists = { getUserInteractions: () => Promise.reject(new Error('no list source was given')) };
  return {
    interactions: new InteractionCache({ source, ...options }),
    ...(getUser ? { donors: new DonorCache({ source: source as Pick<DonorSource, 'getUser'>, ...options }) } : {}),
    lists: new ListCache({ source: getUserInteractions ? (source as Pick<DonorSource, 'getUserInteractions'>) : noLists, ...options }),
  };
}
