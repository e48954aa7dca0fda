import { writeStdoutLine } from './stdout-lines.js';

/** How the donor was named (an email, `cons:` or `member:`): the audit's own field, so observability needs nothing of luminate/. */
type IdentifierKind = 'email' | 'cons' | 'member';

/** Where a lookup came from. Names are an interface: admins' log queries match on them. */
export type Surface = 'command' | 'message_shortcut' | 'modal' | 'refresh' | 'share' | 'list_page' | 'list_open' | 'list_back' | 'log_shortcut' | 'log_form';
/** `denied`: access refused; `rate_limited`: over LOOKUP_RATE_PER_MINUTE. Both never reach Luminate. */
export type AuditOutcome = 'found' | 'not_found' | 'invalid' | 'denied' | 'rate_limited' | 'error';

export interface LookupAuditEvent {
  user: string;
  team: string | null;
  channel: string | null;
  surface: Surface;
  interactionId: number | null;
  identifierKind: IdentifierKind | null;
  outcome: AuditOutcome;
  cached: boolean;
  ms: number;
}

export interface ShareAuditEvent {
  user: string;
  team: string | null;
  /** The channel the card was posted to, for everyone in it to read. */
  channel: string;
  threadTs: string | null;
  interactionId: number;
  identifierKind: IdentifierKind;
  /** `denied`: not posted, because Slack says (or does not deny) that people outside the organisation are in the channel. */
  outcome: 'shared' | 'denied' | 'error';
}

/** A page of a donor's list. `filters` says which were used, never a value that could identify the donor. */
export interface ListAuditEvent {
  user: string;
  team: string | null;
  channel: string | null;
  surface: Surface;
  identifierKind: IdentifierKind | null;
  filters: { since: boolean; until: boolean; typeId: string | null };
  page: number;
  rows: number;
  outcome: AuditOutcome;
  cached: boolean;
  ms: number;
}

/** How a "Log to Luminate" ended. `uncertain`: sent, but Luminate's answer never said whether it was recorded. */
export type LogAuditOutcome = 'logged' | 'failed' | 'denied' | 'invalid' | 'uncertain';

/** One attempt to write an interaction. Never the donor, the subject or the note. */
export interface LogAuditEvent {
  user: string;
  team: string | null;
  channel: string | null;
  surface: Surface;
  identifierKind: IdentifierKind | null;
  typeId: number | null;
  outcome: LogAuditOutcome;
  ms: number;
}

export interface AuditLog {
  lookup(event: LookupAuditEvent): void;
  share(event: ShareAuditEvent): void;
  list(event: ListAuditEvent): void;
  log(event: LogAuditEvent): void;
}

/**
 * One JSON line per lookup, refusal, share and log, on stdout beside the logs, whatever
 * LOG_LEVEL says. Deliberately holds no donor data: no email, no note, no subject.
 */
export function createAuditLog({
  write = writeStdoutLine,
  clock = Date.now,
  replica,
}: {
  write?: (line: string) => void;
  clock?: () => number;
  /** `REPLICA_ID`, as field `replica` on every line: which process served the request. */
  replica?: string;
} = {}): AuditLog {
  const where = replica === undefined ? {} : { replica };
  const emit = (event: string, fields: object) => write(`${JSON.stringify({ event, ...fields, ...where, at: new Date(clock()).toISOString() })}\n`);
  return {
    lookup: (e) =>
      emit('interaction.lookup', {
        user: e.user,
        team: e.team,
        channel: e.channel,
        surface: e.surface,
        interactionId: e.interactionId,
        identifierKind: e.identifierKind,
        outcome: e.outcome,
        cached: e.cached,
        ms: Math.round(e.ms),
      }),
    share: (e) =>
      emit('interaction.share', {
        user: e.user,
        team: e.team,
        channel: e.channel,
        threadTs: e.threadTs,
        interactionId: e.interactionId,
        identifierKind: e.identifierKind,
        outcome: e.outcome,
      }),
    list: (e) =>
      emit('interaction.list', {
        user: e.user,
        team: e.team,
        channel: e.channel,
        surface: e.surface,
        identifierKind: e.identifierKind,
        filters: e.filters,
        page: e.page,
        rows: e.rows,
        outcome: e.outcome,
        cached: e.cached,
        ms: Math.round(e.ms),
      }),
    log: (e) =>
      emit('interaction.log', {
        user: e.user,
        team: e.team,
        channel: e.channel,
        surface: e.surface,
        identifierKind: e.identifierKind,
        typeId: e.typeId,
        outcome: e.outcome,
        ms: Math.round(e.ms),
      }),
  };
}
