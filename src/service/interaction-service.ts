import type { AccessPolicy } from '../access/access-policy.js';
import type { RateLimit } from '../access/rate-limit.js';
import type { Clock } from '../clock.js';
import type { Constituent } from '../luminate/client.js';
import { isNotFound, LuminateError } from '../luminate/errors.js';
import { answersConsId, type InteractionRequest } from '../luminate/identifiers.js';
import type { AuditLog, AuditOutcome } from '../observability/audit.js';
import type { Logger } from '../observability/logger.js';
import { within } from '../within.js';
import type { DonorCache } from './donor-cache.js';
import type { CachedInteraction, InteractionCache } from './interaction-cache.js';
import type { ListCache } from './list-cache.js';
import type { CardData, CardOutcome, ListOutcome, Refusal, Requester } from './outcomes.js';
import type { InteractionListRequest } from './requests.js';

export interface InteractionServiceOptions {
  interactions: InteractionCache;
  /** Where the donor's name comes from; without it cards and lists carry none. */
  donors?: DonorCache;
  lists: ListCache;
  access: AccessPolicy;
  /** One limit for cards and lists: a page of a list counts as one lookup. In memory, or shared by replicas. */
  rateLimit: RateLimit;
  audit: AuditLog;
  logger: Logger;
  clock?: Clock;
}

/**
 * The one path every surface takes to donor data: access check, then the per-person rate limit, then
 * the cache or Luminate, then one audit line whatever happened. Refusals never reach Luminate. Returns
 * outcomes; what a person reads is decided in slack/.
 */
export class InteractionService {
  readonly #options: InteractionServiceOptions;
  readonly #clock: Clock;

  constructor(options: InteractionServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * The card when it needs no Luminate call (access decided from what is known, card cached), so a listener can put it
   * in its ack. Only the rate limit may wait, and only when it is shared (one Redis round trip, a short timeout).
   */
  async cardNow(requester: Requester, request: InteractionRequest): Promise<CardOutcome | undefined> {
    if (!this.#options.access.peek(requester)?.allowed) return undefined;
    const card = this.peekCard(request);
    if (!card) return undefined;
    const limited = await this.#overLimit(requester, () => this.#auditCard(requester, request, 'rate_limited', false, 0));
    if (limited) return { kind: 'refused', refusal: limited };
    this.#auditCard(requester, request, 'found', true, 0);
    return { kind: 'card', request, card };
  }

  /** Never rejects: a bug becomes a failed outcome, which every surface shows as the bot's own failure. */
  async card(requester: Requester, request: InteractionRequest, { refresh = false }: { refresh?: boolean } = {}): Promise<CardOutcome> {
    const started = this.#clock();
    const ms = () => this.#clock() - started;
    try {
      const decision = await this.#options.access.check(requester);
      if (!decision.allowed) {
        this.#auditCard(requester, request, 'denied', false, ms());
        return { kind: 'refused', refusal: { kind: 'denied', reason: decision.reason } };
      }
      const limited = await this.#overLimit(requester, () => this.#auditCard(requester, request, 'rate_limited', false, ms()));
      if (limited) {
        // A Refresh over the limit keeps the cached card on screen, with a note, when there is one.
        const kept = refresh ? this.peekCard(request) : undefined;
        return kept ? { kind: 'card', request, card: kept, refreshFailure: limited } : { kind: 'refused', refusal: limited };
      }
      return await this.#read(requester, request, refresh, ms);
    } catch (error) {
      this.#options.logger.error('lookup failed unexpectedly', { error, interactionId: request.interactionId, identifierKind: request.identifier.kind });
      this.#auditCard(requester, request, 'error', false, ms());
      return { kind: 'failed', request, error };
    }
  }

  /** The card from the cache, not audited: for showing it again (after a Share, or beside a note). */
  peekCard(request: InteractionRequest): CardData | undefined {
    const cached = this.#options.interactions.peek(request);
    return cached && this.#named(cached, this.#options.donors?.peek(request.identifier));
  }

  async #read(requester: Requester, request: InteractionRequest, refresh: boolean, ms: () => number): Promise<CardOutcome> {
    const { interactions, donors } = this.#options;
    // Started before the interaction is asked for, so both calls are in flight at once.
    const donor = donors?.read(request.identifier, { refresh });
    let found: CachedInteraction;
    try {
      found = await interactions.get(request, { refresh });
    } catch (error) {
      this.#logFailure('lookup', error, { interactionId: request.interactionId, identifierKind: request.identifier.kind });
      this.#auditCard(requester, request, isNotFound(error) ? 'not_found' : 'error', false, ms());
      return { kind: 'failed', request, error };
    }
    const card = this.#named(found, donor && (await donors!.inGrace(donor)));
    if (found.refreshFailure === undefined) {
      this.#auditCard(requester, request, 'found', found.cached, ms());
      return { kind: 'card', request, card };
    }
    this.#logFailure('lookup', found.refreshFailure, { interactionId: request.interactionId, identifierKind: request.identifier.kind }, 'refresh failed, the cached answer stays');
    // Audited as the error it is, served from the cache.
    this.#auditCard(requester, request, 'error', true, ms());
    return { kind: 'card', request, card: { ...card, cached: true }, refreshFailure: { kind: 'error', error: found.refreshFailure } };
  }

  /** A name only when it is about the interaction's own constituent (a hidden id on either side is no mismatch). */
  #named({ interaction, fetchedAt, cached }: CachedInteraction, donor: Constituent | undefined): CardData {
    const card = { interaction, fetchedAt, cached };
    if (!donor || (donor.consId !== null && !answersConsId({ kind: 'cons', consId: donor.consId }, interaction.consId))) return card;
    return { ...card, donor };
  }

