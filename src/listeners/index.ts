import type { App } from '@slack/bolt';
import { registerCommands } from './commands/index.js';
import type { ListenerDependencies } from './types.js';

/** Registers every listener, grouped by Slack surface. */
export function registerListeners(app: App, deps: ListenerDependencies): void {
  registerCommands(app, deps);
}
