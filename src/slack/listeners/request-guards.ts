import { createHash } from 'node:crypto';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { replayKey, type ReplayStore } from '../../access/replay-guard.js';
import type { AuditLog, Surface } from '../../observability/audit.js';
import { CARD_ACTIONS } from '../render/action-ids.js';
import { LOG_FORM } from '../render/log-form.js';
import { otherWorkspaceMessage } from '../render/refusal-messages.js';
import type { Logger } from '../../observability/logger.js';
import { originOf, type ResponseUrls } from '../response-url.js';
import { LOG_SHORTCUT_CALLBACK_ID } from './shortcuts/log-shortcut.js';

/** The workspace (and Enterprise Grid org) the bot token belongs to, from `auth.test`. */
export interface OwnWorkspace {
  teamId: string;
  enterpriseId: string | null;
}

type Body = Record<string, unknown>;
type Ack = (response?: unknown) => Promise<void>;

/**
 * A signed request already processed is answered with an empty ack and
 * touches nothing: no audit line, no rate token, no card in the reply. Slack
 * itself never sends one user action twice; a repeat is someone replaying a
 * captured request while its signature is still accepted (5 minutes either side
 * of its date, so up to 10 minutes after it first arrives: REPLAY_WINDOW_MS).
 */
export function replayGuard(store: ReplayStore, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Body;
    // Hashed: the fields are the sender's to make as long as they like, and the store holds every key for minutes.
    const key = createHash('sha256').update(replayKey(body) ?? `body|${JSON.stringify(body)}`).digest('base64url');
    if (await store.firstSeen(key)) return args.next();
    logger.warn('ignored a request already processed (replay)', { type: body.type ?? 'command', team: teamOf(body), user: userOf(body) });
    await (args as { ack?: Ack }).ack?.();
  };
}

/**
 * The bot is installed in one workspace; a signed payload naming another team
 * (or another Enterprise Grid org) did not come from its install. Refused
 * before any listener, with one audit line. No org-wide install is supported.
 */
export function workspaceGuard(own: () => OwnWorkspace | undefined, audit: AuditLog, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Body;
    const workspace = own();
    const team = teamOf(body);
    const enterprise = enterpriseOf(body);
    if (workspace && team === workspace.teamId && (enterprise === null || enterprise === workspace.enterpriseId)) return args.next();
    logger.warn('refused a request from another workspace', { team, enterprise });
    const who = { user: userOf(body) ?? '', team, channel: channelOf(body), identifierKind: null, outcome: 'denied', ms: 0 } as const;
    // An attempt to write is audited as one (interaction.log), so whoever watches logging sees it.
    const log = logSurfaceOf(body);
    if (log) audit.log({ ...who, surface: log, typeId: null });
    else audit.lookup({ ...who, surface: surfaceOf(body), interactionId: null, cached: false });
    const ack = (args as { ack?: Ack }).ack;
    // Only a command's ack can carry a message; every other payload type takes an empty one.
    await ack?.(typeof body.command === 'string' ? { response_type: 'ephemeral', ...otherWorkspaceMessage() } : undefined);
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const field = (v: unknown, name: string): unknown => (typeof v === 'object' && v !== null ? (v as Body)[name] : undefined);

const teamOf = (body: Body) => str(body.team_id) ?? str(field(body.team, 'id'));
const enterpriseOf = (body: Body) => str(body.enterprise_id) ?? str(field(body.enterprise, 'id'));
const userOf = (body: Body) => str(body.user_id) ?? str(field(body.user, 'id'));
const channelOf = (body: Body) => str(body.channel_id) ?? str(field(body.channel, 'id'));

/** The log shortcut and the log form, by the callback id Slack echoes back; undefined for everything else. */
function logSurfaceOf(body: Body): Extract<Surface, 'log_shortcut' | 'log_form'> | undefined {
  if (body.type === 'message_action' && body.callback_id === LOG_SHORTCUT_CALLBACK_ID) return 'log_shortcut';
  if ((body.type === 'view_submission' || body.type === 'view_closed') && field(body.view, 'callback_id') === LOG_FORM.callbackId) return 'log_form';
  return undefined;
}

function surfaceOf(body: Body): Surface {
  if (typeof body.command === 'string') return 'command';
  if (body.type === 'message_action') return 'message_shortcut';
  if (body.type === 'block_actions') return field(Array.isArray(body.actions) ? body.actions[0] : undefined, 'action_id') === CARD_ACTIONS.share ? 'share' : 'refresh';
  return 'modal';
}

/**
 * Slack's response_urls are all on hooks.slack.com; a signed payload naming
 * another host is refused before any work, so no lookup is made for an answer
 * that could only go somewhere else. (The poster refuses such URLs as well.)
 */
export function responseUrlGuard(responseUrls: ResponseUrls, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Body;
    const urls = [body.response_url, ...(Array.isArray(body.response_urls) ? body.response_urls.map((r) => field(r, 'response_url')) : [])];
    const refused = urls.find((url): url is string => typeof url === 'string' && !responseUrls.allowed(url));
    if (refused === undefined) return args.next();
    logger.warn("refused a request whose response_url is not Slack's", { type: body.type ?? 'command', team: teamOf(body), user: userOf(body), origin: originOf(refused) });
    await (args as { ack?: Ack }).ack?.();
  };
}
