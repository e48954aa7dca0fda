import type { App, BlockAction } from '@slack/bolt';
import { CARD_ACTIONS } from '../../render/action-ids.js';
import { LIST_ACTIONS } from '../../render/action-ids.js';
import type { ListenerDependencies } from '../types.js';
import { ModalMemory, type CardActionArgs } from './card-origin.js';
import { openListRow, showListPage } from './list.js';
import { refreshCard } from './refresh.js';
import { shareCard } from './share.js';

/** Exactly the card's and the list's action_ids. */
const CARD_ACTION_ID = new RegExp(`^(?:${[...Object.values(CARD_ACTIONS), ...Object.values(LIST_ACTIONS)].join('|')})$`);

/**
 * One listener for the card's and the list's buttons, routed by action_id. Bolt runs
 * the middleware of every registered listener for every request, commands included,
 * so each listener adds work to every request; one per surface keeps that small.
 */
export function registerActions(app: App, deps: ListenerDependencies): void {
  const modals = new ModalMemory();
  const handlers: Record<string, (args: CardActionArgs) => Promise<void>> = {
    [CARD_ACTIONS.refresh]: refreshCard(deps, modals),
    [CARD_ACTIONS.share]: shareCard(deps, modals),
    [LIST_ACTIONS.open]: openListRow(deps, modals),
    [LIST_ACTIONS.older]: showListPage(deps, modals),
    [LIST_ACTIONS.newer]: showListPage(deps, modals),
    [LIST_ACTIONS.refresh]: showListPage(deps, modals),
    [LIST_ACTIONS.back]: showListPage(deps, modals),
    // A link button still sends a click; Slack shows an error icon unless it is acknowledged.
    [CARD_ACTIONS.open]: async ({ ack }) => {
      await ack();
    },
  };
  app.action<BlockAction>({ type: 'block_actions', action_id: CARD_ACTION_ID }, async (args) => {
    await handlers[args.action.action_id]?.(args);
  });
}
