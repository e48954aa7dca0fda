import { LuminateApiError, LuminateBadResponseError, LuminateCircuitOpenError, LuminateError, LuminateNotVisibleError, LuminateTimeoutError, LuminateWriteUncertainError } from '../../luminate/errors.js';
import { formatIdentifier, type ConstituentIdentifier, type InteractionRequest } from '../../luminate/identifiers.js';
import { LogOnceUnconfirmedError } from '../../service/log-once.js';
import type { RefreshFailure } from '../../service/outcomes.js';
import { notice, type SlackMessage } from './message.js';
import { describeAge, mrkdwn } from './mrkdwn.js';

/**
 * What a person reads when a lookup fails: what happened, and what to do.
 * Both are mrkdwn, with anything from Luminate or the person already escaped.
 */
export interface FailureDescription {
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
      headline: 'Something went wrong inside the bot while looking that up.',
      action: 'Try again. If it keeps happening, tell whoever runs the bot: the details are in its logs.',
    };
  }
  if (error instanceof LuminateApiError) {
    switch (error.reason) {
      case 'not_found':
        return {
          headline: `Luminate Online has no interaction ${id} for *${who(lookup)}*.`,
          action: `Check the interaction id: it is the number on the donor’s Interactions tab. If the interaction may belong to another donor, look them up by constituent id: ${BY_CONS}.`,
        };
      case 'no_constituent':
        return {
          headline: `No donor in Luminate Online matches *${who(lookup)}*.`,
          action: `Check the donor: an email must be their primary one. Or use their constituent or member id: ${BY_CONS} or ${BY_MEMBER}.`,
        };
      case 'ambiguous':
        return {
          headline: `More than one constituent matches *${who(lookup)}*.`,
          action: `Use their constituent or member id instead: ${BY_CONS} or ${BY_MEMBER}.`,
        };
      case 'bad_input':
        return {
          headline: `Luminate Online did not accept what you typed (${code(error)}).`,
          action: 'Check the interaction id and the donor for typos, extra characters or unusual symbols: the same input will be refused every time.',
        };
      case 'bad_api_key':
        return {
          headline: "Luminate Online rejected the bot's API key.",
          action: 'Ask an admin of the bot to check `LUMINATE_API_KEY` against Setup → Open API Configuration in Luminate Online.',
        };
      case 'login_rejected':
        return {
          headline: "Luminate Online rejected the bot's service account.",
          action: "Ask an admin of the bot to check the API administrator account (`LUMINATE_LOGIN_NAME`, and whether its password has expired) and that the bot's server is on Luminate's API IP allow-list.",
        };
      case 'ip_not_allowed':
        return {
          headline: "Luminate Online refused the bot's server: its IP address is not on the API allow-list.",
          action: "Ask an admin to add the server's public IP under Setup → Open API Configuration in Luminate Online (CIDR form, e.g. `203.0.113.7/32`).",
        };
      case 'not_permitted':
        return {
          headline: "The bot's service account is not allowed to read interactions.",
          action: 'Ask an admin to give the API administrator account permission for `getInteraction` in Luminate Online.',
        };
      case 'bot_bug':
        return {
          headline: `Luminate Online refused the bot's request (${code(error)}).`,
          action: 'This is a fault in the bot or its setup (check `LUMINATE_URL` points at the site, ending in `/site`). Please tell an admin of the bot.',
        };
      case 'cannot_process':
        return {
          headline: `Luminate Online could not process the request (${code(error)}).`,
          action: "Check the interaction id and the donor, and try again. If it keeps happening, tell an admin of the bot: Luminate's API call log (Setup → Open API Configuration) has the details.",
        };
      case 'other':
        return {
          headline: `Luminate Online answered with an error (${code(error)}).`,
          action: 'Try again in a minute. If it keeps happening, tell an admin of the bot.',
        };
    }
  }
  if (error instanceof LuminateNotVisibleError) {
    return {
      headline: `Luminate Online returned nothing for interaction ${id} of *${who(lookup)}*: it was not found, or is not visible to the bot's service account.`,
      action: "Check the interaction id and the donor. If both are right, an admin can check what the bot's service account may see in Luminate Online.",
    };
  }
  if (error instanceof LuminateBadResponseError) {
    switch (error.problem) {
      case 'blocked':
        return {
          headline: "Something in front of Luminate Online refused the bot's request: it never reached the API.",
          action: "Ask an admin of the bot to check that the server's public IP is on Luminate's API IP allow-list (Setup → Open API Configuration) and that no firewall or proxy blocks it.",
        };
      case 'redirect': {
        const where = error.locationHost ? ` to ${mrkdwn(error.locationHost, 253)}` : '';
        return {
          headline: `Luminate Online redirected the bot${where} instead of answering.`,
          action: "Ask an admin of the bot to set `LUMINATE_URL` to the site's own address (secure2, secure3 or a custom domain, ending in `/site`).",
        };
      }
      case 'mismatch':
        return {
          headline: `Luminate Online's answer for interaction ${id} couldn't be confirmed: it was about another record, so it is not shown.`,
          action: 'Try again in a minute. If it keeps happening, tell an admin of the bot.',
        };
      default:
        break;
    }
  }
  if (error instanceof LuminateCircuitOpenError) {
    return {
      headline: 'Luminate Online is not answering right now.',
      action: 'After repeated failures the bot is giving it a short rest. Try again in a minute.',
    };
  }
  if (error instanceof LuminateTimeoutError) {
    return {
      headline: `Luminate Online did not answer within ${Math.max(1, Math.round(error.timeoutMs / 1000))} seconds.`,
      action: 'It may be busy or down. Try again in a minute.',
    };
  }
  switch (error.kind) {
    case 'unavailable':
      return {
        headline: 'Luminate Online is unavailable right now.',
        action: 'Try again in a few minutes. If it lasts, check Blackbaud’s status page or tell an admin of the bot.',
      };
    default:
      return {
        headline: 'Luminate Online answered with something that is not a valid response.',
        action: 'This is often a maintenance page: try again later. If it lasts, tell an admin of the bot (check `LUMINATE_URL`).',
      };
  }
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