  /** The page when it needs no Luminate call (access known, page cached), so a listener can put it in its ack; as `cardNow`. */
  async listNow(requester: Requester, list: InteractionListRequest): Promise<ListOutcome | undefined> {
    if (!this.#options.access.peek(requester)?.allowed) return undefined;
    const page = this.#options.lists.peek(list);
    if (!page) return undefined;
    const limited = await this.#overLimit(requester, () => this.#auditList(requester, list, 'rate_limited', 0, false, 0));
    if (limited) return { kind: 'refused', refusal: limited };
    this.#auditList(requester, list, 'found', page.rows.length, true, 0);
    return { kind: 'page', list, page, donor: this.#options.donors?.peek(list.identifier) };
  }

  /** Never rejects, like `card`. */
  async list(requester: Requester, list: InteractionListRequest, { refresh = false }: { refresh?: boolean } = {}): Promise<ListOutcome> {
    const { access, lists, donors, logger } = this.#options;
    const started = this.#clock();
    const ms = () => this.#clock() - started;
    const fields = { identifierKind: list.identifier.kind, page: list.page };
    try {
      const decision = await access.check(requester);
      if (!decision.allowed) {
        this.#auditList(requester, list, 'denied', 0, false, ms());
        return { kind: 'refused', refusal: { kind: 'denied', reason: decision.reason } };
      }
      const limited = await this.#overLimit(requester, () => this.#auditList(requester, list, 'rate_limited', 0, false, ms()));
      if (limited) return { kind: 'refused', refusal: limited };
      // Started with the page, so the name costs no extra round trip; it never fails the list. Its grace runs
      // from the page's arrival, as a card's does from its interaction's: a name that came in as slowly as
      // the page (a loaded Luminate or machine) is still shown.
      const read = donors?.read(list.identifier, { refresh });
      const donor = async () => (read ? donors!.inGrace(read) : undefined);
      let page;
      try {
        page = await lists.page(list, { refresh });
      } catch (error) {
        this.#logFailure('list', error, fields);
        this.#auditList(requester, list, isNotFound(error) ? 'not_found' : 'error', 0, false, ms());
        return { kind: 'failed', identifier: list.identifier, error };
      }
      if (page.refreshFailure === undefined) {
        const named = await donor();
        this.#auditList(requester, list, 'found', page.rows.length, page.cached, ms());
        return { kind: 'page', list, page, donor: named };
      }
      logger.warn('refresh of a list failed, the cached page stays', { ...fields, error: page.refreshFailure });
      this.#auditList(requester, list, 'error', page.rows.length, true, ms());
      return { kind: 'page', list, page, donor: await donor(), refreshFailure: { kind: 'error', error: page.refreshFailure } };
    } catch (error) {
      logger.error('list failed unexpectedly', { error, identifierKind: list.identifier.kind });
      this.#auditList(requester, list, 'error', 0, false, ms());
      return { kind: 'failed', identifier: list.identifier, error };
    }
  }

  /** A refusal known without I/O (audited), e.g. before opening a modal for someone who may not use it. */
  refusalNow(requester: Requester): Refusal | undefined {
    const decision = this.#options.access.peek(requester);
    if (!decision || decision.allowed) return undefined;
    this.#options.audit.lookup({ ...this.#base(requester), interactionId: null, identifierKind: null, outcome: 'denied', cached: false, ms: 0 });
    return { kind: 'denied', reason: decision.reason };
  }

  /**
   * A refusal decided before any of the person's text is read (audited): access in full, reading
   * group membership when it must, then whether the rate limit would refuse a lookup now. Peeks
   * at the limit without counting, so opening a form costs no lookup; the lookup itself counts.
   * With `withinMs`, a check still reading group membership after that long refuses as
   * `check_failed` (try again): the surface has a trigger_id to use before it dies. The read
   * goes on, so the membership is known when the person tries again.
   */
  async refusalBeforeReading(requester: Requester, { withinMs }: { withinMs?: number } = {}): Promise<Refusal | undefined> {
    const started = this.#clock();
    const { rateLimit, access } = this.#options;
    const check = access.check(requester);
    const decision = withinMs === undefined ? await check : ((await within(check, withinMs)) ?? ({ allowed: false, reason: 'check_failed' } as const));
    const rate = decision.allowed ? await rateLimit.peek(requester.userId) : undefined;
    if (rate?.allowed) return undefined;
    this.#options.audit.lookup({ ...this.#base(requester), interactionId: null, identifierKind: null, outcome: decision.allowed ? 'rate_limited' : 'denied', cached: false, ms: this.#clock() - started });
    if (!decision.allowed) return { kind: 'denied', reason: decision.reason };
    return { kind: 'rate_limited', perMinute: rateLimit.perMinute, retryAfterMs: rate && !rate.allowed ? rate.retryAfterMs : 0 };
  }

  /** Input that did not parse is audited too: someone tried. */
  recordInvalid(requester: Requester): void {
    this.#options.audit.lookup({ ...this.#base(requester), interactionId: null, identifierKind: null, outcome: 'invalid', cached: false, ms: 0 });
  }

  /** Counts the lookup against the person's minute; over the limit, the refusal (audited by `audit`). */
  async #overLimit(requester: Requester, audit: () => void): Promise<Extract<Refusal, { kind: 'rate_limited' }> | undefined> {
    const { rateLimit } = this.#options;
    const rate = await rateLimit.take(requester.userId);
    if (rate.allowed) return undefined;
    audit();
    return { kind: 'rate_limited', perMinute: rateLimit.perMinute, retryAfterMs: rate.retryAfterMs };
  }

  /** Logged by the typed error: "not found" is an answer, a LuminateError a bad day, anything else a bug. */
  #logFailure(what: 'lookup' | 'list', error: unknown, fields: Record<string, unknown>, message = `luminate ${what} failed`): void {
    const { logger } = this.#options;
    if (isNotFound(error)) logger.info(`luminate ${what} found nothing`, { ...fields, error });
    else if (error instanceof LuminateError) logger.warn(message, { ...fields, error });
    else logger.error(`${what} failed unexpectedly`, { ...fields, error });
  }

  #base(requester: Requester) {
    return { user: requester.userId, team: requester.teamId, channel: requester.channelId, surface: requester.surface };
  }

  #auditCard(requester: Requester, request: InteractionRequest, outcome: AuditOutcome, cached: boolean, ms: number): void {
    this.#options.audit.lookup({ ...this.#base(requester), interactionId: request.interactionId, identifierKind: request.identifier.kind, outcome, cached, ms });
  }

  #auditList(requester: Requester, list: InteractionListRequest, outcome: AuditOutcome, rows: number, cached: boolean, ms: number): void {
    const { filters } = list;
    this.#options.audit.list({
      ...this.#base(requester),
      identifierKind: list.identifier.kind,
      // Which filters were used, never a value that could identify the donor.
      filters: { since: filters.since !== undefined, until: filters.until !== undefined, typeId: filters.typeId === undefined ? null : String(filters.typeId) },
      page: list.page,
      rows,
      outcome,
      cached,
      ms,
    });
  }
}
