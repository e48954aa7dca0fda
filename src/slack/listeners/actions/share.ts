import type { ButtonAction } from '@slack/bolt';
import { decodeCardReference, type CardReference } from '../../card-reference.js';
import type { SlackMessage } from '../../render/message.js';
import type { ChannelExposure } from '../../../access/channel-exposure.js';
import type { ShareAuditEvent } from '../../../observability/audit.js';
import { shareFailedMessage, sharedMessage, type ShareFailure } from '../../render/share-messages.js';
import { rerender } from './rerender.js';
import type { ListenerDependencies } from '../types.js';
import { inModal, replaceClickedCard, tellClicker, type CardActionArgs, type ModalMemory } from './card-origin.js';

/** Errors from chat.postMessage that mean "the bot is not in that channel". */
const NOT_A_MEMBER = /not_in_channel|channel_not_found/;

/**
 * Share in channel: the one way donor data leaves the asker's view. Slack has
 * already shown the confirmation dialog; access is checked again for the
 * channel the card goes to, and the share is audited as its own event.
 */
export function shareCard(deps: ListenerDependencies, modals: ModalMemory) {
  return async (args: CardActionArgs): Promise<void> => {
    const { ack, body, action } = args;
    await ack();
    const reference = decodeCardReference((action as ButtonAction).value);
    // In a modal, the channel and thread the bot sealed into it (what Slack reported when the form was opened),
    // as for the form's submission: a button value is not sealed, so it cannot name where a card goes.
    const origin = inModal(body) ? deps.origins.open(body.view.private_metadata) : null;
    const channelId = origin ? origin.channelId : (body.channel?.id ?? reference?.channelId);
    if (!reference || !channelId) {
      await tellClicker(deps, args, modals, shareFailedMessage('no_channel'));
      return;
    }
    const userId = body.user.id;
    const threadTs = origin ? origin.threadTs : (reference.threadTs ?? (body.container as { thread_ts?: string } | undefined)?.thread_ts ?? null);
    await deps.work.run(async () => {
      const outcome = await deps.service.card({ userId, teamId: body.team?.id ?? null, channelId, surface: 'share' }, reference.request);
      const result = deps.answers.card(outcome, { kind: 'shared', sharedBy: userId });
      // A Share that could not be done leaves the card as it is; a refusal of access replaces it.
      if (result.rateLimited || (result.allowed && !result.found)) return tellBesideCard(deps, args, modals, reference, result.message);
      if (!result.allowed) return replaceClickedCard(deps, args, modals, result.message);

      const audit = (outcome: ShareAuditEvent['outcome']) =>
        deps.audit.share({
          user: userId,
          team: body.team?.id ?? null,
          channel: channelId,
          threadTs,
          interactionId: reference.request.interactionId,
          identifierKind: reference.request.identifier.kind,
          outcome,
        });
      // Before anything is posted, by chat.postMessage or the response_url: is anyone outside the organisation in there?
      const exposure = await deps.channels.check(channelId);
      if (exposure.kind !== 'internal') {
        audit(exposure.kind === 'unknown' ? 'error' : 'denied');
        return tellBesideCard(deps, args, modals, reference, shareFailedMessage(whyNotShared(exposure)));
      }

      const shared = await postToChannel(deps, args, modals, reference, channelId, threadTs, result.message);
      audit(shared ? 'shared' : 'error');
      if (shared) await confirm(deps, args, modals, reference, channelId);
    });
  };
}

function whyNotShared(exposure: Exclude<ChannelExposure, { kind: 'internal' }>): ShareFailure {
  if (exposure.kind !== 'unknown') return `channel_${exposure.kind}`;
  return exposure.reason === 'missing_scope' ? 'channel_check_missing_scope' : 'channel_check_failed';
}

/** chat.postMessage keeps the thread; when the bot is not in the channel, the click's response_url can still post there. */
async function postToChannel(deps: ListenerDependencies, args: CardActionArgs, modals: ModalMemory, reference: CardReference, channel: string, threadTs: string | null, message: SlackMessage): Promise<boolean> {
  try {
    await args.client.chat.postMessage({ channel, ...(threadTs ? { thread_ts: threadTs } : {}), text: message.text, blocks: message.blocks });
    return true;
  } catch (error) {
    const notMember = NOT_A_MEMBER.test(String((error as { data?: { error?: string } }).data?.error ?? ''));
    deps.logger.warn('chat.postMessage failed while sharing', { error, notMember });
    if (notMember && !inModal(args.body)) {
      try {
        await deps.responseUrls.to(args.body.response_url)({ response_type: 'in_channel', replace_original: false, ...message });
        return true;
      } catch (fallbackError) {
        deps.logger.warn('response_url could not share either', { error: fallbackError });
      }
    }
    await tellBesideCard(deps, args, modals, reference, shareFailedMessage(notMember ? 'not_member' : 'rejected'));
    return false;
  }
}

/** The asker's own card, now without the Share button and saying it was shared. */
async function confirm(deps: ListenerDependencies, args: CardActionArgs, modals: ModalMemory, reference: CardReference, channelId: string): Promise<void> {
  // Remembered before the update, so a Refresh of this modal writing after it keeps the card shared.
  if (inModal(args.body)) modals.remember(args.body.view.id, { sharedIn: channelId });
  const shared = sharedMessage(channelId);
  const card = rerender(deps, reference, shared.text);
  await (card ? replaceClickedCard(deps, args, modals, card) : tellClicker(deps, args, modals, shared));
}

/**
 * Says why a Share did not happen without taking the card away: beside it in a message; in a modal, where
 * there is only the card, under the card while it is still cached.
 */
async function tellBesideCard(deps: ListenerDependencies, args: CardActionArgs, modals: ModalMemory, reference: CardReference, message: SlackMessage): Promise<void> {
  if (inModal(args.body)) {
    const card = rerender(deps, reference, message.text, reference.channelId !== null);
    if (card) return replaceClickedCard(deps, args, modals, card);
  }
  return tellClicker(deps, args, modals, message);
}
