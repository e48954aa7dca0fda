/**
 * Text safety for Slack. In mrkdwn `<…>` is control syntax (`<!channel>`,
 * `<@U1>`, `<https://x|label>`), so every string from Luminate or a person is
 * escaped, `&` first, and cut to Block Kit's limits: one oversized field makes
 * Slack reject the whole message.
 */

import { stripBidiControls } from '../../unicode.js';

/** Block Kit limits that apply to what the bot sends. */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  contextText: 2000,
  buttonValue: 2000,
  buttonUrl: 3000,
  modalTitle: 24,
  /** Slack shows at most ~4000 characters of a message's `text` and truncates notifications well before. */
  fallbackText: 3000,
} as const;

const ELLIPSIS = '…';

/** Escapes mrkdwn's control characters and drops bidirectional controls, the form untrusted text takes in mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return stripBidiControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts already-escaped mrkdwn to `max` UTF-16 units (Slack's count), ending in
 * "…". Never splits an entity (`&amp;`) or a surrogate pair.
 */
export function truncateMrkdwn(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  let cut = max - ELLIPSIS.length;
  const entityStart = escaped.lastIndexOf('&', cut);
  if (entityStart !== -1 && entityStart > cut - 5) {
    const entityEnd = escaped.indexOf(';', entityStart);
    if (entityEnd >= cut) cut = entityStart;
  }
  return cutWithEllipsis(escaped, cut);
}

function cutWithEllipsis(text: string, cut: number): string {
  const end = cut > 0 && /[\uD800-\uDBFF]/.test(text[cut - 1]!) ? cut - 1 : cut;
  return text.slice(0, end) + ELLIPSIS;
}

/** Escaped and cut: the form every untrusted string takes in a mrkdwn field. */
export function mrkdwn(untrusted: string, max: number): string {
  return truncateMrkdwn(escapeMrkdwn(untrusted), max);
}

/** For `plain_text` objects (header, modal title): Slack does not parse them, so only the length matters. */
export function plainText(untrusted: string, max: number): string {
  const flat = stripBidiControls(untrusted).replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : cutWithEllipsis(flat, max - ELLIPSIS.length);
}

/**
 * A date each reader sees in their own time zone. The fallback (shown where
 * Slack cannot render the token) is UTC, spelled out.
 */
export function slackDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return mrkdwn(iso, 100);
  const fallback = new Date(ms).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
  // Slack's date token takes seconds since 1970; anything earlier is shown as plain UTC text.
  if (ms < 0) return mrkdwn(fallback, 100);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${fallback}>`;
}

/** "just now", "4 minutes ago", "2 hours ago": how old a cached answer is. */
export function describeAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'} ago`;
}
