import type { AccessPolicy } from '../access/access-policy.js';
import type { LookupRateLimit } from '../access/rate-limit.js';
import type { AuditLog, Surface } from '../audit.js';
import type { InteractionLookup } from '../luminate/lookup.js';
import type { LookupAnswers, Presentation } from '../lookup/answer-lookups.js';
import type { Clock } from '../lookup/interaction-lookups.js';
import type { SlackMessage } from '../slack/interaction-card.js';
import { accessDeniedMessage, rateLimitedMessage } from '../slack/messages.js';

/** Who asked, from where, through which surface. */
export interface LookupRequest {
  userId: string;
  teamId: string | null;
  channelId: string | null;
  surface: Surface;
}

export interface FlowResult {
  message: SlackMessage;
  /** False when access was refused: nothing about the donor is in `message`. */
  allowed: boolean;
  found: boolean;
}

export interface LookupFlowOptions {
  answers: LookupAnswers;
  access: AccessPolicy;
  rateLimit: LookupRateLimit;
  audit: AuditLog;
  /** `SLACK_ACCESS_CONTACT`: named in refusals. */
  accessContact: string | undefined;
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
  immediate(request: LookupRequest, lookup: InteractionLookup, presentation: Presentation): FlowResult | undefined {
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

  async run(request: LookupRequest, lookup: InteractionLookup, presentation: Presentation, { refresh = false } = {}): Promise<FlowResult> {
    const started = this.#clock();
    const decision = await this.#options.access.check(this.#requester(request));
    if (!decision.allowed) {
      this.#audit(request, lookup, 'denied', false, this.#clock() - started);
      return { message: this.#denied(decision.reason), allowed: false, found: false };
    }
    const limited = this.#overLimit(request, lookup, this.#clock() - started);
    if (limited) return limited;
    const answer = await this.#options.answers.answer(lookup, presentation, { refresh });
    this.#audit(request, lookup, answer.outcome, answer.cached, this.#clock() - started);
    return { message: answer.message, allowed: true, found: answer.outcome === 'found' };
  }

  /**
   * The card again, from the cache, in another presentation (after a share, without the Share button).
   * Not a new lookup, so not audited; undefined when the answer is no longer cached.
   */
  rerender(lookup: InteractionLookup, presentation: Presentation): SlackMessage | undefined {
    return this.#options.answers.fromCache(lookup, presentation)?.message;
  }

  /** Input that did not parse is audited too: someone tried. */
  recordInvalid(request: LookupRequest): void {
    this.#options.audit.lookup({ ...this.#base(request), interactionId: null, identifierKind: null, outcome: 'invalid', cached: false, ms: 0 });
  }

  /** Counts the lookup against the person's minute; over the limit, an audited refusal that never reaches Luminate. */
  #overLimit(request: LookupRequest, lookup: InteractionLookup, ms: number): FlowResult | undefined {
    const { rateLimit } = this.#options;
    const rate = rateLimit.take(request.userId);
    if (rate.allowed) return undefined;
    this.#audit(request, lookup, 'rate_limited', false, ms);
    return { message: rateLimitedMessage(rateLimit.perMinute, rate.retryAfterMs), allowed: false, found: false };
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

  #audit(request: LookupRequest, lookup: InteractionLookup, outcome: 'found' | 'not_found' | 'error' | 'denied' | 'rate_limited', cached: boolean, ms: number): void {
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
