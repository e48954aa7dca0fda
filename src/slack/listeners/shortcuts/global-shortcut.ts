import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { lookupFormView, messageView } from '../../render/lookup-modal.js';
import type { ListenerDependencies } from '../types.js';

export const GLOBAL_SHORTCUT_CALLBACK_ID = 'lookup_interaction';

/** "Look up interaction" from the shortcuts menu: the empty lookup modal. */
export function globalShortcut(deps: ListenerDependencies) {
  return async ({ shortcut, ack }: SlackShortcutMiddlewareArgs<GlobalShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const origin = deps.origins.seal({ channelId: null, threadTs: null });
    const refusal = deps.service.refusalNow({ userId: shortcut.user.id, teamId: shortcut.team?.id ?? null, channelId: null, surface: 'modal' });
    const view = refusal ? messageView(deps.answers.refusal(refusal), origin, 'Look up interaction') : lookupFormView({ origin });
    await deps.views.open({ trigger_id: shortcut.trigger_id, view });
  };
}
