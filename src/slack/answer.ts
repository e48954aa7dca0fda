import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { constituentAdminUrl } from '../luminate/admin-url.js';
import type { LogOutcome, LogRefusal } from '../service/log-service.js';
import type { CardData, CardOutcome, ListOutcome, Refusal } from '../service/outcomes.js';
import { encodeCardReference, encodeListReference, type CardReference } from './card-reference.js';
import { lookupFailureMessage, listFailureMessage, refreshFailedNote } from './render/failure-messages.js';
import { donorName, renderInteractionCard, type CardOptions } from './render/interaction-card.js';
import { noInteractionsMessage, renderInteractionList } from './render/interaction-list.js';
import type { SlackMessage } from './render/message.js';
import { duplicateLogMessage, logFailureMessage, loggedHeadline, loggedNotFoundMessage, loggingDisabledMessage, notALoggerMessage, uncertainLogMessage, withHeadline } from './render/log-messages.js';
import { describeAge } from './render/mrkdwn.js';
import { refusalMessage, type AccessHelp } from './render/refusal-messages.js';

/** An outcome as the person will read it, with what a listener needs to decide where it goes. */
export interface Answer {
  message: SlackMessage;
  /** False when access was refused or the rate limit reached: nothing about the donor is in `message`, unless `found`. */
  allowed: boolean;
  /** `message` is a card or a list page (over the rate limit: the card a Refresh keeps, with a note). */
  found: boolean;
  /** Refused by LOOKUP_RATE_PER_MINUTE, not by access: what is on screen may stay. */
  rateLimited?: boolean;
}

/**
 * Who the card is for. A private card (ephemeral or in a modal) carries
 * Refresh, Share where there is a channel to share into, and Open in Luminate;
 * a shared card in a channel carries only the link and says who shared it.
 */
export type Presentation =
  | { kind: 'private'; reference: CardReference; canShare: boolean; footer?: string }
  | { kind: 'shared'; sharedBy: string };

/** Where a list was asked for: its buttons carry it, so a card opened from a row shares there. */
export interface ListPlace {
  channelId: string | null;
  threadTs: string | null;
}

export interface AnswersOptions {
  typeNames: ReadonlyMap<string, string>;
  /** `LUMINATE_ADMIN_URL_TEMPLATE`, with `{consId}`. */
  adminUrlTemplate: string;
  /** Named in refusals. */
  access: AccessHelp;
  clock?: Clock;
}

/** Turns the service's outcomes into the messages people read: cards, list pages, failures and refusals. */
export class Answers {
  readonly #options: AnswersOptions;
  readonly #clock: Clock;
  /**
   * Recently rendered cards and list pages of cached answers: a hot record or page is asked for again
   * and again, and what it renders to is the same for each variant. Only cached answers: a fresh one is
   * read once, by whoever's request fetched it. Bounded, so it never holds more than a few hundred
   * messages beside the caches.
   */
  readonly #rendered = new LRUCache<string, SlackMessage>({ max: 256 });

