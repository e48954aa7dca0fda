import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackMessage } from '../../slack/interaction-card.js';
import { messageView } from '../../slack/lookup-modal.js';
import type { ListenerDependencies } from '../types.js';

export type CardActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** Whether the clicked card sits in a modal (no response_url there: views.update instead). */
export function inModal(body: BlockAction): body is BlockAction & { view: NonNullable<BlockAction['view']> } {
  return body.view !== undefined && body.container?.type === 'view';
}

/** Replaces the card that was clicked with `message`, wherever it is: an ephemeral message or a modal. */
export async function replaceClickedCard(deps: ListenerDependencies, { body, client }: CardActionArgs, message: SlackMessage): Promise<void> {
  try {
    if (inModal(body)) {
      await client.views.update({ view_id: body.view.id, view: messageView(message, deps.origins.open(body.view.private_metadata)) });
    } else {
      await deps.responseUrls.to(body.response_url)({ response_type: 'ephemeral', replace_original: true, ...message });
    }
  } catch (error) {
    deps.logger.warn('could not update the clicked card', { error });
  }
}

/** Tells the person something beside the card, without replacing it (in a modal, there is only the card). */
export async function tellClicker(deps: ListenerDependencies, args: CardActionArgs, message: SlackMessage): Promise<void> {
  if (inModal(args.body)) return replaceClickedCard(deps, args, message);
  try {
    await deps.responseUrls.to(args.body.response_url)({ response_type: 'ephemeral', replace_original: false, ...message });
  } catch (error) {
    deps.logger.warn('could not answer the click', { error });
  }
}
