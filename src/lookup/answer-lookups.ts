import { LRUCache } from 'lru-cache';
import { constituentAdminUrl } from '../luminate/admin-url.js';
import { isNotFound, LuminateError } from '../luminate/errors.js';
import type { InteractionRequest } from '../luminate/identifiers.js';
import { donorName, renderInteractionCard, type CardOptions, type SlackMessage } from '../slack/interaction-card.js';
import { lookupFailureMessage, refreshFailedNote, type RefreshFailure } from '../slack/messages.js';
import type { Logger } from '../observability/logger.js';
import { describeAge } from '../slack/mrkdwn.js';
import { encodeCardReference, encodeListReference, type CardReference } from './card-reference.js';
import type { Clock } from '../clock.js';
import type { InteractionLookups, LookupResult } from './interaction-lookups.js';

/** How a lookup ended, in the words the audit trail uses. */
export type LookupOutcome = 'found' | 'not_found' | 'error';

export interface LookupAnswer {
  message: SlackMessage;
  outcome: LookupOutcome;
  cached: boolean;
}

/**
 * Who the card is for. A private card (ephemeral or in a modal) carries
 * Refresh, Share where there is a channel to share into, and Open in Luminate;
 * a shared card in a channel carries only the link and says who shared it.
 */
export type Presentation =
  | { kind: 'private'; reference: CardReference; canShare: boolean; footer?: string }
  | { kind: 'shared'; sharedBy: string };

export interface LookupAnswersOptions {
  lookups: InteractionLookups;
  typeNames: ReadonlyMap<string, string>;
  /** `LUMINATE_ADMIN_URL_TEMPLATE`, with `{consId}`. */
  adminUrlTemplate: string;
  logger: Logger;
  clock?: Clock;
}

/**
 * Turns a lookup into the message a person reads: the card, or what went wrong
 * and what to do. Every surface (command, shortcut, modal, buttons) answers through this.
 */
export class LookupAnswers {
  readonly #options: Required<LookupAnswersOptions>;
  /**
   * Recently rendered cards of cached records. A hot record is read again and again; rendering it
   * once per variant instead of once per request showed in the benchmark. Only cached answers:
   * a fresh card is read once, by whoever's lookup fetched it, and keeping it would only hold
   * garbage past the young generation. Bounded, because keeping a rendered card beside every
   * cached record tripled the cache's memory.
   */
  readonly #rendered = new LRUCache<string, SlackMessage>({ max: 256 });

  constructor(options: LookupAnswersOptions) {
    this.#options = { clock: Date.now, ...options };
  }

  /** The card from a fresh cached answer, without waiting: lets a listener put it in its ack. */
  fromCache(lookup: InteractionRequest, presentation: Presentation): LookupAnswer | undefined {
    const hit = this.#options.lookups.peek(lookup);
    return hit && this.#card(hit, presentation);
  }

  /**
   * The cached card kept after a Refresh that could not be done, with a note saying why and how old it
   * is; undefined when nothing fresh is cached.
   */
  keptCard(lookup: InteractionRequest, presentation: Presentation, failure: RefreshFailure): LookupAnswer | undefined {
    const hit = this.#options.lookups.peek(lookup);
    return hit && this.#keep(hit, presentation, failure);
  }

  /** Never rejects: failures become a message, and are logged by their typed error. */
  async answer(lookup: InteractionRequest, presentation: Presentation, { refresh = false }: { refresh?: boolean } = {}): Promise<LookupAnswer> {
    try {
      const result = await this.#options.lookups.lookup(lookup, { refresh });
      if (result.refreshFailure === undefined) return this.#card(result, presentation);
      this.#logFailure(lookup, result.refreshFailure, 'refresh failed, the cached answer stays');
      return this.#keep(result, presentation, { kind: 'error', error: result.refreshFailure, lookup });
    } catch (error) {
      const notFound = isNotFound(error);
      this.#logFailure(lookup, error, 'luminate lookup failed');
      return { message: lookupFailureMessage(error, lookup), outcome: notFound ? 'not_found' : 'error', cached: false };
    }
  }

  #logFailure(lookup: InteractionRequest, error: unknown, message: string): void {
    const fields = { interactionId: lookup.interactionId, identifierKind: lookup.identifier.kind, error };
    if (isNotFound(error)) this.#options.logger.info('luminate lookup found nothing', fields);
    else if (error instanceof LuminateError) this.#options.logger.warn(message, fields);
    else this.#options.logger.error('lookup failed unexpectedly', fields);
  }

  /** The cached card with the note under it; audited as the error it is, served from the cache. */
  #keep(result: LookupResult, presentation: Presentation, failure: RefreshFailure): LookupAnswer {
    const note = refreshFailedNote(failure, this.#options.clock() - result.fetchedAt);
    const noted: Presentation = presentation.kind === 'private' ? { ...presentation, footer: presentation.footer ? `${presentation.footer} ${note}` : note } : presentation;
    return { message: this.#card({ ...result, cached: true }, noted).message, outcome: 'error', cached: true };
  }

  #card(result: LookupResult, presentation: Presentation): LookupAnswer {
    const now = this.#options.clock();
    if (!result.cached) return { message: this.#render(result, presentation, now), outcome: 'found', cached: false };
    // Everything the card depends on besides the record: who it is for, and how fresh it reads.
    const variant = [
      presentation.kind === 'private'
        ? `p${encodeCardReference(presentation.reference)}${presentation.canShare}${presentation.footer ?? ''}`
        : `s${presentation.sharedBy}`,
      describeAge(now - result.fetchedAt),
    ].join('\u0000');
    // The record is known by when it was fetched and what it is: two fetches in the same millisecond of
    // the same interaction and constituent (by email and by cons:, say) are the same record.
    const { interactionId, consId } = result.interaction;
    // The name arrives on its own (or not): a card rendered without it must not stand in for one with it.
    const key = `${result.fetchedAt}\u0000${interactionId}\u0000${consId}\u0000${donorName(result.donor) ?? ''}\u0000${variant}`;
    let message = this.#rendered.get(key);
    if (!message) {
      message = this.#render(result, presentation, now);
      this.#rendered.set(key, message);
    }
    return { message, outcome: 'found', cached: result.cached };
  }

  #render(result: LookupResult, presentation: Presentation, now: number): SlackMessage {
    const { typeNames, adminUrlTemplate } = this.#options;
    const openUrl = constituentAdminUrl(adminUrlTemplate, result.interaction.consId);
    const options: CardOptions =
      presentation.kind === 'private'
        ? {
            buttons: { value: encodeCardReference(presentation.reference), refresh: true, share: presentation.canShare, openUrl, back: backToList(presentation.reference) },
            footer: presentation.footer,
          }
        : // The id comes from Slack's signed payload; still, only an id shape becomes a mention.
          { buttons: { value: '', refresh: false, share: false, openUrl }, footer: `Shared by ${/^[UW][A-Z0-9]+$/.test(presentation.sharedBy) ? `<@${presentation.sharedBy}>` : 'someone'}.` };
    return renderInteractionCard(result.interaction, { ...result, now, typeNames }, options);
  }
}

/** The list page a card was opened from, as its "Back to list" button's value. */
function backToList({ lookup, list, channelId, threadTs }: CardReference): string | undefined {
  return list && encodeListReference({ list: { identifier: lookup.identifier, ...list }, channelId, threadTs });
}
