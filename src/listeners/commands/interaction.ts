import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Presentation } from '../../lookup/answer-lookups.js';
import { parseCommandText } from '../../lookup/parse.js';
import type { SlackMessage } from '../../slack/interaction-card.js';
import { invalidInputMessage, lookingUpListMessage, lookingUpMessage, usageMessage } from '../../slack/messages.js';
import type { Respond } from '../../slack/response-url.js';
import type { FlowResult, LookupRequest } from '../lookup-flow.js';
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
    const request: LookupRequest = { userId: command.user_id, teamId: command.team_id ?? null, channelId: command.channel_id ?? null, surface: 'command' };
    const parsed = parseCommandText(command.text ?? '', { typeNames: deps.typeNames });
    if (parsed.kind === 'help') return ack({ response_type: 'ephemeral', ...usageMessage() });
    if (parsed.kind === 'invalid') {
      deps.flow.recordInvalid(request);
      return ack({ response_type: 'ephemeral', ...invalidInputMessage(parsed.problem) });
    }
    if (parsed.kind === 'list') {
      const place = { channelId: request.channelId, threadTs: null };
      const immediate = deps.lists.immediate(request, parsed.list, place);
      if (immediate) return ack({ response_type: 'ephemeral', ...immediate.message });
      await ack();
      const list = parsed.list;
      await deps.work.run(() => answerLater(deps, lookingUpListMessage(list.identifier), () => deps.lists.run(request, list, place), deps.responseUrls.to(command.response_url)));
      return;
    }

    const presentation: Presentation = {
      kind: 'private',
      reference: { lookup: parsed.lookup, channelId: request.channelId, threadTs: null },
      canShare: request.channelId !== null,
    };
    const immediate = deps.flow.immediate(request, parsed.lookup, presentation);
    if (immediate) return ack({ response_type: 'ephemeral', ...immediate.message });

    await ack();
    const lookup = parsed.lookup;
    await deps.work.run(() => answerLater(deps, lookingUpMessage(lookup), () => deps.flow.run(request, lookup, presentation), deps.responseUrls.to(command.response_url)));
  };
}

/**
 * A quick answer arrives as the only message. A slow one gets a "looking up…"
 * note first, so the person knows the command was heard; the card then
 * replaces it where Slack allows and follows it where it does not.
 */
async function answerLater(deps: ListenerDependencies, notice: SlackMessage, run: () => Promise<FlowResult>, respond: Respond): Promise<void> {
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