/**
 * The line under a card whose Refresh failed: that it is not refreshed, why (the failure's usual
 * headline, condensed), and how old the answer still shown is. Safe mrkdwn.
 */
export function refreshFailedNote(failure: RefreshFailure, request: InteractionRequest, ageMs: number): string {
  let why: string;
  if (failure.kind === 'error') {
    why = describeLookupFailure(failure.error, request).headline;
  } else {
    const seconds = Math.max(1, Math.ceil(failure.retryAfterMs / 1000));
    why = `you've made ${failure.perMinute} lookup${failure.perMinute === 1 ? '' : 's'} in the last minute, the most the bot allows. Try again in ${seconds} s.`;
  }
  return `:warning: Couldn't refresh: ${why} Showing the answer fetched ${describeAge(ageMs)}.`;
}

/** A failed write, worded: `field` names the form field the person can fix, when there is one. */
export interface LogFailureDescription extends FailureDescription {
  field: 'donor' | 'type' | null;
  /** The same headline as plain text, for an inline error under `field`. */
  inline: string;
}

/**
 * Why "Log to Luminate" recorded nothing, in words the person can act on. Every case here means
 * nothing was logged; an uncertain write is worded by the caller (it may have been).
 */
export function describeLogFailure(error: unknown, identifier: ConstituentIdentifier): LogFailureDescription {
  const donor = mrkdwn(formatIdentifier(identifier), 300);
  const plainDonor = formatIdentifier(identifier).slice(0, 100);
  const nothing = 'Nothing was logged.';
  const at = (field: 'donor' | 'type' | null, headline: string, action: string, inline: string): LogFailureDescription => ({ field, headline: `${headline} ${nothing}`, action, inline });
  if (error instanceof LuminateWriteUncertainError) throw new TypeError('an uncertain write is not a failure: it may have been logged');
  if (error instanceof LogOnceUnconfirmedError) {
    return at(null, 'Logging is briefly unavailable (the bot can’t make sure it logs only once).', 'Try again in a minute.', 'Logging is briefly unavailable (the bot can’t make sure it logs only once): try again in a minute.');
  }
  if (error instanceof LuminateNotVisibleError) {
    return at('donor', `Luminate Online did not show the bot *${donor}*.`, "Check the donor. If it is right, an admin can check what the bot's service account may see in Luminate Online.", `Luminate Online did not show the bot ${plainDonor}.`);
  }
  if (error instanceof LuminateApiError) {
    switch (error.reason) {
      case 'no_constituent':
      case 'not_found':
        return at('donor', `No donor in Luminate Online matches *${donor}*.`, 'Check the donor: an email must be their primary one. Or use their constituent or member id (`cons:&lt;id&gt;`, `member:&lt;id&gt;`).', `No donor in Luminate Online matches ${plainDonor}.`);
      case 'ambiguous':
        return at('donor', `More than one constituent matches *${donor}*.`, 'Use their constituent or member id instead (`cons:&lt;id&gt;` or `member:&lt;id&gt;`).', `More than one constituent matches ${plainDonor}: use cons:<id> or member:<id>.`);
      case 'bad_type':
        return at('type', 'Luminate Online does not have this interaction type.', 'Choose another type, or ask an admin of the bot to check `LUMINATE_INTERACTION_TYPES` against the site’s interaction types.', 'Luminate Online does not have this type: choose another.');
      case 'not_permitted':
        return at(null, "The bot's service account is not allowed to log interactions.", 'Ask an admin to give the API administrator account permission for `logInteraction` in Luminate Online (Setup → Open API Configuration, and the account’s security category).', "The bot's service account may not log interactions.");
      case 'cannot_process':
        return at(null, `Luminate Online could not process the log (${code(error)}).`, "Check the donor, and try again. If it keeps happening, tell an admin of the bot: Luminate's API call log (Setup → Open API Configuration) has the details.", 'Luminate Online could not process the log: check the donor and try again.');
      case 'bad_input':
        return at(null, `Luminate Online did not accept the subject or note (${code(error)}).`, 'Remove unusual symbols from the subject and the note, and try again.', 'Luminate Online did not accept the subject or note.');
      default:
        break;
    }
  }
  const lookup = describeLookupFailure(error, { interactionId: 0, identifier });
  const headline = error instanceof LuminateError ? lookup.headline : 'Something went wrong inside the bot before anything was sent.';
  return at(null, headline, lookup.action, headline.replace(/[*_`]/g, '').slice(0, 150));
}
