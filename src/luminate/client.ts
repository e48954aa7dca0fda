import { getInteraction } from './get-interaction.js';
import { getUserInteractions, type InteractionListQuery, type InteractionSummary } from './get-user-interactions.js';
import { getUser, type Constituent } from './get-user.js';
import { logInteraction, type InteractionToLog, type LoggedInteraction } from './log-interaction.js';
import type { InteractionRequest, ConstituentIdentifier } from './identifiers.js';
import type { Interaction } from './schema.js';
import { LuminateTransport, type CallOptions, type LuminateClientOptions, type ResilienceOptions } from './transport.js';

export type { CallOptions, LuminateClientOptions, ResilienceOptions } from './transport.js';
export type { Constituent } from './get-user.js';
export type { InteractionListQuery, InteractionSummary } from './get-user-interactions.js';
export type { InteractionToLog, LoggedInteraction } from './log-interaction.js';

/** What the rest of the bot needs from Luminate for a card; tests and the demo can supply their own. */
export interface InteractionSource {
  getInteraction(lookup: InteractionRequest, options?: CallOptions): Promise<Interaction>;
}

/** Who a donor is, and what was recorded with them. */
export interface DonorSource {
  getUser(identifier: ConstituentIdentifier, options?: CallOptions): Promise<Constituent>;
  getUserInteractions(query: InteractionListQuery, options?: CallOptions): Promise<InteractionSummary[]>;
}

/** Recording what was said with a donor: the bot's one write. */
export interface InteractionLog {
  /** Never retried; see {@link logInteraction} for what each failure means. */
  logInteraction(entry: InteractionToLog, options?: CallOptions): Promise<LoggedInteraction>;
}

/**
 * Luminate's server Constituent API as the bot uses it: one method per API method, all over
 * one transport, so they share the connection pool, the budget rules and the circuit breaker.
 * A new read method is a module like `get-user.ts` and one line here.
 */
export class LuminateClient implements InteractionSource, DonorSource, InteractionLog {
  readonly #transport: LuminateTransport;

  constructor(options: LuminateClientOptions, resilience: ResilienceOptions = {}) {
    this.#transport = new LuminateTransport(options, resilience);
  }

  getInteraction(lookup: InteractionRequest, options?: CallOptions): Promise<Interaction> {
    return getInteraction(this.#transport, lookup, options);
  }

  getUser(identifier: ConstituentIdentifier, options?: CallOptions): Promise<Constituent> {
    return getUser(this.#transport, identifier, options);
  }

  getUserInteractions(query: InteractionListQuery, options?: CallOptions): Promise<InteractionSummary[]> {
    return getUserInteractions(this.#transport, query, options);
  }

  logInteraction(entry: InteractionToLog, options?: CallOptions): Promise<LoggedInteraction> {
    return logInteraction(this.#transport, entry, options);
  }

  /** Closes idle connections and waits for requests in flight; with `force`, aborts them instead. */
  close(options?: { force?: boolean }): Promise<void> {
    return this.#transport.close(options);
  }
}
