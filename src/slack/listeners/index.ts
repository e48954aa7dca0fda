import type { App } from '@slack/bolt';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import { registerShortcuts } from './shortcuts/index.js';
import type { ListenerDependencies } from './types.js';
import { registerViews } from './views/index.js';

/** Registers every listener, grouped by Slack surface. */
export function registerListeners(app: App, deps: ListenerDependencies): void {
  registerCommands(app, deps);
  registerShortcuts(app, deps);
  registerViews(app, deps);
  registerActions(app, deps);
}
