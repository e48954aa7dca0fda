import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { InteractionListRequest } from '../../../service/requests.js';
import type { Requester } from '../../../service/outcomes.js';
import type { Presentation } from '../../answer.js';
import type { SealedOrigin } from '../../modal-origin.js';
import { parseIdentifier, parseInteractionId } from '../../../service/requests.js';
import { LOOKUP_MODAL, messageView } from '../../render/lookup-modal.js';
import { lookingUpListMessage, lookingUpMessage } from '../../render/help-messages.js';
import { describeInputProblem } from '../../render/input-problems.js';
import { within } from '../../../within.js';
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
    const requester: Requester = { userId: body.user.id, teamId: body.team?.id ?? null, channelId: origin.channelId, surface: 'modal' };
    const values = view.state.values;
    const rawId = values[LOOKUP_MODAL.interactionIdBlock]?.[LOOKUP_MODAL.inputAction]?.value ?? '';
    const rawDonor = values[LOOKUP_MODAL.donorBlock]?.[LOOKUP_MODAL.inputAction]?.value ?? '';

    // No interaction id: the donor's list.
    const wantsList = rawId.trim() === '';
    const id = wantsList ? ({ ok: true, value: 0 } as const) : parseInteractionId(rawId);
    const identifier = parseIdentifier(rawDonor);
    if (!id.ok || !identifier.ok) {
      const errors: Record<string, string> = {};
      if (!id.ok) errors[LOOKUP_MODAL.interactionIdBlock] = describeInputProblem(id.problem).slice(0, MAX_INLINE_ERROR);
      if (!identifier.ok) {
        errors[LOOKUP_MODAL.donorBlock] = rawDonor.trim() ? describeInputProblem(identifier.problem).slice(0, MAX_INLINE_ERROR) : 'Enter an email, cons:<id> or member:<id>.';
      }
      deps.service.recordInvalid(requester);
      await ack({ response_action: 'errors', errors });
      return;
    }

    if (wantsList) return answerList(deps, { ack, view, client }, requester, { identifier: identifier.value, filters: {}, page: 0 }, origin);

    const request = { interactionId: id.value, identifier: identifier.value };
    const presentation: Presentation = { kind: 'private', reference: { request, ...origin }, canShare: origin.channelId !== null };
    const immediate = await deps.service.cardNow(requester, request);
    if (immediate) {
      await ack({ response_action: 'update', view: messageView(deps.answers.card(immediate, presentation).message, origin) });
      return;
    }
    await deps.work.run(async () => {
      // service.card never rejects (a bug becomes the bot's own failure message), so the ack always goes out.
      const answer = deps.service.card(requester, request).then((outcome) => deps.answers.card(outcome, presentation));
      const quick = await within(answer, deps.slowNoticeMs);
      if (quick) {
        await ack({ response_action: 'update', view: messageView(quick.message, origin) });
        return;
      }
      await ack({ response_action: 'update', view: messageView(lookingUpMessage(request), origin) });
      const ackedAt = performance.now();
      const result = await answer;
      await sleep(VIEW_SETTLE_MS - (performance.now() - ackedAt));
      try {
        // No hash: it would be the submitted form's, which the ack has replaced, and no button can write
        // to the modal while it says "Looking up…".
        await client.views.update({ view_id: view.id, view: messageView(result.message, origin) });
      } catch (error) {
        // The person may have closed the modal meanwhile; nothing else to tell them.
        deps.logger.warn('could not update the lookup modal', { error });
      }
    });
  };
}

type SubmissionArgs = Pick<SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs, 'ack' | 'view' | 'client'>;

/** The donor's list in the modal: in the ack when cached or quick, else "looking up" then views.update, as for a card. */
async function answerList(deps: ListenerDependencies, { ack, view, client }: SubmissionArgs, requester: Requester, list: InteractionListRequest, origin: SealedOrigin): Promise<void> {
  const place = { channelId: origin.channelId, threadTs: origin.threadTs };
  const immediate = await deps.service.listNow(requester, list);
  if (immediate) return ack({ response_action: 'update', view: messageView(deps.answers.list(immediate, place).message, origin, 'Donor interactions') });
  await deps.work.run(async () => {
    const answer = deps.service.list(requester, list).then((outcome) => deps.answers.list(outcome, place));
    const quick = await within(answer, deps.slowNoticeMs);
    if (quick) return ack({ response_action: 'update', view: messageView(quick.message, origin, 'Donor interactions') });
    await ack({ response_action: 'update', view: messageView(lookingUpListMessage(list.identifier), origin, 'Donor interactions') });
    const ackedAt = performance.now();
    const result = await answer;
    await sleep(VIEW_SETTLE_MS - (performance.now() - ackedAt));
    try {
      await client.views.update({ view_id: view.id, view: messageView(result.message, origin, 'Donor interactions') });
    } catch (error) {
      deps.logger.warn('could not update the lookup modal', { error });
    }
  });
}

/**
 * After acking with `response_action: update`, Slack applies the ack's view some time after our
 * HTTP answer; a views.update that reaches it first is then overwritten by the ack, and the modal
 * stays on "Looking up…" for good. So the answer goes in the ack itself whenever it is ready within
 * `slowNoticeMs` (well inside Slack's 3 s), and otherwise the update waits this long after the ack.
 */
const VIEW_SETTLE_MS = 1000;

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
