import type { types } from '@slack/bolt';
import { LIMITS, truncateMrkdwn } from './mrkdwn.js';

/** A message body: blocks plus the `text` Slack uses for notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

/** A short message: the headline, then what to do in smaller print. */
export function notice(emoji: string, headline: string, detail: string, fallback: string): SlackMessage {
  return {
    text: truncateMrkdwn(fallback, LIMITS.fallbackText),
    blocks: [
      // verbatim: the headline can quote what a person typed or Luminate said; a plain @here in it must not notify.
      { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: truncateMrkdwn(`${emoji} ${headline}`, LIMITS.sectionText) } },
      { type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: truncateMrkdwn(detail, LIMITS.contextText) }] },
    ],
  };
}

