import type { types } from '@slack/bolt';

/**
 * Block Kit as a terminal would show it: mrkdwn entities decoded, date tokens
 * replaced by their fallback. For the demo's eyes only; Slack renders the real thing.
 */
export function previewBlocks(blocks: readonly types.KnownBlock[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        lines.push(`▌ ${block.text.text}`, '');
        break;
      case 'section':
        if (block.text) lines.push(readable(block.text.text), '');
        for (const field of block.fields ?? []) lines.push(readable(field.text).replace('\n', ': '));
        if (block.fields) lines.push('');
        break;
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
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
