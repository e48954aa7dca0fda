import type { AccessPolicy } from '../access/access-policy.js';
import type { LookupRateLimit } from '../access/rate-limit.js';
import type { AuditLog, AuditOutcome, ListAuditEvent } from '../observability/audit.js';
import { encodeCardReference, encodeListReference } from '../lookup/card-reference.js';
import type { Clock } from '../clock.js';
import type { InteractionLookups } from '../lookup/interaction-lookups.js';
import type { InteractionLists, ListPage } from '../lookup/interaction-lists.js';
import type { InteractionListRequest } from '../lookup/parse.js';
import type { Constituent } from '../luminate/client.js';
import { isNotFound, LuminateError } from '../luminate/errors.js';
import type { Logger } from '../observability/logger.js';
import type { SlackMessage } from '../slack/interaction-card.js';
import { noInteractionsMessage, renderInteractionList } from '../slack/interaction-list.js';
import { accessDeniedMessage, listFailureMessage, rateLimitedMessage, refreshFailedNote } from '../slack/messages.js';
import type { FlowResult, LookupRequest } from './lookup-flow.js';

export interface ListFlowOptions {
  lists: InteractionLists;
  /** Where the donor's name at the top comes from (the cards' own cache); without it the list shows the identifier. */
  donors?: Pick<InteractionLookups, 'donor' | 'peekDonor'>;
  access: AccessPolicy;
  rateLimit: LookupRateLimit;
  audit: AuditLog;
  typeNames: ReadonlyMap<string, string>;
  accessContact: string | undefined;
  logger: Logger;
  clock?: Clock;
}

/** Where a list was asked for: its buttons carry it, so a card opened from a row shares there. */
export interface ListPlace {
  channelId: string | null;
  threadTs: string | null;
}

/**
 * A donor's list takes the path a card takes: access check, then the per-person rate limit (a page
 * counts as one lookup), then the cached page or Luminate, then one `interaction.list` audit line.
 */
export class ListFlow {
  readonly #options: ListFlowOptions;
  readonly #clock: Clock;

  constructor(options: ListFlowOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /** The page when it needs no I/O (access known, page cached), so a listener can put it in its ack. */
  immediate(request: LookupRequest, list: InteractionListRequest, place: ListPlace): FlowResult | undefined {
    const decision = this.#options.access.peek({ userId: request.userId, channelId: request.channelId });
    if (!decision?.allowed) return undefined;
    const page = this.#options.lists.peek(list);
    if (!page) return undefined;
    const limited = this.#overLimit(request, list, 0);
    if (limited) return limited;
    this.#audit(request, list, 'found', page.rows.length, true, 0);
    return { message: this.#render(list, page, place, this.#options.donors?.peekDonor(list.identifier)), allowed: true, found: true };
  }

  /** Never rejects: failures become the message to show. */
  async run(request: LookupRequest, list: InteractionListRequest, place: ListPlace, { refresh = false }: { refresh?: boolean } = {}): Promise<FlowResult> {
    const started = this.#clock();
    const ms = () => this.#clock() - started;
    try {
      const decision = await this.#options.access.check({ userId: request.userId, channelId: request.channelId });
      if (!decision.allowed) {
        this.#audit(request, list, 'denied', 0, false, ms());
        return { message: accessDeniedMessage(decision.reason, { contact: this.#options.accessContact, channels: this.#options.access.allowedChannels }), allowed: false, found: false };
      }
      const limited = this.#overLimit(request, list, ms());
      if (limited) return limited;
      // Started with the page, so the name costs no extra round trip; it never fails the list.
      const donor = this.#options.donors?.donor(list.identifier, { refresh }) ?? Promise.resolve(undefined);
      let page: ListPage;
      try {
        page = await this.#options.lists.page(list, { refresh });
      } catch (error) {
        const fields = { identifierKind: list.identifier.kind, page: list.page, error };
        if (isNotFound(error)) this.#options.logger.info('luminate list found nothing', fields);
        else if (error instanceof LuminateError) this.#options.logger.warn('luminate list failed', fields);
        else this.#options.logger.error('list failed unexpectedly', fields);
        this.#audit(request, list, isNotFound(error) ? 'not_found' : 'error', 0, false, ms());
        return { message: listFailureMessage(error, list.identifier), allowed: true, found: false };
      }
      if (page.refreshFailure !== undefined) {
        this.#options.logger.warn('refresh of a list failed, the cached page stays', { identifierKind: list.identifier.kind, page: list.page, error: page.refreshFailure });
        this.#audit(request, list, 'error', page.rows.length, true, ms());
        const note = refreshFailedNote({ kind: 'error', error: page.refreshFailure, lookup: { interactionId: 0, identifier: list.identifier } }, this.#clock() - page.fetchedAt);
        return { message: this.#render(list, page, place, await donor, note), allowed: true, found: true };
      }
      const named = await donor;
      this.#audit(request, list, 'found', page.rows.length, page.cached, ms());
      return { message: this.#render(list, page, place, named), allowed: true, found: true };
    } catch (error) {
      this.#options.logger.error('list failed unexpectedly', { error, identifierKind: list.identifier.kind });
      this.#audit(request, list, 'error', 0, false, ms());
      return { message: listFailureMessage(error, list.identifier), allowed: true, found: false };
    }
  }

  #render(list: InteractionListRequest, page: ListPage, place: ListPlace, donor: Constituent | undefined, footer?: string): SlackMessage {
    const { typeNames } = this.#options;
    if (page.rows.length === 0 && list.page === 0 && footer === undefined) return noInteractionsMessage(list.identifier, list.filters, typeNames);
    return renderInteractionList(
      { ...list, ...page, now: this.#clock(), typeNames, donor, footer },
      {
        page: (n) => encodeListReference({ list: { ...list, page: n }, ...place }),
        row: (row) =>
          encodeCardReference({
            lookup: { interactionId: Number(row.interactionId), identifier: list.identifier },
            ...place,
            list: { filters: list.filters, page: list.page },
          }),
      },
    );
  }

  #overLimit(request: LookupRequest, list: InteractionListRequest, ms: number): FlowResult | undefined {
    const { rateLimit } = this.#options;
    const rate = rateLimit.take(request.userId);
    if (rate.allowed) return undefined;
    this.#audit(request, list, 'rate_limited', 0, false, ms);
    return { message: rateLimitedMessage(rateLimit.perMinute, rate.retryAfterMs), allowed: false, found: false, rateLimited: true };
  }

  #audit(request: LookupRequest, list: InteractionListRequest, outcome: AuditOutcome, rows: number, cached: boolean, ms: number): void {
    const { filters } = list;
    const event: ListAuditEvent = {
      user: request.userId,
      team: request.teamId,
      channel: request.channelId,
      surface: request.surface,
      identifierKind: list.identifier.kind,
      filters: { since: filters.since !== undefined, until: filters.until !== undefined, typeId: filters.typeId === undefined ? null : String(filters.typeId) },
      page: list.page,
      rows,
      outcome,
      cached,
      ms,
    };
    this.#options.audit.list(event);
  }
}
