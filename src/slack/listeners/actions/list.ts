import type { Surface } from '../../../observability/audit.js';
import { decodeCardReference, decodeListReference } from '../../card-reference.js';
import { LIST_ACTIONS } from '../../render/action-ids.js';
import type { ListenerDependencies } from '../types.js';
import { acceptClick, replaceClickedCard, tellClicker, type CardActionArgs, type ModalMemory } from './card-origin.js';

/** A list row's Open: the row's full card (the same as `/interaction <id> <donor>`) replaces the list. */
export function openListRow(deps: ListenerDependencies, modals: ModalMemory) {
  return async (args: CardActionArgs): Promise<void> => {
    const click = await acceptClick(deps, args, decodeCardReference, 'a list row was opened with an unreadable button value');
    if (!click) return;
    const { reference, requester } = click;
    await deps.work.run(async () => {
      const outcome = await deps.service.card({ ...requester, surface: 'list_open' }, reference.request);
      await replaceClickedCard(deps, args, modals, deps.answers.card(outcome, { kind: 'private', reference, canShare: reference.channelId !== null }).message);
    });
  };
}

const SURFACE: Record<string, Surface> = {
  [LIST_ACTIONS.older]: 'list_page',
  [LIST_ACTIONS.newer]: 'list_page',
  [LIST_ACTIONS.refresh]: 'refresh',
  [LIST_ACTIONS.back]: 'list_back',
};

/**
 * Older, Newer, Refresh on a list, and Back to list on a card opened from one: the page the button
 * names replaces what was clicked. Each page is a lookup (access, rate limit, audit); Refresh reads Luminate again.
 */
export function showListPage(deps: ListenerDependencies, modals: ModalMemory) {
  return async (args: CardActionArgs): Promise<void> => {
    const click = await acceptClick(deps, args, decodeListReference, 'a list button was clicked with an unreadable value');
    if (!click) return;
    const { reference, requester } = click;
    const actionId = args.action.action_id;
    await deps.work.run(async () => {
      const outcome = await deps.service.list({ ...requester, surface: SURFACE[actionId] ?? 'list_page' }, reference.list, { refresh: actionId === LIST_ACTIONS.refresh });
      const result = deps.answers.list(outcome, { channelId: reference.channelId, threadTs: reference.threadTs });
      // Over the rate limit, what is on screen stays and the limit is said beside it.
      if (result.rateLimited) return tellClicker(deps, args, modals, result.message);
      await replaceClickedCard(deps, args, modals, result.message);
    });
  };
}
