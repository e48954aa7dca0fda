import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Requester } from '../../../service/outcomes.js';
import type { SlackMessage } from '../../render/message.js';
import { messageView } from '../../render/lookup-modal.js';
import type { ListenerDependencies } from '../types.js';

export type CardActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** A message, or how to build it at the moment it is written (so a retry after a conflict reflects the latest state). */
export type CardContent = SlackMessage | (() => SlackMessage);

/** Whether the clicked card sits in a modal (no response_url there: views.update instead). */
export function inModal(body: BlockAction): body is BlockAction & { view: NonNullable<BlockAction['view']> } {
  return body.view !== undefined && body.container?.type === 'view';
}

/**
 * The channel a click counts as coming from, for the access check and for Share. In a message,
 * Slack reports the channel itself. In a modal, Slack reports none, and a button's value is the
 * sender's to write: only the origin the bot sealed into the modal's metadata when the surface
 * that opened it was checked (none for the global shortcut) counts.
 */
function clickChannel(deps: ListenerDependencies, body: BlockAction, fromButton: string | null): string | null {
  if (inModal(body)) return deps.origins.open(body.view.private_metadata).channelId;
  return body.channel?.id ?? fromButton;
}

/**
 * How a click on a button that carries a reference begins: ack at once (Slack's 3 s), read the
 * button's value with `decode`, and say who asks from where (see {@link clickChannel}). Undefined,
 * after the `unreadable` warning, for a value this bot did not write: there is nothing to look up.
 */
export async function acceptClick<R extends { channelId: string | null }>(
  deps: ListenerDependencies,
  args: CardActionArgs,
  decode: (value: string | undefined) => R | null,
  unreadable: string,
): Promise<{ reference: R; requester: Omit<Requester, 'surface'> } | undefined> {
  const { ack, body, action } = args;
  await ack();
  const reference = decode((action as ButtonAction).value);
  if (!reference) {
    deps.logger.warn(unreadable);
    return undefined;
  }
  return { reference, requester: { userId: body.user.id, teamId: body.team?.id ?? null, channelId: clickChannel(deps, body, reference.channelId) } };
}

/**
 * What this process last wrote into each modal showing a card: Slack's `hash` for the view after
 * that write, and the channel the card was shared to from it. Slack has no views.get, so after a
 * `hash_conflict` this is the only way to re-read a modal: when the conflicting write was ours, its
 * hash is here and the retry can build on it. Modals have no fixed lifetime; an hour covers a person's use.
 */
export class ModalMemory {
  readonly #views = new LRUCache<string, { hash?: string; sharedIn?: string }>({ max: 5000, ttl: 60 * 60_000 });

  hash(viewId: string): string | undefined {
    return this.#views.get(viewId)?.hash;
  }

  sharedIn(viewId: string): string | undefined {
    return this.#views.get(viewId)?.sharedIn;
  }

  remember(viewId: string, update: { hash?: string; sharedIn?: string }): void {
    this.#views.set(viewId, { ...this.#views.get(viewId), ...update });
  }
}

function slackError(error: unknown): string | undefined {
  return (error as { data?: { error?: string } }).data?.error;
}

/**
 * views.update with the hash Slack gave the clicked view, so a click that started before another
 * update (a Share and a Refresh at once) cannot silently undo it. On `hash_conflict` it re-reads the
 * modal from our own last write and retries once, rebuilding the content; when the newer write was
 * not ours, that write stands and nothing is overwritten.
 */
async function updateModal(deps: ListenerDependencies, args: CardActionArgs, modals: ModalMemory, content: CardContent): Promise<void> {
  const view = (args.body as BlockAction & { view: NonNullable<BlockAction['view']> }).view;
  const origin = deps.origins.open(view.private_metadata);
  let hash: string | undefined = view.hash || undefined;
  for (let attempt = 0; ; attempt += 1) {
    const message = typeof content === 'function' ? content() : content;
    try {
      const response = await args.client.views.update({ view_id: view.id, ...(hash ? { hash } : {}), view: messageView(message, origin) });
      modals.remember(view.id, { hash: response.view?.hash });
      return;
    } catch (error) {
      const conflict = slackError(error) === 'hash_conflict';
      const latest = modals.hash(view.id);
      if (conflict && attempt === 0 && latest !== undefined && latest !== hash) {
        hash = latest;
        continue;
      }
      deps.logger.warn(conflict ? 'the modal changed since the click; leaving the newer view' : 'could not update the clicked card', { error });
      return;
    }
  }
}

/** Replaces the card that was clicked with `message`, wherever it is: an ephemeral message or a modal. */
export async function replaceClickedCard(deps: ListenerDependencies, args: CardActionArgs, modals: ModalMemory, content: CardContent): Promise<void> {
  if (inModal(args.body)) return updateModal(deps, args, modals, content);
  try {
    const message = typeof content === 'function' ? content() : content;
    await deps.responseUrls.to(args.body.response_url)({ response_type: 'ephemeral', replace_original: true, ...message });
  } catch (error) {
    deps.logger.warn('could not update the clicked card', { error });
  }
}

/** Tells the person something beside the card, without replacing it (in a modal, there is only the card). */
export async function tellClicker(deps: ListenerDependencies, args: CardActionArgs, modals: ModalMemory, message: SlackMessage): Promise<void> {
  if (inModal(args.body)) return replaceClickedCard(deps, args, modals, message);
  try {
    await deps.responseUrls.to(args.body.response_url)({ response_type: 'ephemeral', replace_original: false, ...message });
  } catch (error) {
    deps.logger.warn('could not answer the click', { error });
  }
}
