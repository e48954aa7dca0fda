import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { noteRoom, provenanceLine, validateDraft } from '../../../service/log-draft.js';
import type { LogOutcome } from '../../../service/log-service.js';
import type { Requester } from '../../../service/outcomes.js';
import { describeLogFailure } from '../../render/failure-messages.js';
import { formErrors, inlineError, LOG_FORM, logFormView, submittedValues } from '../../render/log-form.js';
import { loggingMessage } from '../../render/log-messages.js';
import { messageView } from '../../render/lookup-modal.js';
import type { SlackMessage } from '../../render/message.js';
import type { SealedOrigin } from '../../modal-origin.js';
import { within } from '../../../within.js';
import { postPrivately } from '../shortcuts/message-shortcut.js';
import type { ListenerDependencies } from '../types.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Names read at the shortcut are remembered; one not read by then gets this long, inside the ack's 3 s. */
const PROVENANCE_MS = 500;
/** After an ack that replaces the view, Slack applies it a little later: an update sooner would be overwritten (see lookup-modal-submission). */
const VIEW_SETTLE_MS = 1000;
const MODAL_TITLE = 'Log to Luminate';

/**
 * The form's submit. Fields over Luminate's limits, a donor that does not parse or a type the site
 * lacks: inline errors, nothing sent. Otherwise the one write, through the service; when it answers
 * within `slowNoticeMs` the ack carries the result (Luminate's refusals that name a field as inline
 * errors, so what was typed stays), else the form says "Logging…" and is updated after.
 */
export function logFormSubmission(deps: ListenerDependencies) {
  return async ({ ack, view, body, client }: Args): Promise<void> => {
    // Only what the bot sealed when it opened the form counts: channel, thread and message.
    const origin = deps.origins.open(view.private_metadata);
    const requester: Requester = { userId: body.user.id, teamId: body.team?.id ?? null, channelId: origin.channelId, surface: 'log_form' };
    const typed = submittedValues(view.state.values as Parameters<typeof submittedValues>[0]);
    const provenance = await deps.directory.provenance({ userId: requester.userId, channelId: origin.channelId, messageTs: origin.messageTs ?? null }, PROVENANCE_MS);
    const line = provenanceLine(provenance);
    const check = validateDraft(typed, { typeNames: deps.typeNames, provenance: line });
    if (!check.ok) {
      deps.logs.recordInvalid(requester);
      await ack({ response_action: 'errors', errors: formErrors(check.problems) });
      return;
    }
    const place = { channelId: origin.channelId, threadTs: origin.threadTs };
    const form = (problem: string) => logFormView({ origin, values: typed, typeNames: deps.typeNames, noteMax: noteRoom(line), problem });

    await deps.work.run(async () => {
      const outcome = deps.logs.log(requester, {
        viewId: view.id,
        entry: check.entry,
        // The second-click guard's entry: what was typed, on which message; never the provenance line (its permalink may be late).
        entered: { note: check.note, channelId: origin.channelId, messageTs: origin.messageTs ?? null },
      });
      const quick = await within(outcome, deps.slowNoticeMs);
      if (quick) {
        const failure = fieldFailure(quick);
        if (failure) return ack({ response_action: 'errors', errors: { [LOG_FORM.blocks[failure.field]]: inlineError(failure.inline) } });
        const kept = keepForm(quick, form);
        if (kept) return ack({ response_action: 'update', view: kept });
        const message = deps.answers.log(quick, place);
        await ack({ response_action: 'update', view: messageView(message, origin, MODAL_TITLE) });
        return tellThread(deps, client, requester.userId, origin, quick, message);
      }
      await ack({ response_action: 'update', view: messageView(loggingMessage(), origin, MODAL_TITLE) });
      const ackedAt = performance.now();
      const result = await outcome;
      const message = deps.answers.log(result, place);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, VIEW_SETTLE_MS - (performance.now() - ackedAt))));
      // The form comes back with what was typed when nothing was logged and the person can fix or retry it.
      const next = keepForm(result, form) ?? messageView(message, origin, MODAL_TITLE);
      await client.views.update({ view_id: view.id, view: next }).catch((error: unknown) => deps.logger.warn('could not update the log form', { error }));
      await tellThread(deps, client, requester.userId, origin, result, message);
    });
  };
}

/** A refusal Luminate gave about one field (unknown donor, several donors, a type the site lacks). */
function fieldFailure(outcome: LogOutcome) {
  if (outcome.kind !== 'failed') return undefined;
  const description = describeLogFailure(outcome.error, outcome.identifier);
  return description.field ? { field: description.field, inline: description.inline } : undefined;
}

/** Nothing was logged: the form again, with what was typed and why, so a retry is one click. */
function keepForm(outcome: LogOutcome, form: (problem: string) => ReturnType<typeof logFormView>) {
  if (outcome.kind !== 'failed') return undefined;
  const { headline, action } = describeLogFailure(outcome.error, outcome.identifier);
  return form(`:warning: ${headline}\n${action}`);
}

/**
 * What may now be in Luminate (logged, or perhaps logged), also in the thread, only to the person,
 * where it stays after the form is closed. Refusals and repeats are for the form alone.
 */
async function tellThread(deps: ListenerDependencies, client: Args['client'], user: string, origin: SealedOrigin, outcome: LogOutcome, message: SlackMessage): Promise<void> {
  if (!origin.channelId || (outcome.kind !== 'logged' && outcome.kind !== 'uncertain')) return;
  // postPrivately falls back to a response_url; a modal has none, so a failure is only logged.
  await postPrivately(deps, client, async () => undefined, user, origin, message);
}

