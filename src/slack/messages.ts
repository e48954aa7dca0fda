import type { types } from '@slack/bolt';
import { LuminateApiError, LuminateCircuitOpenError, LuminateError, LuminateTimeoutError } from '../luminate/errors.js';
import { formatIdentifier, type InteractionLookup } from '../luminate/lookup.js';
import { COMMAND_FORM } from '../lookup/parse.js';
import type { SlackMessage } from './interaction-card.js';
import { LIMITS, mrkdwn, truncateMrkdwn } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;

/**
 * What a person reads when a lookup fails: what happened, and what to do.
 * Both are mrkdwn, with anything from Luminate or the person already escaped.
 */
export interface FailureDescription {
  /** Who can fix it: the person asking, or an admin of the bot. */
  audience: 'user' | 'admin';
  headline: string;
  action: string;
}

const who = (lookup: InteractionLookup) => mrkdwn(formatIdentifier(lookup.identifier), 300);
const quoteLuminate = (error: LuminateApiError) =>
  `code ${mrkdwn(error.code, 20)}${error.luminateMessage ? `: “${mrkdwn(error.luminateMessage, 500)}”` : ''}`;

/**
 * The one mapping from a failed lookup to words. Luminate's codes are the
 * contract (`docs/luminate-api.md`); its messages are shown only where
 * nothing better can be said, and never credentials or raw bodies.
 */
export function describeLookupFailure(error: unknown, lookup: InteractionLookup): FailureDescription {
  const id = `*${lookup.interactionId}*`;
  if (!(error instanceof LuminateError)) {
    return {
      audience: 'admin',
      headline: 'Something went wrong inside the bot while looking that up.',
      action: 'Try again. If it keeps happening, tell whoever runs the bot: the details are in its logs.',
    };
  }
  if (error instanceof LuminateApiError) {
    switch (error.reason) {
      case 'not_found':
        return {
          audience: 'user',
          headline: `Luminate Online has no interaction ${id} for *${who(lookup)}*.`,
          action: 'Check the interaction id and the donor. If the email may not be their primary one, try their constituent id: `/interaction <id> cons:<constituent id>`.',
        };
      case 'ambiguous':
        return {
          audience: 'user',
          headline: `More than one constituent matches *${who(lookup)}*.`,
          action: 'Use their constituent or member id instead: `/interaction <id> cons:<constituent id>` or `member:<member id>`.',
        };
      case 'bad_api_key':
        return {
          audience: 'admin',
          headline: "Luminate Online rejected the bot's API key.",
          action: 'Ask an admin of the bot to check `LUMINATE_API_KEY` against Setup → Open API Configuration in Luminate Online.',
        };
      case 'login_rejected':
        return {
          audience: 'admin',
          headline: "Luminate Online rejected the bot's service account.",
          action: "Ask an admin of the bot to check the API administrator account (`LUMINATE_LOGIN_NAME`, and whether its password has expired) and that the bot's server is on Luminate's API IP allow-list.",
        };
      case 'ip_not_allowed':
        return {
          audience: 'admin',
          headline: "Luminate Online refused the bot's server: its IP address is not on the API allow-list.",
          action: "Ask an admin to add the server's public IP under Setup → Open API Configuration in Luminate Online (CIDR form, e.g. `203.0.113.7/32`).",
        };
      case 'not_permitted':
        return {
          audience: 'admin',
          headline: "The bot's service account is not allowed to read interactions.",
          action: 'Ask an admin to give the API administrator account permission for `getInteraction` in Luminate Online.',
        };
      case 'bot_bug':
        return {
          audience: 'admin',
          headline: `Luminate Online refused the bot's request (${quoteLuminate(error)}).`,
          action: 'This is a fault in the bot or its setup (check `LUMINATE_URL` points at the site, ending in `/site`). Please tell an admin of the bot.',
        };
      case 'cannot_process':
        return {
          audience: 'user',
          headline: `Luminate Online could not process the request (${quoteLuminate(error)}).`,
          action: 'Check the interaction id and try again. If it keeps happening, tell an admin of the bot.',
        };
      case 'other':
        return {
          audience: 'admin',
          headline: `Luminate Online answered with an error (${quoteLuminate(error)}).`,
          action: 'Try again in a minute. If it keeps happening, tell an admin of the bot.',
        };
    }
  }
  if (error instanceof LuminateCircuitOpenError) {
    return {
      audience: 'user',
      headline: 'Luminate Online is not answering right now.',
      action: 'After repeated failures the bot is giving it a short rest. Try again in a minute.',
    };
  }
  if (error instanceof LuminateTimeoutError) {
    return {
      audience: 'user',
      headline: `Luminate Online did not answer within ${Math.max(1, Math.round(error.timeoutMs / 1000))} seconds.`,
      action: 'It may be busy or down. Try again in a minute.',
    };
  }
  switch (error.kind) {
    case 'unavailable':
      return {
        audience: 'user',
        headline: 'Luminate Online is unavailable right now.',
        action: 'Try again in a few minutes. If it lasts, check Blackbaud’s status page or tell an admin of the bot.',
      };
    default:
      return {
        audience: 'admin',
        headline: 'Luminate Online answered with something that is not a valid response.',
        action: 'This is often a maintenance page: try again later. If it lasts, tell an admin of the bot (check `LUMINATE_URL`).',
      };
  }
}

