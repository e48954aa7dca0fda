import type { App } from '@slack/bolt';
import { CARD_ACTIONS } from '../../slack/interaction-card.js';
import type { ListenerDependencies } from '../types.js';
import { refreshCard } from './refresh.js';
import { shareCard } from './share.js';

export function registerActions(app: App, deps: ListenerDependencies): void {
  app.action(CARD_ACTIONS.refresh, refreshCard(deps));
  app.action(CARD_ACTIONS.share, shareCard(deps));
  // A link button still sends a click; Slack shows an error icon unless it is acknowledged.
  app.action(CARD_ACTIONS.open, async ({ ack }) => {
    await ack();
  });
}
