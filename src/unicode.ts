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