  constructor(options: AnswersOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  card(outcome: CardOutcome, presentation: Presentation): Answer {
    switch (outcome.kind) {
      case 'refused':
        return this.#refused(outcome.refusal);
      case 'failed':
        return { message: lookupFailureMessage(outcome.error, outcome.request), allowed: true, found: false };
      case 'card': {
        const { card, refreshFailure, request } = outcome;
        if (!refreshFailure) return { message: this.#card(card, presentation), allowed: true, found: true };
        const note = refreshFailedNote(refreshFailure, request, this.#clock() - card.fetchedAt);
        const noted: Presentation = presentation.kind === 'private' ? { ...presentation, footer: presentation.footer ? `${presentation.footer} ${note}` : note } : presentation;
        const message = this.#card({ ...card, cached: true }, noted);
        // Over the limit the kept card is all the person gets; after a failed read it stands for the failure.
        return refreshFailure.kind === 'rate_limited' ? { message, allowed: false, found: true, rateLimited: true } : { message, allowed: true, found: false };
      }
    }
  }

  list(outcome: ListOutcome, place: ListPlace): Answer {
    switch (outcome.kind) {
      case 'refused':
        return this.#refused(outcome.refusal);
      case 'failed':
        return { message: listFailureMessage(outcome.error, outcome.identifier), allowed: true, found: false };
      case 'page': {
        const { list, page, donor, refreshFailure } = outcome;
        const now = this.#clock();
        const { typeNames } = this.#options;
        const footer = refreshFailure && refreshFailedNote(refreshFailure, { interactionId: 0, identifier: list.identifier }, now - page.fetchedAt);
        if (page.rows.length === 0 && list.page === 0 && footer === undefined) {
          return { message: noInteractionsMessage(list.identifier, list.filters, typeNames), allowed: true, found: true };
        }
        const render = () =>
          renderInteractionList(
            { ...list, ...page, now, typeNames, donor, footer },
            {
              page: (n) => encodeListReference({ list: { ...list, page: n }, ...place }),
              row: (row) => encodeCardReference({ request: { interactionId: Number(row.interactionId), identifier: list.identifier }, ...place, list: { filters: list.filters, page: list.page } }),
            },
          );
        if (!page.cached || footer !== undefined) return { message: render(), allowed: true, found: true };
        // The page is known by when it was fetched; the rest is what its text and buttons depend on.
        const key = ['l', page.fetchedAt, encodeListReference({ list, ...place }), donorName(donor) ?? '', describeAge(now - page.fetchedAt)].join('\u0000');
        return { message: this.#memo(key, render), allowed: true, found: true };
      }
    }
  }

  refusal(refusal: Refusal): SlackMessage {
    return refusalMessage(refusal, this.#options.access);
  }

  /** A refusal of "Log to Luminate": a lookup's refusals, plus logging turned off or not a logger. */
  logRefusal(refusal: LogRefusal): SlackMessage {
    if (refusal.kind === 'logging_disabled') return loggingDisabledMessage(this.#options.access.contact);
    if (refusal.kind === 'not_a_logger') return notALoggerMessage(this.#options.access.contact);
    return this.refusal(refusal);
  }

  /** How a log ended, for the thread (and the form): the new card under "Logged to …", or what to do. */
  log(outcome: LogOutcome, place: ListPlace): SlackMessage {
    switch (outcome.kind) {
      case 'refused':
        return this.logRefusal(outcome.refusal);
      case 'duplicate':
        return duplicateLogMessage();
      case 'failed':
        return logFailureMessage(outcome.error, outcome.identifier);
      case 'uncertain':
        return uncertainLogMessage(outcome.identifier, encodeListReference({ list: { identifier: outcome.identifier, filters: {}, page: 0 }, ...place }));
      case 'logged': {
        const { card, identifier } = outcome;
        const name = donorName(outcome.donor);
        if (!card) return loggedNotFoundMessage(identifier, name, constituentAdminUrl(this.#options.adminUrlTemplate, outcome.consId));
        const request = { interactionId: Number(card.interaction.interactionId), identifier };
        const message = this.#render(card, { kind: 'private', reference: { request, ...place }, canShare: place.channelId !== null }, this.#clock());
        return withHeadline(loggedHeadline(identifier, name), message);
      }
    }
  }

  #refused(refusal: Refusal): Answer {
    return { message: this.refusal(refusal), allowed: false, found: false, ...(refusal.kind === 'rate_limited' ? { rateLimited: true } : {}) };
  }

  #card(card: CardData, presentation: Presentation): SlackMessage {
    const now = this.#clock();
    if (!card.cached) return this.#render(card, presentation, now);
    // Everything the card depends on besides the record: who it is for, and how fresh it reads.
    const variant = [
      presentation.kind === 'private'
        ? `p${encodeCardReference(presentation.reference)}${presentation.canShare}${presentation.footer ?? ''}`
        : `s${presentation.sharedBy}`,
      describeAge(now - card.fetchedAt),
    ].join('\u0000');
    // The record is known by when it was fetched and what it is: two fetches in the same millisecond of
    // the same interaction and constituent (by email and by cons:, say) are the same record.
    const { interactionId, consId } = card.interaction;
    // The name arrives on its own (or not): a card rendered without it must not stand in for one with it.
    const key = `c\u0000${card.fetchedAt}\u0000${interactionId}\u0000${consId}\u0000${donorName(card.donor) ?? ''}\u0000${variant}`;
    return this.#memo(key, () => this.#render(card, presentation, now));
  }

  #memo(key: string, render: () => SlackMessage): SlackMessage {
    let message = this.#rendered.get(key);
    if (!message) {
      message = render();
      this.#rendered.set(key, message);
    }
    return message;
  }

  #render(card: CardData, presentation: Presentation, now: number): SlackMessage {
    const { typeNames, adminUrlTemplate } = this.#options;
    const openUrl = constituentAdminUrl(adminUrlTemplate, card.interaction.consId);
    const options: CardOptions =
      presentation.kind === 'private'
        ? {
            buttons: { value: encodeCardReference(presentation.reference), refresh: true, share: presentation.canShare, openUrl, back: backToList(presentation.reference) },
            footer: presentation.footer,
          }
        : // The id comes from Slack's signed payload; still, only an id shape becomes a mention.
          { buttons: { value: '', refresh: false, share: false, openUrl }, footer: `Shared by ${/^[UW][A-Z0-9]+$/.test(presentation.sharedBy) ? `<@${presentation.sharedBy}>` : 'someone'}.` };
    return renderInteractionCard(card.interaction, { ...card, now, typeNames }, options);
  }
}

/** The list page a card was opened from, as its "Back to list" button's value. */
function backToList({ request, list, channelId, threadTs }: CardReference): string | undefined {
  return list && encodeListReference({ list: { identifier: request.identifier, ...list }, channelId, threadTs });
}
