import type { AllMiddlewareArgs, App, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { ListenerDependencies } from '../types.js';
import { GLOBAL_SHORTCUT_CALLBACK_ID, globalShortcut } from './global-shortcut.js';
import { LOG_SHORTCUT_CALLBACK_ID, logShortcut } from './log-shortcut.js';
import { MESSAGE_SHORTCUT_CALLBACK_ID, messageShortcut } from './message-shortcut.js';

type ShortcutArgs = SlackShortcutMiddlewareArgs & AllMiddlewareArgs;

/**
 * One listener for every shortcut, as for the card's buttons (see
 * actions/index.ts): Bolt runs every listener's middleware for every request.
 */
export function registerShortcuts(app: App, deps: ListenerDependencies): void {
  const onMessage = messageShortcut(deps);
  const onGlobal = globalShortcut(deps);
  const onLog = logShortcut(deps);
  app.shortcut({ callback_id: new RegExp(`^(?:${MESSAGE_SHORTCUT_CALLBACK_ID}|${GLOBAL_SHORTCUT_CALLBACK_ID}|${LOG_SHORTCUT_CALLBACK_ID})$`) }, async (args: ShortcutArgs) => {
    const { shortcut } = args;
    // Bolt types the arguments as a union of the two payloads; the payload's own type says which arrived.
    if (shortcut.type === 'message_action' && shortcut.callback_id === MESSAGE_SHORTCUT_CALLBACK_ID) {
      await onMessage(args as SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs);
    } else if (shortcut.type === 'message_action' && shortcut.callback_id === LOG_SHORTCUT_CALLBACK_ID) {
      await onLog(args as SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs);
    } else if (shortcut.type === 'shortcut' && shortcut.callback_id === GLOBAL_SHORTCUT_CALLBACK_ID) {
      await onGlobal(args as Parameters<typeof onGlobal>[0]);
    } else {
      // A callback id under the other type: not something the manifest creates, but Slack still wants an ack.
      await args.ack();
    }
  });
}
