import { createHash } from 'node:crypto';
import type { AccessDecision, Requester as AccessRequester } from '../access/access-policy.js';
import type { RateDecision } from '../access/rate-limit.js';
import type { Clock } from '../clock.js';
import type { Constituent, DonorSource, InteractionLog } from '../luminate/client.js';
import { LuminateError, LuminateWriteUncertainError } from '../luminate/errors.js';
import { identifierKey, type ConstituentIdentifier } from '../luminate/identifiers.js';
import type { InteractionToLog } from '../luminate/log-interaction.js';
import type { AuditLog, LogAuditOutcome } from '../observability/audit.js';
import type { Logger } from '../observability/logger.js';
import { within } from '../within.js';
import type { Caches } from './caches.js';
import { findLogged } from './find-logged.js';
import { claimOnce, LogOnceUnconfirmedError, type ClaimingStore } from './log-once.js';
import type { CardData, Refusal, Requester } from './outcomes.js';

/** Why a log was refused before anything was sent: a lookup's refusals, logging turned off, or not in SLACK_ALLOWED_LOGGERS. */
export type LogRefusal = Refusal | { kind: 'logging_disabled' } | { kind: 'not_a_logger' };

/** How "Log to Luminate" ended, as data: slack/ words it. */
export type LogOutcome =
  /** Recorded. `card`: the new interaction, found in the donor's list; null when it could not be found. */
  | { kind: 'logged'; identifier: ConstituentIdentifier; card: CardData | null; donor?: Constituent; consId: string | null }
  /** Sent, and Luminate's answer never said whether it was recorded: never retried. */
  | { kind: 'uncertain'; identifier: ConstituentIdentifier; error: LuminateWriteUncertainError }
  /** Nothing was recorded: Luminate refused it, or could not be reached before sending. */
  | { kind: 'failed'; identifier: ConstituentIdentifier; error: unknown }
  /** This form, or the same entry from this person, was already sent within the replay window: nothing more was. */
  | { kind: 'duplicate' }
  | { kind: 'refused'; refusal: LogRefusal };

/** What the form sent, checked. */
export interface LogSubmission {
  /** The modal's view id: one form logs at most once. */
  viewId: string;
  entry: InteractionToLog;
  /**
   * What identifies the entry for the second-click guard beside donor, subject and type: the note as
   * entered (without the provenance line) and the message the form came from.
   */
  entered: { note: string; channelId: string | null; messageTs: string | null };
}

type MaybeAsync<T> = T | Promise<T>;

/** The replay store's shape (memory or Redis): shared by replicas when Redis is configured. */
export interface OnceStore extends ClaimingStore {
  /** Absent: a write that failed cleanly can be tried again only after the window. */
  forget?(key: string): MaybeAsync<void>;
}

interface Policy {
  peek(requester: AccessRequester): AccessDecision | undefined;
  check(requester: AccessRequester): Promise<AccessDecision>;
}

export interface LogServiceOptions {
  /** LUMINATE_LOGGING_ENABLED. */
  enabled: boolean;
  /** The lookup allow-lists and channel limits. */
  access: Policy;
  /** SLACK_ALLOWED_LOGGERS, on top of `access`; empty lets everyone through. */
  loggers: Policy;
  /** LOOKUP_RATE_PER_MINUTE: one log counts as one lookup. */
  rateLimit: { perMinute: number; peek(userId: string): MaybeAsync<RateDecision>; take(userId: string): MaybeAsync<RateDecision> };
  once: OnceStore;
  /** The write and the list read that finds it. Absent: logging stays off whatever `enabled` says. */
  luminate?: InteractionLog & Pick<DonorSource, 'getUserInteractions'>;
  caches: Caches;
  audit: AuditLog;
  logger: Logger;
  clock?: Clock;
}


/**
 * "Log to Luminate": access, then SLACK_ALLOWED_LOGGERS, then the exactly-once guard, then the
 * rate limit, then the one write, then finding what was written and dropping the donor's
 * cached lists. One audit line per attempt, without the donor, the subject or the note.
 */
export class LogService {
  readonly #o: LogServiceOptions;
  readonly #clock: Clock;
  /** Undefined while logging is off. */
  readonly #luminate: LogServiceOptions['luminate'];

  constructor(options: LogServiceOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
    this.#luminate = options.enabled ? options.luminate : undefined;
  }

  get enabled(): boolean {
    return this.#luminate !== undefined;
  }

  /**
   * Whether the form may be opened, decided before the message is read (audited when refused).
   * Peeks at the rate limit without counting: the log itself counts. With `withinMs`, a check still
   * reading group membership after that long refuses as `check_failed`, as lookups do.
   */
  async refusalBeforeForm(requester: Requester, { withinMs }: { withinMs?: number } = {}): Promise<LogRefusal | undefined> {
    const started = this.#clock();
    // The limit's peek (Redis) is inside the bound too: the trigger's 3 s count it as well.
    const checked = this.#refusal(requester, 'peek').then((refused) => ({ refused }));
    const decided = withinMs === undefined ? await checked : await within(checked, withinMs);
    const refusal = decided ? decided.refused : ({ kind: 'denied', reason: 'check_failed' } as const);
    if (refusal) this.#audit(requester, null, 'denied', this.#clock() - started);
    return refusal;
  }

  /** A form that did not validate: nothing sent, but someone tried. */
  recordInvalid(requester: Requester): void {
    this.#audit(requester, null, 'invalid', 0);
  }

