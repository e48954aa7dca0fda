import type { App } from '@slack/bolt';
import type { ListenerDependencies } from '../types.js';
import { INTERACTION_COMMAND, interactionCommand } from './interaction.js';

export function registerCommands(app: App, deps: ListenerDependencies): void {
  app.command(INTERACTION_COMMAND, interactionCommand(deps));
}
