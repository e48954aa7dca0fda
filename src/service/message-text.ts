import { cutText, stripBidiControls } from '../unicode.js';

/**
 * Slack message text → the plain text a person reads, for what is written to Luminate.
 * Slack sends typed text with `&`, `<` and `>` as entities and everything else it renders as
 * `<…>` tokens: `<@U123>` and `<@U123|name>` mentions, `<#C123|general>` channels, `<!here>`,
 * `<!subteam^S1|@team>`, `<!date^…|fallback>`, `<https://x|label>` and `<mailto:a@b|a@b>` links.
 */

/**
 * How much of a message is read. Slack allows 40 000 characters; a note holds 1 500, and
 * decoding shrinks text by little (a mention of ten characters becomes a name), so this is
 * ample, and it bounds the work a crafted message can cause.
 */
export const MAX_MESSAGE_CHARS = 8000;
/** A name or label longer than this is cut: the note is for what was said, not for names. */
const MAX_NAME_CHARS = 80;
/** Most ids {@link mentionedIds} returns of each kind: each costs the caller a Slack call. */
export const MAX_MENTIONS = 20;

/** Names for the ids a message mentions, as the caller looked them up; undefined falls back to Slack's label, then the id. */
export interface NameResolvers {
  userName?: (userId: string) => string | undefined;
  channelName?: (channelId: string) => string | undefined;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>' };

/** Slack's three entities, in one pass: `&amp;lt;` is the text `&lt;`, not `<`. */
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_whole, name: string) => ENTITIES[name]!);
}

/** A name on one line, without controls, at most {@link MAX_NAME_CHARS}. */
function oneLine(name: string): string {
  const flat = stripBidiControls(name.slice(0, MAX_NAME_CHARS * 4))
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
    .replace(/[\s\u0000-\u001f\u007f-\u009f]+/gu, ' ')
    .trim();
  return cutText(flat, MAX_NAME_CHARS);
}

/** `@name` for a label that may or may not start with `@` already (Slack's user group labels do). */
function at(name: string): string {
  return name.startsWith('@') ? name : `@${name}`;
}

function firstKnown(...names: (string | undefined)[]): string {
  for (const name of names) {
    const line = name === undefined ? '' : oneLine(name);
    if (line !== '') return line;
  }
  return '';
}

/** One `<…>` token's text. */
function tokenText(inner: string, { userName, channelName }: NameResolvers): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : decodeEntities(inner.slice(bar + 1));
  switch (target.charAt(0)) {
    case '@': {
      const id = target.slice(1);
      return at(firstKnown(userName?.(id), label, id));
    }
    case '#': {
      const id = target.slice(1);
      return `#${firstKnown(channelName?.(id), label, id)}`;
    }
    case '!': {
      const [command = '', argument = ''] = target.slice(1).split('^', 2);
      if (command === 'here' || command === 'channel' || command === 'everyone') return `@${command}`;
      if (command === 'subteam') return at(firstKnown(label, argument));
      if (command === 'date') return label ?? '';
      return label ?? command;
    }
  }
  const url = decodeEntities(target);
  if (/^mailto:/i.test(url)) {
    const address = url.slice('mailto:'.length);
    return label === undefined || label === address ? address : `${label} (${address})`;
  }
  // Slack links a typed "example.org" as <http://example.org|example.org>: the label is the URL.
  const bare = url.replace(/^[a-z][\w+.-]{0,20}:\/\//i, '');
  return label === undefined || label === '' || label === url || label === bare ? url : `${label} (${url})`;
}

/**
 * The message as plain text: mentions as names (`@Ana`), channels as `#name`, links as their URL
 * (or "label (url)" when the label says something else), entities decoded. Reads at most
 * {@link MAX_MESSAGE_CHARS}. A scan from each `<` to the next `>`, not a pattern: each
 * character is looked at a bounded number of times whatever the text holds.
 */
export function slackTextToPlain(text: string, resolvers: NameResolvers = {}): string {
  const capped = text.length > MAX_MESSAGE_CHARS ? text.slice(0, MAX_MESSAGE_CHARS) : text;
  let out = '';
  let from = 0;
  for (;;) {
    const open = capped.indexOf('<', from);
    if (open === -1) break;
    const close = capped.indexOf('>', open + 1);
    if (close === -1) break;
    out += decodeEntities(capped.slice(from, open)) + tokenText(capped.slice(open + 1, close), resolvers);
    from = close + 1;
  }
  return out + decodeEntities(capped.slice(from));
}

const USER_ID = /^[UW][A-Z0-9]{2,20}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,20}$/;

/**
 * The users and channels a message mentions, for the caller to look their names up before
 * {@link slackTextToPlain}: distinct, in order, at most {@link MAX_MENTIONS} of each.
 */
export function mentionedIds(text: string): { users: string[]; channels: string[] } {
  const capped = text.length > MAX_MESSAGE_CHARS ? text.slice(0, MAX_MESSAGE_CHARS) : text;
  const users = new Set<string>();
  const channels = new Set<string>();
  for (let open = capped.indexOf('<'); open !== -1; open = capped.indexOf('<', open + 1)) {
    const kind = capped.charAt(open + 1);
    if (kind !== '@' && kind !== '#') continue;
    const close = capped.indexOf('>', open + 2);
    if (close === -1) break;
    const inner = capped.slice(open + 2, Math.min(close, open + 2 + 40));
    const bar = inner.indexOf('|');
    const id = bar === -1 ? inner : inner.slice(0, bar);
    if (kind === '@' && USER_ID.test(id) && users.size < MAX_MENTIONS) users.add(id);
    if (kind === '#' && CHANNEL_ID.test(id) && channels.size < MAX_MENTIONS) channels.add(id);
    open = close;
  }
  return { users: [...users], channels: [...channels] };
}