function notice(emoji: string, headline: string, detail: string, fallback: string): SlackMessage {
  return {
    text: truncateMrkdwn(fallback, LIMITS.fallbackText),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(`${emoji} ${headline}`, LIMITS.sectionText) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: truncateMrkdwn(detail, LIMITS.contextText) }] },
    ],
  };
}

export function lookupFailureMessage(error: unknown, lookup: InteractionLookup): SlackMessage {
  const { headline, action } = describeLookupFailure(error, lookup);
  return notice(':warning:', headline, action, `${headline} ${action}`);
}

export function invalidInputMessage(problem: string): SlackMessage {
  const headline = mrkdwn(problem, 1000);
  const form = `Use \`${mrkdwn(COMMAND_FORM, 200)}\`, e.g. \`/interaction 1000 jane@example.org\`. Type \`/interaction help\` for more.`;
  return notice(':thinking_face:', headline, form, `${headline} ${form}`);
}

export function lookingUpMessage(lookup: InteractionLookup): SlackMessage {
  const text = `:hourglass_flowing_sand: Looking up interaction *${lookup.interactionId}* for *${who(lookup)}* in Luminate Online…`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] };
}

export function usageMessage(): SlackMessage {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Look up a Luminate Online interaction*\n\`${mrkdwn(COMMAND_FORM, 200)}\`\nOnly you see the answer.`,
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          '*Examples*',
          '• `/interaction 1000 jane@example.org`: by the donor’s primary email',
          '• `/interaction 1000 cons:1001001`: by constituent id (use it when several donors share an email)',
          '• `/interaction 1000 member:JD-1001`: by your organisation’s member id',
        ].join('\n'),
      },
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'The interaction id is the number Luminate Online shows on the constituent’s Interactions tab.' }],
    },
  ];
  return { text: `Look up a Luminate Online interaction: ${mrkdwn(COMMAND_FORM, 200)}`, blocks };
}

/** A Slack id becomes a mention; anything else is shown as (escaped) words. */
function contactText(contact: string | undefined): string {
  if (!contact) return 'whoever manages the Luminate Interactions app in your workspace';
  if (/^[UW][A-Z0-9]{2,}$/.test(contact)) return `<@${contact}>`;
  if (/^S[A-Z0-9]{2,}$/.test(contact)) return `<!subteam^${contact}>`;
  if (/^C[A-Z0-9]{2,}$/.test(contact)) return `<#${contact}>`;
  return mrkdwn(contact, 200);
}

export type DenialReason = 'user' | 'channel' | 'no_channel' | 'check_failed';

/** What a refused person reads: why, and who can change it. Never anything about the donor. */
export function accessDeniedMessage(reason: DenialReason, { contact, channels }: { contact?: string; channels: readonly string[] }): SlackMessage {
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

/** Why a Share did not reach the channel, and what to do about it. */
export function shareFailedMessage(reason: 'no_channel' | 'not_member' | 'rejected'): SlackMessage {
  const text = {
    no_channel: ':warning: There is no channel to share this card into.',
    not_member: ':warning: The bot is not in this channel, so it cannot share here. Add it with `/invite @Luminate Interactions`, then try again.',
    rejected: ':warning: Slack did not accept the shared card. Try again in a minute.',
  }[reason];
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** Tells the asker their card was shared; its text also goes under their card. */
export function sharedMessage(channelId: string): SlackMessage {
  const text = `:white_check_mark: You shared this in <#${channelId}>.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
