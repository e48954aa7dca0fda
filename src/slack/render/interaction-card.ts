import type { types } from '@slack/bolt';
import type { Constituent } from '../../luminate/client.js';
import type { Interaction } from '../../luminate/schema.js';
import { CARD_ACTIONS, LIST_ACTIONS } from './action-ids.js';
import type { SlackMessage } from './message.js';
import { LIMITS, describeAge, mrkdwn, plainText, slackDate, truncateMrkdwn, escapeMrkdwn } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;

export interface CardContext {
  /** When Luminate produced the answer, and whether this request was served from the cache. */
  fetchedAt: number;
  cached: boolean;
  now: number;
  /** Interaction type id → readable name (Luminate's API has no method that lists them). */
  typeNames: ReadonlyMap<string, string>;
  /** Who the donor is, when Luminate said in time; without a name the card shows the constituent id alone. */
  donor?: Constituent;
}

/** Which buttons the card carries. `value` identifies the lookup for Refresh and Share (at most 2000 characters). */
export interface CardButtons {
  value: string;
  refresh: boolean;
  share: boolean;
  /** The constituent's record in Luminate's admin site, or null when there is no constituent id. */
  openUrl: string | null;
  /** On a card opened from a donor's list: the list page's button value, for "Back to list". */
  back?: string;
}

export interface CardOptions {
  buttons?: CardButtons;
  /** A line under the card, e.g. who shared it; already-safe mrkdwn. */
  footer?: string;
}

const NOTE_LABEL = '*Note*\n';
const NOTE_SHORTENED = '\n_Shortened here: the full note is in Luminate Online._';
const EMPTY = '—';

/**
 * Every mrkdwn object on the card is `verbatim`: without it Slack turns a plain
 * `@here`, `@channel` or `#general` in a donor's note into a mention, which on a
 * shared card would notify the channel. Escaping covers `<…>`, not these.
 * Explicit `<!date^…>` and `<@U…>` tokens still render.
 */
const VERBATIM = { type: 'mrkdwn', verbatim: true } as const;

function field(label: string, value: string): types.MrkdwnElement {
  return { ...VERBATIM, text: truncateMrkdwn(`*${label}*\n${value}`, LIMITS.fieldText) };
}

function idText(id: string | null): string {
  return id === null || id === '' ? EMPTY : mrkdwn(id, 100);
}

function typeText(typeId: string | null, names: ReadonlyMap<string, string>): string {
  if (typeId === null || typeId === '') return EMPTY;
  const name = names.get(typeId);
  return name ? `${mrkdwn(name, 200)} (${mrkdwn(typeId, 50)})` : `Type ${mrkdwn(typeId, 50)}`;
}

/** "First Last" on one line, or null when Luminate hides or empties both parts. */
export function donorName(donor: Constituent | undefined): string | null {
  const name = [donor?.firstName, donor?.lastName]
    .filter((part): part is string => typeof part === 'string')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return name === '' ? null : name;
}

/** Where a person looks first for who this is: the donor's name, with the id Luminate knows them by. */
function constituentText(consId: string | null, donor: Constituent | undefined): string {
  const name = donorName(donor);
  if (name === null) return idText(consId);
  // Cut on its own so the id always fits after it: the field's limit leaves room for both.
  const shown = mrkdwn(name, 200);
  return consId === null || consId === '' ? shown : `${shown} (${idText(consId)})`;
}

/** Each line quoted; `>` inside the note is already `&gt;`, so only these markers quote. */
function quoteNote(text: string): string {
  const room = LIMITS.sectionText - NOTE_LABEL.length;
  const quoted = escapeMrkdwn(text.replace(/\r\n?/g, '\n'))
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
  return quoted.length <= room ? quoted : truncateMrkdwn(quoted, room - NOTE_SHORTENED.length) + NOTE_SHORTENED;
}

