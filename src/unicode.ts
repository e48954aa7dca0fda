/**
 * Unicode's bidirectional controls (embeddings, overrides, isolates and the
 * invisible direction marks) make text display in another order than it is
 * stored: "Refund \u202Efdp.exe" reads as "Refund exe.pdf". Slack renders them,
 * so they are dropped from anything shown (cards, echoed input) that came from Luminate or a person.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** How far back from the cut a word break is looked for, as a share of the limit. */
const WORD_BREAK_REACH = 0.2;

/**
 * `text` within `max` UTF-16 units (the unit Slack and Luminate's Java count), ending in "…"
 * when cut. Never cut inside a grapheme (an emoji with its modifiers, a letter with its accents),
 * and at the last space when one lies within the last fifth, so a word is not broken.
 * Only the first `max` characters are segmented, whatever the length of `text`.
 */
export function cutText(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  const room = max - ellipsis.length;
  if (room < 0) return '';
  // Past the room by one code point: the grapheme that crosses the room then ends past it and is
  // left out (a grapheme cut between code points is still one segment; cut inside a pair, two).
  const scan = /[\uD800-\uDBFF]/.test(text.charAt(room)) ? room + 2 : room + 1;
  let end = 0;
  for (const { index, segment } of GRAPHEMES.segment(text.slice(0, scan))) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  const reach = Math.max(1, Math.floor(max * WORD_BREAK_REACH));
  for (let at = end; at > 0 && at >= end - reach; at -= 1) {
    if (/\s/u.test(text[at]!)) {
      end = at;
      break;
    }
  }
  while (end > 0 && /\s/u.test(text[end - 1]!)) end -= 1;
  return text.slice(0, end) + ellipsis;
}
