import type { types } from '@slack/bolt';
import { LuminateApiError, LuminateBadResponseError, LuminateCircuitOpenError, LuminateError, LuminateNotVisibleError, LuminateTimeoutError } from '../luminate/errors.js';
import { formatIdentifier, type ConstituentIdentifier, type InteractionRequest } from '../luminate/identifiers.js';
import { COMMAND_FORM, LIST_FORM } from '../lookup/parse.js';
import type { SlackMessage } from './interaction-card.js';
import { LIMITS, describeAge, mrkdwn, truncateMrkdwn } from './mrkdwn.js';

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

const who = (lookup: InteractionRequest) => mrkdwn(formatIdentifier(lookup.identifier), 300);
const code = (error: LuminateApiError) => `code ${mrkdwn(error.code, 20)}`;
/**
 * How to write the command with an id, escaped: Slack reads `<…>` as its own
 * syntax even inside backticks, so the placeholders would show garbled.
 */
const BY_CONS = '`/interaction &lt;id&gt; cons:&lt;constituent id&gt;`';
const BY_MEMBER = '`member:&lt;member id&gt;`';

/**
 * The one mapping from a failed lookup to words. Luminate's codes are the
 * contract (`docs/luminate-api.md`); its messages are never shown: they can
 * echo the request (the API key, the password, a donor's email), so people read
 * the code and our own wording.
 */
export function describeLookupFailure(error: unknown, lookup: InteractionRequest): FailureDescription {
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
          action: `Check the interaction id: it is the number on the donor’s Interactions tab. If the interaction may belong to another donor, look them up by constituent id: ${BY_CONS}.`,
        };
      case 'no_constituent':
        return {
          audience: 'user',
          headline: `No donor in Luminate Online matches *${who(lookup)}*.`,
          action: `Check the donor: an email must be their primary one. Or use their constituent or member id: ${BY_CONS} or ${BY_MEMBER}.`,
        };
      case 'ambiguous':
        return {
          audience: 'user',
          headline: `More than one constituent matches *${who(lookup)}*.`,
          action: `Use their constituent or member id instead: ${BY_CONS} or ${BY_MEMBER}.`,
        };
      case 'bad_input':
        return {
          audience: 'user',
          headline: `Luminate Online did not accept what you typed (${code(error)}).`,
          action: 'Check the interaction id and the donor for typos, extra characters or unusual symbols: the same input will be refused every time.',
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
          headline: `Luminate Online refused the bot's request (${code(error)}).`,
          action: 'This is a fault in the bot or its setup (check `LUMINATE_URL` points at the site, ending in `/site`). Please tell an admin of the bot.',
        };
      case 'cannot_process':
        return {
          audience: 'user',
          headline: `Luminate Online could not process the request (${code(error)}).`,
          action: "Check the interaction id and the donor, and try again. If it keeps happening, tell an admin of the bot: Luminate's API call log (Setup → Open API Configuration) has the details.",
        };
      case 'other':
        return {
          audience: 'admin',
          headline: `Luminate Online answered with an error (${code(error)}).`,
          action: 'Try again in a minute. If it keeps happening, tell an admin of the bot.',
        };
    }
  }
  if (error instanceof LuminateNotVisibleError) {
    return {
      audience: 'user',
      headline: `Luminate Online returned nothing for interaction ${id} of *${who(lookup)}*: it was not found, or is not visible to the bot's service account.`,
      action: "Check the interaction id and the donor. If both are right, an admin can check what the bot's service account may see in Luminate Online.",
    };
  }
  if (error instanceof LuminateBadResponseError) {
    switch (error.problem) {
      case 'blocked':
        return {
          audience: 'admin',
          headline: "Something in front of Luminate Online refused the bot's request: it never reached the API.",
          action: "Ask an admin of the bot to check that the server's public IP is on Luminate's API IP allow-list (Setup → Open API Configuration) and that no firewall or proxy blocks it.",
        };
      case 'redirect': {
        const where = error.locationHost ? ` to ${mrkdwn(error.locationHost, 253)}` : '';
        return {
          audience: 'admin',
          headline: `Luminate Online redirected the bot${where} instead of answering.`,
          action: "Ask an admin of the bot to set `LUMINATE_URL` to the site's own address (secure2, secure3 or a custom domain, ending in `/site`).",
        };
      }
      case 'mismatch':
        return {
          audience: 'user',
          headline: `Luminate Online's answer for interaction ${id} couldn't be confirmed: it was about another record, so it is not shown.`,
          action: 'Try again in a minute. If it keeps happening, tell an admin of the bot.',
        };
      default:
        break;
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
      // verbatim: the headline can quote what a person typed or Luminate said; a plain @here in it must not notify.
      { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: truncateMrkdwn(`${emoji} ${headline}`, LIMITS.sectionText) } },
      { type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: truncateMrkdwn(detail, LIMITS.contextText) }] },
    ],
  };
}

export function lookupFailureMessage(error: unknown, lookup: InteractionRequest): SlackMessage {
  const { headline, action } = describeLookupFailure(error, lookup);
  return notice(':warning:', headline, action, `${headline} ${action}`);
}

/**
 * A donor's list that failed: the same words as a card's failure (unknown donor, several donors,
 * Luminate down), except where a card's would name an interaction id a list never had.
 */
export function listFailureMessage(error: unknown, identifier: ConstituentIdentifier): SlackMessage {
  const lookup = { interactionId: 0, identifier };
  if (error instanceof LuminateNotVisibleError || (error instanceof LuminateApiError && error.reason === 'not_found')) {
    const headline = `Luminate Online returned no interactions for *${who(lookup)}*: the donor was not found, or is not visible to the bot's service account.`;
    const action = "Check the donor. If it is right, an admin can check what the bot's service account may see in Luminate Online.";
    return notice(':warning:', headline, action, `${headline} ${action}`);
  }
  return lookupFailureMessage(error, lookup);
}

