import type { CardReference } from '../../card-reference.js';
import type { SlackMessage } from '../../render/message.js';
import type { ListenerDependencies } from '../types.js';

/**
 * The clicked card again, from the cache, with a line under it (after a Share, without the Share button).
 * Not a new lookup, so not audited; undefined when the answer is no longer cached.
 */
export function rerender(deps: ListenerDependencies, reference: CardReference, footer: string, canShare = false): SlackMessage | undefined {
  const card = deps.service.peekCard(reference.request);
  return card && deps.answers.card({ kind: 'card', request: reference.request, card }, { kind: 'private', reference, canShare, footer }).message;
}