function noteBlocks(interaction: Interaction): KnownBlock[] {
  const { note } = interaction;
  if (!note) return [{ type: 'context', elements: [{ ...VERBATIM, text: '_No note on this interaction._' }] }];
  const body = note.text && note.text.trim() !== '' ? quoteNote(note.text) : '>_(empty note)_';
  const meta = [
    note.type ? mrkdwn(capitalise(note.type), 100) : 'Note',
    note.modifiedDate ? `last modified ${slackDate(note.modifiedDate)}${note.modifiedBy ? ` by ${idText(note.modifiedBy)}` : ''}` : null,
  ].filter(Boolean);
  return [
    { type: 'section', text: { ...VERBATIM, text: NOTE_LABEL + body } },
    { type: 'context', elements: [{ ...VERBATIM, text: truncateMrkdwn(meta.join(' · '), LIMITS.contextText) }] },
  ];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The interaction card shared by every surface. Pure: the same record and
 * context always give the same blocks, and every Luminate string in them is
 * escaped and within Block Kit's limits.
 */
export function renderInteractionCard(interaction: Interaction, context: CardContext, options: CardOptions = {}): SlackMessage {
  const subject = interaction.subject?.trim() || `Interaction ${interaction.interactionId}`;
  const freshness = context.cached
    ? `From Luminate Online · cached, fetched ${describeAge(context.now - context.fetchedAt)}`
    : 'From Luminate Online · fetched just now';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: plainText(subject, LIMITS.headerText) } },
    {
      type: 'section',
      fields: [
        field('Interaction', idText(interaction.interactionId)),
        field('Type', typeText(interaction.typeId, context.typeNames)),
        field('Constituent', constituentText(interaction.consId, context.donor)),
        field('Category', idText(interaction.categoryId)),
        field('Created', slackDate(interaction.creationDate)),
        field('Created by', idText(interaction.createdBy)),
      ],
    },
    ...noteBlocks(interaction),
    { type: 'divider' },
    { type: 'context', elements: [{ ...VERBATIM, text: truncateMrkdwn(`${freshness}.${options.footer ? ` ${options.footer}` : ''}`, LIMITS.contextText) }] },
  ];
  const actions = options.buttons && buttonElements(options.buttons);
  if (actions && actions.length > 0) blocks.push({ type: 'actions', block_id: 'interaction_actions', elements: actions });
  return {
    text: truncateMrkdwn(`Interaction ${mrkdwn(interaction.interactionId, 100)}: ${escapeMrkdwn(subject)}`, LIMITS.fallbackText),
    blocks: blocks.slice(0, LIMITS.blocksPerMessage),
  };
}

function buttonElements({ value, refresh, share, openUrl, back }: CardButtons): types.Button[] {
  const buttons: types.Button[] = [];
  if (back) buttons.push({ type: 'button', action_id: LIST_ACTIONS.back, text: { type: 'plain_text', text: 'Back to list' }, value: back });
  if (refresh) buttons.push({ type: 'button', action_id: CARD_ACTIONS.refresh, text: { type: 'plain_text', text: 'Refresh' }, value });
  if (share) {
    buttons.push({
      type: 'button',
      action_id: CARD_ACTIONS.share,
      text: { type: 'plain_text', text: 'Share in channel' },
      value,
      // Sharing is the one way donor data leaves the asker's view: Slack asks before it sends the click.
      confirm: {
        title: { type: 'plain_text', text: 'Share with the channel?' },
        text: { type: 'mrkdwn', text: "Everyone in this channel will see this donor's interaction, including the note." },
        confirm: { type: 'plain_text', text: 'Share' },
        deny: { type: 'plain_text', text: 'Cancel' },
      },
    });
  }
  if (openUrl && openUrl.length <= LIMITS.buttonUrl) {
    buttons.push({ type: 'button', action_id: CARD_ACTIONS.open, text: { type: 'plain_text', text: 'Open in Luminate' }, url: openUrl });
  }
  return buttons;
}