  /** Never rejects: a bug becomes `failed` (nothing sent, or the write's own error). */
  async log(requester: Requester, { viewId, entry, entered }: LogSubmission): Promise<LogOutcome> {
    const started = this.#clock();
    const done = (outcome: LogAuditOutcome) => this.#audit(requester, entry, outcome, this.#clock() - started);
    const { identifier } = entry;
    let keys: string[] = [];
    try {
      const luminate = this.#luminate;
      const refusal = await this.#refusal(requester, 'skip');
      if (refusal || !luminate) {
        done('denied');
        return { kind: 'refused', refusal: refusal ?? { kind: 'logging_disabled' } };
      }
      keys = onceKeys(requester, viewId, entry, entered);
      for (const [i, key] of keys.entries()) {
        const claim = await claimOnce(this.#o.once, key);
        if (claim !== 'first') {
          // The keys claimed here are this attempt's: the first attempt holds the others.
          keys = keys.slice(0, i);
          // Fail closed: another replica may be sending this very form; released below, nothing sent.
          if (claim === 'unconfirmed') throw new LogOnceUnconfirmedError();
          await this.#forget(keys);
          // `denied` also covers "already sent" (README's audit table): issue 14's outcomes have no other.
          done('denied');
          return { kind: 'duplicate' };
        }
      }
      // Counted only once the guard let it through: a double click costs no lookup.
      const limited = await this.#rate(requester, 'take');
      if (limited) {
        await this.#forget(keys);
        keys = [];
        done('denied');
        return { kind: 'refused', refusal: limited };
      }
      const sentAt = this.#clock();
      const logged = await luminate.logInteraction(entry);
      const found = await findLogged({ luminate, caches: this.#o.caches, logger: this.#o.logger, clock: this.#clock, dropLists: (ids) => this.#lists(ids) }, entry, sentAt, logged.consId);
      done('logged');
      return { kind: 'logged', identifier, ...found };
    } catch (error) {
      if (error instanceof LuminateWriteUncertainError) {
        // The guard stays: trying again could record it twice.
        this.#o.logger.warn('logInteraction may or may not have been recorded', { error, identifierKind: identifier.kind, cause: error.uncertainCause });
        await this.#lists([identifier]);
        done('uncertain');
        return { kind: 'uncertain', identifier, error };
      }
      // Nothing was recorded: the same entry may be sent again once fixed or once Luminate is back.
      await this.#forget(keys);
      if (error instanceof LogOnceUnconfirmedError) this.#o.logger.warn('the log-once guard could not be confirmed in Redis; nothing was sent', { identifierKind: identifier.kind });
      else if (error instanceof LuminateError) this.#o.logger.warn('logInteraction failed; nothing was recorded', { error, identifierKind: identifier.kind });
      else this.#o.logger.error('log failed unexpectedly', { error, identifierKind: identifier.kind });
      done('failed');
      return { kind: 'failed', identifier, error };
    }
  }

  /** Access, then loggers, then the rate limit: `peek` to open the form, `skip` when the log takes its token later. */
  async #refusal(requester: Requester, rate: 'peek' | 'skip'): Promise<LogRefusal | undefined> {
    const { access, loggers } = this.#o;
    if (!this.#luminate) return { kind: 'logging_disabled' };
    const lookup = await access.check(requester);
    const decision = lookup.allowed ? await loggers.check(requester) : lookup;
    if (!decision.allowed) {
      // Allowed to look up but not listed as a logger: its own words.
      if (decision.reason === 'user' && access.peek(requester)?.allowed) return { kind: 'not_a_logger' };
      return { kind: 'denied', reason: decision.reason };
    }
    return rate === 'skip' ? undefined : this.#rate(requester, rate);
  }

  async #rate(requester: Requester, how: 'peek' | 'take'): Promise<LogRefusal | undefined> {
    const { rateLimit } = this.#o;
    const decision = how === 'take' ? await rateLimit.take(requester.userId) : await rateLimit.peek(requester.userId);
    if (decision.allowed) return undefined;
    return { kind: 'rate_limited', perMinute: rateLimit.perMinute, retryAfterMs: decision.retryAfterMs };
  }

  /** Never rejects: with a shared level, resolves once every replica can know the donor's lists are stale. */
  #lists(identifiers: ConstituentIdentifier[]): Promise<void> {
    return identifiers.length === 0 ? Promise.resolve() : this.#o.caches.lists.dropDonor(identifiers);
  }

  async #forget(keys: readonly string[]): Promise<void> {
    const { once, logger } = this.#o;
    if (!once.forget) return;
    for (const key of keys) await Promise.resolve(once.forget(key)).catch((error: unknown) => logger.warn('could not release a log guard', { error }));
  }

  #audit(requester: Requester, entry: InteractionToLog | null, outcome: LogAuditOutcome, ms: number): void {
    this.#o.audit.log({
      user: requester.userId,
      team: requester.teamId,
      channel: requester.channelId,
      surface: requester.surface,
      identifierKind: entry?.identifier.kind ?? null,
      typeId: entry?.typeId ?? null,
      outcome,
      ms,
    });
  }
}


/**
 * The guard's keys: the form (a double submit, a replay), and what this person entered on this
 * message (a second click on the same message). Not the note's provenance line: it holds the
 * permalink only when Slack gave it in time, so a second click could differ by it alone. Hashed,
 * as the replay guard's are: no donor or note in the store.
 */
function onceKeys(requester: Requester, viewId: string, { identifier, subject, typeId }: InteractionToLog, entered: LogSubmission['entered']): string[] {
  const who = `${requester.teamId ?? ''}|${requester.userId}`;
  const hash = (text: string) => createHash('sha256').update(text).digest('base64url');
  const entry = [who, identifierKey(identifier), subject, entered.note, typeId, entered.channelId, entered.messageTs];
  return [`log-view|${hash(`${who}|${viewId}`)}`, `log-entry|${hash(JSON.stringify(entry))}`];
}
