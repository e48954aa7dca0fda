import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Presentation } from '../../lookup/answer-lookups.js';
import { parseIdentifier, parseInteractionId } from '../../lookup/parse.js';
import { LOOKUP_MODAL, messageView } from '../../slack/lookup-modal.js';
import { lookingUpMessage } from '../../slack/messages.js';
import type { LookupRequest } from '../lookup-flow.js';
import type { ListenerDependencies } from '../types.js';

/** Slack shows inline errors under the input; long ones are cut by Slack, so keep them short. */
const MAX_INLINE_ERROR = 150;

/**
 * The lookup modal's submit. Bad fields come back inline, keyed by input
 * block; a valid lookup turns the modal into the card (or what went wrong).
 */
export function lookupModalSubmission(deps: ListenerDependencies) {
  return async ({ ack, view, body, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    // Only a channel the bot itself sealed into the form counts: the surface that opened it was checked for that channel.
    const origin = deps.origins.open(view.private_metadata);
    const request: LookupRequest = { userId: body.user.id, teamId: body.team?.id ?? null, channelId: origin.channelId, surface: 'modal' };
    const values = view.state.values;
    const rawId = values[LOOKUP_MODAL.interactionIdBlock]?.[LOOKUP_MODAL.inputAction]?.value ?? '';
    const rawDonor = values[LOOKUP_MODAL.donorBlock]?.[LOOKUP_MODAL.inputAction]?.value ?? '';

    const id = parseInteractionId(rawId);
    const identifier = parseIdentifier(rawDonor);
    if (!id.ok || !identifier.ok) {
      const errors: Record<string, string> = {};
      if (!id.ok) errors[LOOKUP_MODAL.interactionIdBlock] = rawId.trim() ? id.problem.slice(0, MAX_INLINE_ERROR) : 'Enter the interaction id, e.g. 1000.';
      if (!identifier.ok) {
        errors[LOOKUP_MODAL.donorBlock] = rawDonor.trim() ? identifier.problem.slice(0, MAX_INLINE_ERROR) : 'Enter an email, cons:<id> or member:<id>.';
      }
      deps.flow.recordInvalid(request);
      await ack({ response_action: 'errors', errors });
      return;
    }

    const lookup = { interactionId: id.value, identifier: identifier.value };
    const presentation: Presentation = { kind: 'private', reference: { lookup, ...origin }, canShare: origin.channelId !== null };
    const immediate = deps.flow.immediate(request, lookup, presentation);
    if (immediate) {
      await ack({ response_action: 'update', view: messageView(immediate.message, origin) });
      return;
    }
    await ack({ response_action: 'update', view: messageView(lookingUpMessage(lookup), origin) });
    await deps.work.run(async () => {
      const result = await deps.flow.run(request, lookup, presentation);
      try {
        await client.views.update({ view_id: view.id, view: messageView(result.message, origin) });
      } catch (error) {
        // The person may have closed the modal meanwhile; nothing else to tell them.
        deps.logger.warn('could not update the lookup modal', { error });
      }
    });
  };
}
