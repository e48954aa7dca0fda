import type { DenialReason, Refusal } from '../../service/outcomes.js';
import { notice, type SlackMessage } from './message.js';
import { mrkdwn } from './mrkdwn.js';

/** A Slack id becomes a mention; anything else is shown as (escaped) words. */
export function contactText(contact: string | undefined): string {
  if (!contact) return 'whoever manages the Luminate Interactions app in your workspace';
  if (/^[UW][A-Z0-9]{2,}$/.test(contact)) return `<@${contact}>`;
  if (/^S[A-Z0-9]{2,}$/.test(contact)) return `<!subteam^${contact}>`;
  if (/^C[A-Z0-9]{2,}$/.test(contact)) return `<#${contact}>`;
  return mrkdwn(contact, 200);
}

/** Who grants access (`SLACK_ACCESS_CONTACT`) and where lookups are allowed (`SLACK_ALLOWED_CHANNELS`), for refusals. */
export interface AccessHelp {
  contact?: string;
  channels: readonly string[];
}

/** What a refused person reads, whichever the refusal. */
export function refusalMessage(refusal: Refusal, help: AccessHelp): SlackMessage {
  return refusal.kind === 'denied' ? accessDeniedMessage(refusal.reason, help) : rateLimitedMessage(refusal.perMinute, refusal.retryAfterMs);
}

/** What a refused person reads: why, and who can change it. Never anything about the donor. */
export function accessDeniedMessage(reason: DenialReason, { contact, channels }: AccessHelp): SlackMessage {
  const who = contactText(contact);
  const channelList = channels.slice(0, 10).map((c) => `<#${c}>`).join(', ');
  switch (reason) {
    case 'user':
      return notice(':no_entry:', "You don't have access to donor interactions from Luminate Online.", `Ask ${who} to add you.`, `You don't have access to donor interactions. Ask ${who} to add you.`);
    case 'channel':
      return notice(
        ':no_entry:',
        "Donor interactions can't be looked up in this channel.",
        `Use ${channelList || 'an allowed channel'}, or ask ${who} to allow this one.`,
        "Donor interactions can't be looked up in this channel.",
      );
    case 'no_channel':
      return notice(
        ':no_entry:',
        'Donor interactions can only be looked up from allowed channels.',
        `Use \`/interaction\` or the message shortcut in ${channelList || 'an allowed channel'}.`,
        'Donor interactions can only be looked up from allowed channels.',
      );
    case 'check_failed':
      return notice(
        ':warning:',
        "The bot couldn't confirm your access just now: Slack did not answer.",
        `Try again in a minute. If it keeps happening, tell ${who}.`,
        "The bot couldn't confirm your access just now. Try again in a minute.",
      );
  }
}

/** Over LOOKUP_RATE_PER_MINUTE: how long to wait, and why the limit exists. */
export function rateLimitedMessage(perMinute: number, retryAfterMs: number): SlackMessage {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const headline = `You've made ${perMinute} lookups in the last minute, the most the bot allows.`;
  return notice(':hourglass:', headline, `Try again in ${seconds} second${seconds === 1 ? '' : 's'}. The limit keeps donor records from being read in bulk.`, `${headline} Try again in ${seconds} s.`);
}

/** A request from a workspace the bot is not installed in (it serves only its own). */
export function otherWorkspaceMessage(): SlackMessage {
  return notice(':no_entry:', 'This app only answers in the workspace it is installed in.', 'Ask an admin of your own workspace to install it there.', 'This app only answers in the workspace it is installed in.');
}

