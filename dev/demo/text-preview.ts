import type { types } from '@slack/bolt';

/**
 * Block Kit as a terminal would show it: mrkdwn entities decoded, date tokens
 * replaced by their fallback. For the demo's eyes only; Slack renders the real thing.
 */
/** Where a row's button starts: past the longest date and type, within the 60-column divider. */
const ROW_WIDTH = 48;

export function previewBlocks(blocks: readonly types.KnownBlock[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        lines.push(`▌ ${block.text.text}`, '');
        break;
      case 'section': {
        // A section's accessory (a list row's Open button) sits at the right of its first line.
        const accessory = block.accessory && 'text' in block.accessory && block.accessory.text ? `[ ${block.accessory.text.text} ]` : '';
        if (block.text) {
          const [first = '', ...rest] = quoted(readable(block.text.text)).split('\n');
          lines.push(accessory ? `${first.padEnd(ROW_WIDTH)} ${accessory}` : first, ...rest, '');
        }
        // Slack lays fields out two to a row.
        for (let i = 0; i < (block.fields?.length ?? 0); i += 2) {
          const [left, right] = [block.fields![i]!, block.fields![i + 1]].map((f) => (f ? readable(f.text).replace('\n', ': ') : ''));
          lines.push(right ? `${left!.padEnd(32)} ${right}` : left!);
        }
        if (block.fields) lines.push('');
        break;
      }
      case 'context':
        for (const element of block.elements) if ('text' in element) lines.push(`  ${readable(element.text)}`);
        lines.push('');
        break;
      case 'divider':
        lines.push('─'.repeat(60));
        break;
      case 'actions':
        lines.push(
          ` ${block.elements
            .map((e) => ('text' in e && e.text && 'text' in e.text ? `[ ${e.text.text}${'url' in e && e.url ? ' ↗' : ''} ]` : `[${e.type}]`))
            .join('  ')}`,
          '',
        );
        break;
      default:
        lines.push(`[${block.type} block]`, '');
    }
  }
  return lines.join('\n').trimEnd();
}

function readable(mrkdwn: string): string {
  return mrkdwn
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1$2')
    .replace(/(^|[\s(])_([^_\n]+)_/g, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A mrkdwn block quote (`>` at a line's start) as Slack draws it: a bar beside the text. */
function quoted(text: string): string {
  return text.replace(/^>/gm, '│ ');
}
