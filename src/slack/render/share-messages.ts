import type { SlackMessage } from './message.js';

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

