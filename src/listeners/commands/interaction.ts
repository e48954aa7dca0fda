import type { AllMiddlewareArgs, RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { InteractionLookup } from '../../luminate/lookup.js';
import { parseCommandText } from '../../lookup/parse.js';
import { invalidInputMessage, lookingUpMessage, usageMessage } from '../../slack/messages.js';
import type { ListenerDependencies } from '../types.js';

export const INTERACTION_COMMAND = '/interaction';

/**
 * `/interaction <id> <identifier>`. Acks at once whatever Luminate does: help,
 * input problems and cached cards go in the ack itself; anything that needs
 * Luminate is answered through `response_url`, always ephemerally.
 */
export function interactionCommand(deps: ListenerDependencies) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const parsed = parseCommandText(command.text ?? '');
    if (parsed.kind === 'help') return ack({ response_type: 'ephemeral', ...usageMessage() });
    if (parsed.kind === 'invalid') return ack({ response_type: 'ephemeral', ...invalidInputMessage(parsed.problem) });

    const cached = deps.answers.fromCache(parsed.lookup);
    if (cached) return ack({ response_type: 'ephemeral', ...cached.message });

    await ack();
    await deps.work.run(() => answerLater(deps, parsed.lookup, respond));
  };
}

/**
 * A quick answer arrives as the only message. A slow one gets a "looking up…"
 * note first, so the person knows the command was heard; the card then
 * replaces it where Slack allows and follows it where it does not.
 */
async function answerLater(deps: ListenerDependencies, lookup: InteractionLookup, respond: RespondFn): Promise<void> {
  let noticeSent: Promise<unknown> | undefined;
  const timer = setTimeout(() => {
    noticeSent = respond({ response_type: 'ephemeral', ...lookingUpMessage(lookup) }).catch((error: unknown) =>
      deps.logger.warn('could not post the looking-up notice', { error }),
    );
  }, deps.slowNoticeMs);
  const answer = await deps.answers.answer(lookup).finally(() => clearTimeout(timer));
  await noticeSent;
  try {
    await respond({ response_type: 'ephemeral', ...(noticeSent ? { replace_original: true } : {}), ...answer.message });
  } catch (error) {
    deps.logger.warn('could not post the answer to response_url', { error, interactionId: lookup.interactionId });
  }
}
