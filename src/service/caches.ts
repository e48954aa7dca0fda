import type { Clock } from '../clock.js';
import type { DonorSource, InteractionSource } from '../luminate/client.js';
import type { Logger } from '../observability/logger.js';
import { DonorCache } from './donor-cache.js';
import { InteractionCache } from './interaction-cache.js';
import { ListCache } from './list-cache.js';

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
}

/** The caches over one Luminate source (the client, or a test's own with only the methods it needs). */
export function createCaches(source: InteractionSource & Partial<DonorSource>, options: CachesOptions): Caches {
  const { getUser, getUserInteractions } = source;
  const noLists = { getUserInteractions: () => Promise.reject(new Error('no list source was given')) };
  return {
    interactions: new InteractionCache({ source, ...options }),
    ...(getUser ? { donors: new DonorCache({ source: source as Pick<DonorSource, 'getUser'>, ...options }) } : {}),
    lists: new ListCache({ source: getUserInteractions ? (source as Pick<DonorSource, 'getUserInteractions'>) : noLists, ...options }),
  };
}
