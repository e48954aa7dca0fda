import type { types } from '@slack/bolt';
import { formatIdentifier, type ConstituentIdentifier } from '../../luminate/identifiers.js';
import { CARD_ACTIONS, LIST_ACTIONS } from './action-ids.js';
import { describeLogFailure } from './failure-messages.js';
import { notice, type SlackMessage } from './message.js';
import { LIMITS, mrkdwn, truncateMrkdwn } from './mrkdwn.js';
import { contactText } from './refusal-messages.js';

/** The donor as a headline names them: their name when Luminate gave one, else how they were asked for. Escaped. */
const named = (identifier: ConstituentIdentifier, name: string | null) => mrkdwn(name ?? formatIdentifier(identifier), 200);

/** LUMINATE_LOGGING_ENABLED is off: who can turn it on. */
export function loggingDisabledMessage(contact: string | undefined): SlackMessage {
  const headline = 'Logging to Luminate isn’t turned on for this workspace.';
  const action = `Ask ${contactText(contact)} if your team needs it.`;
  return notice(':no_entry:', headline, action, `${headline} ${action}`);
}

/** Allowed to look up, but not in SLACK_ALLOWED_LOGGERS. */
export function notALoggerMessage(contact: string | undefined): SlackMessage {
  const headline = "You can look up donor interactions, but you aren't one of the people who may log to Luminate.";
  const action = `Ask ${contactText(contact)} to add you.`;
  return notice(':no_entry:', headline, action, `${headline} ${action}`);
}

/** "Logged to Jane Doe's record in Luminate", above the new interaction's card. */
export function loggedHeadline(identifier: ConstituentIdentifier, name: string | null): string {
  return `:white_check_mark: Logged to *${named(identifier, name)}*’s record in Luminate Online.`;
}

/** The headline above the card: the card's own blocks follow, within a message's 50. */
export function withHeadline(headline: string, card: SlackMessage): SlackMessage {
  const top: types.KnownBlock = { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: truncateMrkdwn(headline, LIMITS.sectionText) } };
  return { text: truncateMrkdwn(`${headline} ${card.text}`, LIMITS.fallbackText), blocks: [top, ...card.blocks].slice(0, LIMITS.blocksPerMessage) };
}

/** Logged, but the new interaction is not (yet) in the donor's list: say so, and link the record. */
export function loggedNotFoundMessage(identifier: ConstituentIdentifier, name: string | null, recordUrl: string | null): SlackMessage {
  const headline = loggedHeadline(identifier, name);
  const detail = "Luminate confirmed it, but the new interaction isn't in the donor's list yet, so it can't be shown here.";
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: truncateMrkdwn(headline, LIMITS.sectionText) } },
    { type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: `${detail}${recordUrl ? ' Open the record to see it.' : ' Look for it on their Interactions tab.'}` }] },
  ];
  if (recordUrl) blocks.push({ type: 'actions', elements: [{ type: 'button', action_id: CARD_ACTIONS.open, text: { type: 'plain_text', text: 'Open in Luminate' }, url: recordUrl }] });
  return { text: truncateMrkdwn(`${headline} ${detail}`, LIMITS.fallbackText), blocks };
}

/**
 * Sent, and Luminate never said whether it was recorded (a timeout or a dropped connection after
 * sending). Never retried, so the person checks the list, one click away, before logging again.
 */
export function uncertainLogMessage(identifier: ConstituentIdentifier, listButtonValue: string): SlackMessage {
  const headline = `:grey_question: Your note may or may not have been logged to *${named(identifier, null)}*’s record: Luminate Online didn't confirm it.`;
  const detail = "Check the donor's list before logging it again, so it isn't recorded twice.";
  return {
    text: truncateMrkdwn(`${headline} ${detail}`, LIMITS.fallbackText),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: truncateMrkdwn(headline, LIMITS.sectionText) } },
      { type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: detail }] },
      ...(listButtonValue.length <= LIMITS.buttonValue
        ? [{ type: 'actions' as const, elements: [{ type: 'button' as const, action_id: LIST_ACTIONS.refresh, text: { type: 'plain_text' as const, text: "Check the donor's list" }, value: listButtonValue }] }]
        : []),
    ],
  };
}

/** The same form, or the same entry from this person, was already sent: nothing more was. */
export function duplicateLogMessage(): SlackMessage {
  const headline = 'This was already sent to Luminate Online, so nothing more was logged.';
  const action = "The first attempt's confirmation is in the thread. To log something else, run the shortcut again.";
  return notice(':information_source:', headline, action, headline);
}

/** Nothing was logged: why, and what to do. */
export function logFailureMessage(error: unknown, identifier: ConstituentIdentifier): SlackMessage {
  const { headline, action } = describeLogFailure(error, identifier);
  return notice(':warning:', headline, action, `${headline} ${action}`);
}

/** Shown in the form while Luminate is slow to answer. */
export function loggingMessage(): SlackMessage {
  const text = ':hourglass_flowing_sand: Logging to Luminate Online… The confirmation will be in the thread, only to you.';
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] };
}
