import { decodeCardReference } from '../../card-reference.js';
import type { SlackMessage } from '../../render/message.js';
import { rerender } from './rerender.js';
import { sharedMessage } from '../../render/share-messages.js';
import type { ListenerDependencies } from '../types.js';
import { acceptClick, inModal, replaceClickedCard, tellClicker, type CardActionArgs, type ModalMemory } from './card-origin.js';

/** Refresh: reads Luminate again, past the cache, and replaces the card. Access is checked again. */
export function refreshCard(deps: ListenerDependencies, modals: ModalMemory) {
  return async (args: CardActionArgs): Promise<void> => {
    const click = await acceptClick(deps, args, decodeCardReference, 'refresh clicked with an unreadable button value');
    if (!click) return;
    const { reference, requester } = click;
    const { body } = args;
    await deps.work.run(async () => {
      const outcome = await deps.service.card({ ...requester, surface: 'refresh' }, reference.request, { refresh: true });
      const result = deps.answers.card(outcome, { kind: 'private', reference, canShare: reference.channelId !== null });
      // Over the rate limit with nothing cached to show, the card on screen stays and the limit is said beside it.
      if (result.rateLimited && !result.found) return tellClicker(deps, args, modals, result.message);
      // Built when written: a card shared from this modal meanwhile stays shared, without a second Share.
      const viewId = inModal(body) ? body.view.id : undefined;
      const content = (): SlackMessage => {
        const sharedIn = viewId && result.found ? modals.sharedIn(viewId) : undefined;
        if (!sharedIn) return result.message;
        const footer = sharedMessage(sharedIn).text;
        return rerender(deps, reference, footer) ?? result.message;
      };
      await replaceClickedCard(deps, args, modals, content);
    });
  };
}
