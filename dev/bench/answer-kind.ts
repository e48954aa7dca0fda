/* Shared by the driver (run-bench.ts) and the stand-ins' process, which must not import each other. */

/**
 * What a message the bot sent for a lookup is: the "Looking up…" note, the answer (a card or a page),
 * or a notice that the lookup failed or was refused. A notice has blocks too, so counting every message
 * with blocks as a card would count a lookup that failed (and was then fetched again) as answered.
 */
export type AnswerKind = 'looking-up' | 'answer' | 'notice';

const NOTICE_EMOJI = [':warning:', ':no_entry:', ':hourglass:'];

export function answerKind(body: { text?: unknown; blocks?: unknown }): AnswerKind {
  if (String(body.text).startsWith(':hourglass_flowing_sand:')) return 'looking-up';
  if (!Array.isArray(body.blocks) || body.blocks.length === 0) return 'notice';
  const headline = String((body.blocks[0] as { text?: { text?: unknown } }).text?.text ?? '');
  return NOTICE_EMOJI.some((emoji) => headline.startsWith(`${emoji} `)) ? 'notice' : 'answer';
}
