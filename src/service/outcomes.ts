import type { AccessDecision } from '../access/access-policy.js';
import type { Surface } from '../observability/audit.js';
import type { Constituent } from '../luminate/client.js';
import type { ConstituentIdentifier, InteractionRequest } from '../luminate/identifiers.js';
import type { Interaction } from '../luminate/schema.js';
import type { ListPage } from './list-cache.js';
import type { InteractionListRequest } from './requests.js';

/** Who asked, from where, through which surface. */
export interface Requester {
  userId: string;
  teamId: string | null;
  channelId: string | null;
  surface: Surface;
}

/** Why access was refused: who asked, where, or that it could not be confirmed. */
export type DenialReason = Extract<AccessDecision, { allowed: false }>['reason'];

/** Why nothing about the donor was read: access, or LOOKUP_RATE_PER_MINUTE. Neither reaches Luminate. */
export type Refusal = { kind: 'denied'; reason: DenialReason } | { kind: 'rate_limited'; perMinute: number; retryAfterMs: number };

/** What a card shows: the interaction, how fresh it is, and who the donor is when Luminate said in time. */
export interface CardData {
  interaction: Interaction;
  /** When Luminate produced this answer (ms since the epoch). */
  fetchedAt: number;
  /** True when the answer came from the cache rather than a call made for this request. */
  cached: boolean;
  /** Who the donor is, when `getUser` answered in time; a card without it shows the constituent id alone. */
  donor?: Constituent;
}

/** Why a Refresh left the card (or list) as it was: Luminate failed, or the person is over LOOKUP_RATE_PER_MINUTE. */
export type RefreshFailure = { kind: 'error'; error: unknown } | Extract<Refusal, { kind: 'rate_limited' }>;

/**
 * How asking for one interaction ended. `card` with `refreshFailure`: a Refresh could not be done and the
 * cached card stays (also over the rate limit, when one is cached).
 */
export type CardOutcome =
  | { kind: 'card'; request: InteractionRequest; card: CardData; refreshFailure?: RefreshFailure }
  | { kind: 'failed'; request: InteractionRequest; error: unknown }
  | { kind: 'refused'; refusal: Refusal };

/** How asking for a page of a donor's list ended. */
export type ListOutcome =
  | { kind: 'page'; list: InteractionListRequest; page: ListPage; donor?: Constituent; refreshFailure?: RefreshFailure }
  | { kind: 'failed'; identifier: ConstituentIdentifier; error: unknown }
  | { kind: 'refused'; refusal: Refusal };
