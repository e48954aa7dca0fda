import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Requester } from '../../../service/outcomes.js';
import type { Answer, Presentation } from '../../answer.js';
import { parseCommandText } from '../../../service/requests.js';
import type { SlackMessage } from '../../render/message.js';
import { invalidInputMessage, lookingUpListMessage, lookingUpMessage, usageMessage } from '../../render/help-messages.js';
import type { Respond } from '../../response-url.js';
import type { ListenerDependencies } from '../types.js';

export const INTERACTION_COMMAND = '/interaction';

/**
 * `/interaction <id> <identifier>`. Acks at once whatever Luminate does: help,
 * input problems and cached cards go in the ack itself; anything that needs
 * Luminate (or a Slack call to check access) is answered through
 * `response_url`, always ephemerally.
 */
export function interactionCommand(deps: ListenerDependencies) {
  return async ({ command, ack }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const requester: Requester = { userId: command.user_id, teamId: command.team_id ?? null, channelId: command.channel_id ?? null, surface: 'command' };
    const parsed = parseCommandText(command.text ?? '', { typeNames: deps.typeNames });
    if (parsed.kind === 'help') return ack({ response_type: 'ephemeral', ...usageMessage() });
    if (parsed.kind === 'invalid') {
      deps.service.recordInvalid(requester);
      return ack({ response_type: 'ephemeral', ...invalidInputMessage(parsed.problem) });
    }
    if (parsed.kind === 'list') {
      const place = { channelId: requester.channelId, threadTs: null };
      const immediate = await deps.service.listNow(requester, parsed.list);
      if (immediate) return ack({ response_type: 'ephemeral', ...deps.answers.list(immediate, place).message });
      await ack();
      const list = parsed.list;
      const answer = async () => deps.answers.list(await deps.service.list(requester, list), place);
      await deps.work.run(() => answerLater(deps, lookingUpListMessage(list.identifier), answer, deps.responseUrls.to(command.response_url)));
      return;
    }

    const presentation: Presentation = {
      kind: 'private',
      reference: { request: parsed.request, channelId: requester.channelId, threadTs: null },
      canShare: requester.channelId !== null,
    };
    const immediate = await deps.service.cardNow(requester, parsed.request);
    if (immediate) return ack({ response_type: 'ephemeral', ...deps.answers.card(immediate, presentation).message });

    await ack();
    const request = parsed.request;
    const answer = async () => deps.answers.card(await deps.service.card(requester, request), presentation);
    await deps.work.run(() => answerLater(deps, lookingUpMessage(request), answer, deps.responseUrls.to(command.response_url)));
  };
}

/**
 * A quick answer arrives as the only message. A slow one gets a "looking up…"
 * note first, so the person knows the command was heard; the card then
 * replaces it where Slack allows and follows it where it does not.
 */
async function answerLater(deps: ListenerDependencies, notice: SlackMessage, run: () => Promise<Answer>, respond: Respond): Promise<void> {
  // Resolves to whether Slack took the notice: replace_original only replaces a message that exists.
  let noticePosted: Promise<boolean> | undefined;
  const timer = setTimeout(() => {
    noticePosted = respond({ response_type: 'ephemeral', ...notice }).then(
      () => true,
      (error: unknown) => {
        deps.logger.warn('could not post the looking-up notice', { error });
        return false;
      },
    );
  }, deps.slowNoticeMs);
  const result = await run().finally(() => clearTimeout(timer));
  const replace = (await noticePosted) === true;
  try {
    await respond({ response_type: 'ephemeral', ...(replace ? { replace_original: true } : {}), ...result.message });
  } catch (error) {
    deps.logger.warn('could not post the answer to response_url', { error });
  }
}
