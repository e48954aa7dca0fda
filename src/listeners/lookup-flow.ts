import type { AccessPolicy } from '../access/access-policy.js';
import type { LookupRateLimit } from '../access/rate-limit.js';
import type { AuditLog, Surface } from '../observability/audit.js';
import type { InteractionRequest } from '../luminate/identifiers.js';
import type { LookupAnswers, Presentation } from '../lookup/answer-lookups.js';
import type { Clock } from '../clock.js';
import type { SlackMessage } from '../slack/interaction-card.js';
import type { Logger } from '../observability/logger.js';
import { accessDeniedMessage, lookupFailureMessage, rateLimitedMessage } from '../slack/messages.js';
import { within } from '../within.js';

/** Who asked, from where, through which surface. */
export interface LookupRequest {
  userId: string;
  teamId: string | null;
  channelId: string | null;
  surface: Surface;
}

export interface FlowResult {
  message: SlackMessage;
  /** False when access was refused or the rate limit reached: nothing about the donor is in `message`, unless `found`. */
  allowed: boolean;
  /** `message` is a card (over the rate limit: the card a Refresh keeps, with a note). */
  found: boolean;
  /** Refused by LOOKUP_RATE_PER_MINUTE, not by access: the card on screen may stay. */
  rateLimited?: boolean;
}

export interface LookupFlowOptions {
  answers: LookupAnswers;
  access: AccessPolicy;
  rateLimit: LookupRateLimit;
  audit: AuditLog;
  /** `SLACK_ACCESS_CONTACT`: named in refusals. */
  accessContact: string | undefined;
  logger: Logger;
  clock?: Clock;
}

/**
 * The one path every surface takes to donor data: access check, then the
 * lookup, then one audit line whatever happened. Refusals never reach Luminate.
 */
export class LookupFlow {
  readonly #options: LookupFlowOptions;
  readonly #clock: Clock;

