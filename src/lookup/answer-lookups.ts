import { LuminateApiError, LuminateError } from '../luminate/errors.js';
import type { InteractionLookup } from '../luminate/lookup.js';
import { renderInteractionCard, type SlackMessage } from '../slack/interaction-card.js';
import { lookupFailureMessage } from '../slack/messages.js';
import type { Logger } from '../logger.js';
import type { Clock, InteractionLookups, LookupResult } from './interaction-lookups.js';

/** How a lookup ended, in the words the audit trail and metrics use. */
export type LookupOutcome = 'found' | 'not_found' | 'error';

export interface LookupAnswer {
  message: SlackMessage;
  outcome: LookupOutcome;
  cached: boolean;
}

export interface LookupAnswersOptions {
  lookups: InteractionLookups;
  typeNames: ReadonlyMap<string, string>;
  logger: Logger;
  clock?: Clock;
}

/**
 * Turns a lookup into the message a person reads: the card, or what went wrong
 * and what to do. Every surface (command, shortcut, modal) answers through this.
 */
export class LookupAnswers {
  readonly #options: Required<LookupAnswersOptions>;

  constructor(options: LookupAnswersOptions) {
    this.#options = { clock: Date.now, ...options };
  }

  /** The card from a fresh cached answer, without waiting: lets a listener put it in its ack. */
  fromCache(lookup: InteractionLookup): LookupAnswer | undefined {
    const hit = this.#options.lookups.peek(lookup);
    return hit && this.#card(hit);
  }

  /** Never rejects: failures become a message, and are logged by their typed error. */
  async answer(lookup: InteractionLookup, { refresh = false }: { refresh?: boolean } = {}): Promise<LookupAnswer> {
    try {
      return this.#card(await this.#options.lookups.lookup(lookup, { refresh }));
    } catch (error) {
      const notFound = error instanceof LuminateApiError && error.reason === 'not_found';
      const fields = { interactionId: lookup.interactionId, identifierKind: lookup.identifier.kind, error };
      if (notFound) this.#options.logger.info('luminate lookup found nothing', fields);
      else if (error instanceof LuminateError) this.#options.logger.warn('luminate lookup failed', fields);
      else this.#options.logger.error('lookup failed unexpectedly', fields);
      return { message: lookupFailureMessage(error, lookup), outcome: notFound ? 'not_found' : 'error', cached: false };
    }
  }

  #card(result: LookupResult): LookupAnswer {
    const { typeNames, clock } = this.#options;
    const message = renderInteractionCard(result.interaction, { ...result, now: clock(), typeNames });
    return { message, outcome: 'found', cached: result.cached };
  }
}
