import type { App } from '@slack/bolt';
import type { ListenerDependencies } from '../types.js';
import { GLOBAL_SHORTCUT_CALLBACK_ID, globalShortcut } from './global-shortcut.js';
import { MESSAGE_SHORTCUT_CALLBACK_ID, messageShortcut } from './message-shortcut.js';

export function registerShortcuts(app: App, deps: ListenerDependencies): void {
  app.shortcut({ callback_id: MESSAGE_SHORTCUT_CALLBACK_ID, type: 'message_action' }, messageShortcut(deps));
  app.shortcut({ callback_id: GLOBAL_SHORTCUT_CALLBACK_ID, type: 'shortcut' }, globalShortcut(deps));
}