  constructor(options: LookupFlowOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * The answer when it needs no I/O at all (access decided from what is known,
   * card in the cache), so a listener can put it in its ack. Otherwise undefined.
   */
  immediate(request: LookupRequest, lookup: InteractionRequest, presentation: Presentation): FlowResult | undefined {
    const decision = this.#options.access.peek(this.#requester(request));
    if (!decision?.allowed) return undefined;
    const answer = this.#options.answers.fromCache(lookup, presentation);
    if (!answer) return undefined;
    const limited = this.#overLimit(request, lookup, 0);
    if (limited) return limited;
    this.#audit(request, lookup, 'found', true, 0);
    return { message: answer.message, allowed: true, found: true };
  }

  /** A refusal known without I/O (audited), e.g. before opening a modal for someone who may not use it. */
  refusalNow(request: LookupRequest): SlackMessage | undefined {
    const decision = this.#options.access.peek(this.#requester(request));
    if (!decision || decision.allowed) return undefined;
    this.#options.audit.lookup({ ...this.#base(request), interactionId: null, identifierKind: null, outcome: 'denied', cached: false, ms: 0 });
    return this.#denied(decision.reason);
  }

  /**
   * A refusal decided before any of the person's text is read (audited): access in full, reading
   * group membership when it must, then whether the rate limit would refuse a lookup now. Peeks
   * at the limit without counting, so opening a form costs no lookup; the lookup itself counts.
   * With `withinMs`, a check still reading group membership after that long refuses as
   * `check_failed` (try again): the surface has a trigger_id to use before it dies. The read
   * goes on, so the membership is known when the person tries again.
   */
  async refusalBeforeReading(request: LookupRequest, { withinMs }: { withinMs?: number } = {}): Promise<SlackMessage | undefined> {
    const started = this.#clock();
    const { rateLimit } = this.#options;
    const check = this.#options.access.check(this.#requester(request));
    const decision = withinMs === undefined ? await check : ((await within(check, withinMs)) ?? ({ allowed: false, reason: 'check_failed' } as const));
    const rate = decision.allowed ? rateLimit.peek(request.userId) : undefined;
    if (rate?.allowed) return undefined;
    this.#options.audit.lookup({ ...this.#base(request), interactionId: null, identifierKind: null, outcome: decision.allowed ? 'rate_limited' : 'denied', cached: false, ms: this.#clock() - started });
    if (!decision.allowed) return this.#denied(decision.reason);
    return rateLimitedMessage(rateLimit.perMinute, rate && !rate.allowed ? rate.retryAfterMs : 0);
  }

  /** Never rejects: every surface posts what this resolves to, so a bug becomes the bot's own failure message. */
  async run(request: LookupRequest, lookup: InteractionRequest, presentation: Presentation, options: { refresh?: boolean } = {}): Promise<FlowResult> {
    const started = this.#clock();
    try {
      return await this.#run(request, lookup, presentation, started, options);
    } catch (error) {
      this.#options.logger.error('lookup failed unexpectedly', { error, interactionId: lookup.interactionId, identifierKind: lookup.identifier.kind });
      this.#audit(request, lookup, 'error', false, this.#clock() - started);
      return { message: lookupFailureMessage(error, lookup), allowed: true, found: false };
    }
  }

  async #run(request: LookupRequest, lookup: InteractionRequest, presentation: Presentation, started: number, { refresh = false }: { refresh?: boolean }): Promise<FlowResult> {
    const decision = await this.#options.access.check(this.#requester(request));
    if (!decision.allowed) {
      this.#audit(request, lookup, 'denied', false, this.#clock() - started);
      return { message: this.#denied(decision.reason), allowed: false, found: false };
    }
    const limited = this.#overLimit(request, lookup, this.#clock() - started, refresh ? presentation : undefined);
    if (limited) return limited;
    const answer = await this.#options.answers.answer(lookup, presentation, { refresh });
    this.#audit(request, lookup, answer.outcome, answer.cached, this.#clock() - started);
    return { message: answer.message, allowed: true, found: answer.outcome === 'found' };
  }

  /**
   * The card again, from the cache, in another presentation (after a share, without the Share button).
   * Not a new lookup, so not audited; undefined when the answer is no longer cached.
   */
  rerender(lookup: InteractionRequest, presentation: Presentation): SlackMessage | undefined {
    return this.#options.answers.fromCache(lookup, presentation)?.message;
  }

  /** Input that did not parse is audited too: someone tried. */
  recordInvalid(request: LookupRequest): void {
    this.#options.audit.lookup({ ...this.#base(request), interactionId: null, identifierKind: null, outcome: 'invalid', cached: false, ms: 0 });
  }

  /**
   * Counts the lookup against the person's minute; over the limit, an audited refusal that never reaches Luminate.
   * For a Refresh (`keep` set) the refusal is the cached card with a note, when there is one: the card stays.
   */
  #overLimit(request: LookupRequest, lookup: InteractionRequest, ms: number, keep?: Presentation): FlowResult | undefined {
    const { rateLimit } = this.#options;
    const rate = rateLimit.take(request.userId);
    if (rate.allowed) return undefined;
    this.#audit(request, lookup, 'rate_limited', false, ms);
    const kept = keep && this.#options.answers.keptCard(lookup, keep, { kind: 'rate_limited', perMinute: rateLimit.perMinute, retryAfterMs: rate.retryAfterMs });
    return { message: kept?.message ?? rateLimitedMessage(rateLimit.perMinute, rate.retryAfterMs), allowed: false, found: kept !== undefined, rateLimited: true };
  }

  #requester(request: LookupRequest) {
    return { userId: request.userId, channelId: request.channelId };
  }

  #denied(reason: 'user' | 'channel' | 'no_channel' | 'check_failed'): SlackMessage {
    return accessDeniedMessage(reason, { contact: this.#options.accessContact, channels: this.#options.access.allowedChannels });
  }

  #base(request: LookupRequest) {
    return { user: request.userId, team: request.teamId, channel: request.channelId, surface: request.surface };
  }

  #audit(request: LookupRequest, lookup: InteractionRequest, outcome: 'found' | 'not_found' | 'error' | 'denied' | 'rate_limited', cached: boolean, ms: number): void {
    this.#options.audit.lookup({
      ...this.#base(request),
      interactionId: lookup.interactionId,
      identifierKind: lookup.identifier.kind,
      outcome,
      cached,
      ms,
    });
  }
}

