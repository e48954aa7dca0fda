import type { types } from '@slack/bolt';
import type { Constituent, InteractionSummary } from '../../luminate/client.js';
import { formatIdentifier, type ConstituentIdentifier } from '../../luminate/identifiers.js';
import { LIST_PAGE_SIZE } from '../../service/list-cache.js';
import type { ListFilters } from '../../service/requests.js';
import { LIST_ACTIONS } from './action-ids.js';
import { donorName } from './interaction-card.js';
import type { SlackMessage } from './message.js';
import { LIMITS, describeAge, escapeMrkdwn, mrkdwn, slackDate, truncateMrkdwn } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;

export interface ListView {
  identifier: ConstituentIdentifier;
  filters: ListFilters;
  page: number;
  rows: readonly InteractionSummary[];
  hasOlder: boolean;
  fetchedAt: number;
  cached: boolean;
  now: number;
  typeNames: ReadonlyMap<string, string>;
  /** Who the donor is, when `getUser` answered in time; without a name the header shows the identifier alone. */
  donor?: Constituent;
  /** Already-safe mrkdwn after the freshness line, e.g. why a Refresh could not be done. */
  footer?: string;
}

/** Button values, each within 2000 characters: the page's own (with its page number) and each row's card. */
export interface ListButtons {
  page: (page: number) => string;
  row: (row: InteractionSummary) => string;
}

/** Luminate text is verbatim mrkdwn: a plain `@here` in a subject must never notify anyone. */
const VERBATIM = { type: 'mrkdwn', verbatim: true } as const;
const ROW_SUBJECT = 200;

function filterText(filters: ListFilters, typeNames: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  if (filters.since) parts.push(`since ${filters.since}`);
  if (filters.until) parts.push(`until ${filters.until}`);
  if (filters.typeId !== undefined) {
    const name = typeNames.get(String(filters.typeId));
    parts.push(`type ${name ? mrkdwn(name, 100) : filters.typeId}`);
  }
  return parts.join(', ');
}

function typeName(typeId: string | null, typeNames: ReadonlyMap<string, string>): string {
  if (typeId === null || typeId === '') return 'Interaction';
  return mrkdwn(typeNames.get(typeId) ?? `Type ${typeId}`, 100);
}

/** The button, or none when its signed value does not fit: a cut value would only fail its check on the click. */
function button(text: string, actionId: string, value: string): types.Button | undefined {
  return value.length <= LIMITS.buttonValue ? { type: 'button', text: { type: 'plain_text', text }, action_id: actionId, value } : undefined;
}

/**
 * A donor's interactions, one page, newest first. Pure: every Luminate and typed string is escaped,
 * verbatim and cut to Block Kit's limits, and a page of LIST_PAGE_SIZE rows is about 15 blocks.
 */
export function renderInteractionList(view: ListView, buttons: ListButtons): SlackMessage {
  const identifier = mrkdwn(formatIdentifier(view.identifier), 300);
  const name = donorName(view.donor);
  // The name is Luminate's text: escaped and cut on its own, so the identifier always follows it.
  const donor = name === null ? identifier : `${mrkdwn(name, 200)} (${identifier})`;
  const filters = filterText(view.filters, view.typeNames);
  const freshness = view.cached ? `cached, fetched ${describeAge(view.now - view.fetchedAt)}` : 'fetched just now';
  const blocks: KnownBlock[] = [
    { type: 'section', text: { ...VERBATIM, text: truncateMrkdwn(`*Interactions of ${donor}*${filters ? ` (${filters})` : ''}, newest first`, LIMITS.sectionText) } },
  ];
  if (view.rows.length === 0) {
    blocks.push({ type: 'context', elements: [{ ...VERBATIM, text: view.page === 0 ? 'None recorded.' : 'No older interactions.' }] });
  }
  for (const row of view.rows) {
    const subject = row.subject?.trim() ? truncateMrkdwn(escapeMrkdwn(row.subject.trim()), ROW_SUBJECT) : '_(no subject)_';
    const open = /^\d{1,16}$/.test(row.interactionId) ? button('Open', LIST_ACTIONS.open, buttons.row(row)) : undefined;
    blocks.push({
      type: 'section',
      text: { ...VERBATIM, text: truncateMrkdwn(`${slackDate(row.creationDate)} · ${typeName(row.typeId, view.typeNames)}\n${subject}`, LIMITS.sectionText) },
      ...(open ? { accessory: open } : {}),
    });
  }
  const first = view.page * LIST_PAGE_SIZE + 1;
  blocks.push(
    { type: 'divider' },
    {
      type: 'context',
      elements: [
        {
          ...VERBATIM,
          text: truncateMrkdwn(`From Luminate Online · ${freshness}.${view.rows.length > 0 ? ` Showing ${first}–${first + view.rows.length - 1}.` : ''}${view.footer ? ` ${view.footer}` : ''}`, LIMITS.contextText),
        },
      ],
    },
  );
  const actions = [
    view.page > 0 ? button('Newer', LIST_ACTIONS.newer, buttons.page(view.page - 1)) : undefined,
    view.hasOlder ? button('Older', LIST_ACTIONS.older, buttons.page(view.page + 1)) : undefined,
    button('Refresh', LIST_ACTIONS.refresh, buttons.page(view.page)),
  ].filter((b) => b !== undefined);
  if (actions.length > 0) blocks.push({ type: 'actions', block_id: 'interaction_list_actions', elements: actions });
  return { text: truncateMrkdwn(`Interactions of ${donor}${filters ? ` (${filters})` : ''}`, LIMITS.fallbackText), blocks: blocks.slice(0, LIMITS.blocksPerMessage) };
}

/** A donor with no interactions (matching the filters): a plain answer, not an error. */
export function noInteractionsMessage(identifier: ConstituentIdentifier, filters: ListFilters, typeNames: ReadonlyMap<string, string>): SlackMessage {
  const described = filterText(filters, typeNames);
  const text = `No interactions recorded for ${mrkdwn(formatIdentifier(identifier), 300)}${described ? ` (${described})` : ''}.`;
  return { text, blocks: [{ type: 'section', text: { ...VERBATIM, text } }] };
}
