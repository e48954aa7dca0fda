import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs, webApi } from '@slack/bolt';
import { findInMessage, type MessageFindings } from '../../../service/find-in-message.js';
import type { Requester } from '../../../service/outcomes.js';
import { formatIdentifier } from '../../../luminate/identifiers.js';
import type { SlackMessage } from '../../render/message.js';
import type { ModalOrigin } from '../../modal-origin.js';
import { formNotOpenedMessage } from '../../render/help-messages.js';
import { lookupFormView } from '../../render/lookup-modal.js';
import { mrkdwn } from '../../render/mrkdwn.js';
import type { Respond } from '../../response-url.js';
import type { ListenerDependencies } from '../types.js';

export const MESSAGE_SHORTCUT_CALLBACK_ID = 'lookup_interaction_from_message';

/**
 * How long the access check may take before the shortcut gives up and asks the person to try
 * again: a trigger_id lives about 3 s, and views.open gets about 1.6 s of it.
 */
const ACCESS_CHECK_BEFORE_FORM_MS = 1000;

interface ShortcutMessage {
  text?: string;
  ts: string;
  thread_ts?: string;
  reply_count?: number;
}

/**
 * An ephemeral message in a thread shows only where the thread already exists:
 * a reply's thread, or a parent that has replies. Otherwise the answer goes in
 * the channel, still only to the person who asked.
 */
export function threadFor(message: ShortcutMessage): string | null {
  if (message.thread_ts) return message.thread_ts;
  return (message.reply_count ?? 0) > 0 ? message.ts : null;
}

/** "Look up interaction" on a message: answer in its thread, or ask in a modal for what the message lacks. */
export function messageShortcut(deps: ListenerDependencies) {
  return async ({ shortcut, ack, client }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const message = shortcut.message as ShortcutMessage;
    const origin = deps.origins.seal({ channelId: shortcut.channel.id, threadTs: threadFor(message) });
    const requester: Requester = { userId: shortcut.user.id, teamId: shortcut.team?.id ?? null, channelId: origin.channelId, surface: 'message_shortcut' };
    const respond = deps.responseUrls.to(shortcut.response_url);
    const post = (answer: SlackMessage) => postPrivately(deps, client, respond, requester.userId, origin, answer);

    // Nobody refused (by access or by the rate limit) gets the bot to read their message: the scan
    // is bounded, but it is still work a stranger should not be able to cause.
    // The form may be needed, and views.open must be on its way well inside the trigger's 3 s.
    const refusal = await deps.service.refusalBeforeReading(requester, { withinMs: ACCESS_CHECK_BEFORE_FORM_MS });
    if (refusal) return post(deps.answers.refusal(refusal));
    const findings = findInMessage(message.text ?? '');
    // A donor named without doubt and no interaction id at all: the question is "what have we recorded with them?".
    const donor = findings.donor;
    if (!findings.request && donor && findings.interactionIds.length === 0) {
      await deps.work.run(async () => {
        const outcome = await deps.service.list(requester, { identifier: donor, filters: {}, page: 0 });
        await post(deps.answers.list(outcome, { channelId: origin.channelId, threadTs: origin.threadTs }).message);
      });
      return;
    }
    if (!findings.request) {
      // trigger_id lives about 3 seconds: open the modal straight after the checks (held in memory once read).
      try {
        await deps.views.open({ trigger_id: shortcut.trigger_id, view: lookupFormView({ origin, ...prefill(findings) }) });
      } catch (error) {
        // Rate-limited, or slower than the trigger_id: the shortcut's response_url can still say so.
        deps.logger.warn('views.open failed; telling the person through response_url', { error });
        await respond({ response_type: 'ephemeral', ...formNotOpenedMessage() }).catch((fallbackError: unknown) =>
          deps.logger.error('could not tell the person the form did not open', { error: fallbackError }),
        );
      }
      return;
    }
    const request = findings.request;
    await deps.work.run(async () => {
      const presentation = { kind: 'private', reference: { request, channelId: origin.channelId, threadTs: origin.threadTs }, canShare: true } as const;
      const outcome = await deps.service.card(requester, request);
      await post(deps.answers.card(outcome, presentation).message);
    });
  };
}

/** What to put in the modal, and a line saying what the message mentioned when it was ambiguous. */
function prefill(findings: MessageFindings): { interactionId?: string; donor?: string; hint?: string } {
  const ids = findings.interactionIds;
  const notes: string[] = [];
  if (ids.length > 1) notes.push(`interactions ${ids.map(String).join(', ')}`);
  if (!findings.donor && findings.identifiers.length > 1) notes.push(`donors ${findings.identifiers.map((d) => mrkdwn(formatIdentifier(d), 100)).join(', ')}`);
  return {
    interactionId: ids.length === 1 ? String(ids[0]) : undefined,
    donor: findings.donor ? formatIdentifier(findings.donor) : undefined,
    hint:
      notes.length > 0
        ? `The message mentions ${notes.join(' and ')}: which one?`
        : ids.length + findings.identifiers.length === 0
          ? 'No interaction id or donor found in the message.'
          : 'Fill in what the message did not say.',
  };
}

/** chat.postEphemeral in the thread; the shortcut's response_url when the bot cannot post there. */
export async function postPrivately(
  deps: ListenerDependencies,
  client: webApi.WebClient,
  respond: Respond,
  user: string,
  origin: ModalOrigin,
  message: SlackMessage,
): Promise<void> {
  try {
    await client.chat.postEphemeral({
      channel: origin.channelId!,
      user,
      ...(origin.threadTs ? { thread_ts: origin.threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
    });
  } catch (error) {
    deps.logger.warn('chat.postEphemeral failed; answering through response_url', { error });
    try {
      await respond({ response_type: 'ephemeral', ...message });
    } catch (fallbackError) {
      deps.logger.error('could not deliver the shortcut answer', { error: fallbackError });
    }
  }
}
