import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { draftFromMessage, noteRoom, provenanceLine } from '../../../service/log-draft.js';
import { mentionedIds } from '../../../service/message-text.js';
import type { Requester } from '../../../service/outcomes.js';
import { formNotOpenedMessage } from '../../render/help-messages.js';
import { logFormView } from '../../render/log-form.js';
import type { SlackMessage } from '../../render/message.js';
import type { ListenerDependencies } from '../types.js';
import { postPrivately, threadFor } from './message-shortcut.js';

export const LOG_SHORTCUT_CALLBACK_ID = 'log_interaction_from_message';

/**
 * Everything before views.open (the access check, then the names) shares this much of the trigger's 3 s,
 * as the lookup shortcut's access check does; views.open gets about 1.6 s (its client in app.ts).
 */
const BEFORE_FORM_MS = 1000;
/** Names of the people and channels the message mentions, and the person's own: what is read by then goes in the draft. */
const NAMES_BEFORE_FORM_MS = 400;
/**
 * The permalink is not known until submit: the form keeps room for one this long beside the note.
 * Slack's are about 60 to 120 characters; a longer one makes a full note an inline error at submit.
 */
const PERMALINK_ROOM = 'https://'.padEnd(160, 'x');

interface ShortcutMessage {
  text?: string;
  ts: string;
  thread_ts?: string;
  reply_count?: number;
}

/**
 * "Log to Luminate" on a message: refusals first (logging off, access, SLACK_ALLOWED_LOGGERS, the
 * rate limit), before the message is read; then the form, prefilled from it, inside the trigger's 3 s.
 */
export function logShortcut(deps: ListenerDependencies) {
  return async ({ shortcut, ack, client }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const started = performance.now();
    const message = shortcut.message as ShortcutMessage;
    const origin = deps.origins.seal({ channelId: shortcut.channel.id, threadTs: threadFor(message), messageTs: message.ts });
    const requester: Requester = { userId: shortcut.user.id, teamId: shortcut.team?.id ?? null, channelId: origin.channelId, surface: 'log_shortcut' };
    const respond = deps.responseUrls.to(shortcut.response_url);
    const post = (answer: SlackMessage) => postPrivately(deps, client, respond, requester.userId, origin, answer);

    const refusal = await deps.logs.refusalBeforeForm(requester, { withinMs: BEFORE_FORM_MS });
    if (refusal) return post(deps.answers.logRefusal(refusal));

    const text = message.text ?? '';
    const mentioned = mentionedIds(text);
    deps.directory.rememberChannel(shortcut.channel.id, shortcut.channel.name);
    const namesMs = Math.max(0, Math.min(NAMES_BEFORE_FORM_MS, BEFORE_FORM_MS - (performance.now() - started)));
    await deps.directory.learn({ users: [requester.userId, ...mentioned.users], channels: mentioned.channels }, namesMs);
    const line = provenanceLine({
      displayName: deps.directory.userName(requester.userId) ?? '',
      userId: requester.userId,
      channelName: deps.directory.channelName(shortcut.channel.id) ?? null,
      permalink: PERMALINK_ROOM,
    });
    const room = noteRoom(line);
    const draft = draftFromMessage(text, { room, userName: deps.directory.userName, channelName: deps.directory.channelName });
    const view = logFormView({ origin, values: { ...draft, typeId: String(draft.typeId) }, typeNames: deps.typeNames, noteMax: room, noteCut: draft.noteCut });
    try {
      await deps.views.open({ trigger_id: shortcut.trigger_id, view });
    } catch (error) {
      deps.logger.warn('views.open failed for the log form; telling the person through response_url', { error });
      await respond({ response_type: 'ephemeral', ...formNotOpenedMessage('Log to Luminate form') }).catch((fallbackError: unknown) =>
        deps.logger.error('could not tell the person the form did not open', { error: fallbackError }),
      );
      return;
    }
    // Read while the person checks the form, so the submit finds it (chat.getPermalink, users.info).
    void deps.directory.provenance({ userId: requester.userId, channelId: origin.channelId, messageTs: message.ts }, 5000);
  };
}