export function invalidInputMessage(problem: string): SlackMessage {
  const headline = mrkdwn(problem, 1000);
  const form = `Use \`${mrkdwn(COMMAND_FORM, 200)}\`, e.g. \`/interaction 1000 jane@example.org\`, or just the donor for their list, e.g. \`/interaction jane@example.org since:2025-01-01\`. Type \`/interaction help\` for more.`;
  return notice(':thinking_face:', headline, form, `${headline} ${form}`);
}

export function lookingUpMessage(lookup: InteractionRequest): SlackMessage {
  const text = `:hourglass_flowing_sand: Looking up interaction *${lookup.interactionId}* for *${who(lookup)}* in Luminate Online…`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text }] }] };
}

export function lookingUpListMessage(identifier: ConstituentIdentifier): SlackMessage {
  const text = `:hourglass_flowing_sand: Looking up the recent interactions of *${mrkdwn(formatIdentifier(identifier), 300)}* in Luminate Online…`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text }] }] };
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
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          `*A donor’s recent interactions*, newest first, ten to a page\n\`${mrkdwn(LIST_FORM, 300)}\``,
          '• `/interaction jane@example.org`: everything recorded, with a button to open each one',
          '• `/interaction cons:1001001 since:2025-01-01 until:2025-06-30`: dates are inclusive',
          '• `/interaction jane@example.org type:Phone call`: a type by its id or its name',
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

/** views.open failed (Slack rate-limited or slow past the trigger's 3 s): the form is gone, but the shortcut can simply be run again. */
export function formNotOpenedMessage(): SlackMessage {
  const headline = "Slack couldn't open the lookup form just now.";
  return notice(':warning:', headline, 'Run the shortcut again in a moment.', `${headline} Run the shortcut again in a moment.`);
}

/** Why a Share did not reach the channel, and what to do about it. */
/**
 * Why a Share did not happen. The channel_* reasons come from asking Slack who is in the conversation:
 * donor records stay inside the organisation, so a card is shared only where Slack confirms that.
 */
export type ShareFailure =
  | 'no_channel'
  | 'not_member'
  | 'rejected'
  | 'channel_external'
  | 'channel_pending_external'
  | 'channel_unconfirmed'
  | 'channel_not_visible'
  | 'channel_check_missing_scope'
  | 'channel_check_failed';

export function shareFailedMessage(reason: ShareFailure): SlackMessage {
  const insteadInternal = 'Donor records stay inside your organisation: share it in an internal channel instead.';
  const text = {
    no_channel: ':warning: There is no channel to share this card into.',
    not_member: ':warning: The bot is not in this channel, so it cannot share here. Add it with `/invite @Luminate Interactions`, then try again.',
    rejected: ':warning: Slack did not accept the shared card. Try again in a minute.',
    channel_external: `:no_entry: Not shared: this conversation includes people from another organisation (Slack Connect). ${insteadInternal}`,
    channel_pending_external: `:no_entry: Not shared: this channel has a pending invitation to another organisation (Slack Connect). ${insteadInternal}`,
    channel_unconfirmed: `:no_entry: Not shared: Slack did not confirm that only people from your organisation are in this conversation (direct messages included). ${insteadInternal}`,
    channel_not_visible:
      ":warning: Not shared: the bot can't see this conversation, so it can't confirm that only people from your organisation are in it. In a channel, add the bot with `/invite @Luminate Interactions`, then try again.",
    channel_check_missing_scope:
      ":warning: Not shared: the bot isn't allowed to check whether this conversation includes people from another organisation. An admin must reinstall the app with the channels:read, groups:read, im:read and mpim:read scopes.",
    channel_check_failed: ":warning: Not shared: Slack didn't say in time whether this conversation includes people from another organisation, so nothing was posted. Try again in a minute.",
  }[reason];
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** Tells the asker their card was shared; its text also goes under their card. */
export function sharedMessage(channelId: string): SlackMessage {
  const text = `:white_check_mark: You shared this in <#${channelId}>.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** A request from a workspace the bot is not installed in (it serves only its own). */
export function otherWorkspaceMessage(): SlackMessage {
  return notice(':no_entry:', 'This app only answers in the workspace it is installed in.', 'Ask an admin of your own workspace to install it there.', 'This app only answers in the workspace it is installed in.');
}

/** Why a Refresh left the card as it was: Luminate failed, or the person is over LOOKUP_RATE_PER_MINUTE. */
export type RefreshFailure =
  | { kind: 'error'; error: unknown; lookup: InteractionRequest }
  | { kind: 'rate_limited'; perMinute: number; retryAfterMs: number };

/**
 * The line under a card whose Refresh failed: that it is not refreshed, why (the failure's usual
 * headline, condensed), and how old the answer still shown is. Safe mrkdwn.
 */
export function refreshFailedNote(failure: RefreshFailure, ageMs: number): string {
  let why: string;
  if (failure.kind === 'error') {
    why = describeLookupFailure(failure.error, failure.lookup).headline;
  } else {
    const seconds = Math.max(1, Math.ceil(failure.retryAfterMs / 1000));
    why = `you've made ${failure.perMinute} lookup${failure.perMinute === 1 ? '' : 's'} in the last minute, the most the bot allows. Try again in ${seconds} s.`;
  }
  return `:warning: Couldn't refresh: ${why} Showing the answer fetched ${describeAge(ageMs)}.`;
}
