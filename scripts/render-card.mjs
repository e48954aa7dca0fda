// Redraws docs/card.png, the README's picture of the card: runs the demo's lookup
// (`/interaction 1000 jane@example.org` against the stand-ins), draws its Block Kit as a
// Slack-like HTML page, and screenshots that with headless Chromium. Not part of npm test.
// After the file name, the demo's arguments draw another answer (docs/list.png: a donor's list).
//
//   npm run build:dev && node scripts/render-card.mjs [out.png [demo arguments]]
//   node scripts/render-card.mjs docs/list.png jane@example.org
//
// Needs Chromium (Debian: apt-get install chromium) or CHROMIUM=/path/to/chrome.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const out = resolve(process.argv[2] ?? 'docs/card.png');
const demo = resolve('build/dev/demo/run-demo.js');
if (!existsSync(demo)) {
  console.error(`${demo} is missing: run "npm run build:dev" first.`);
  process.exit(1);
}
const { runDemo } = await import(pathToFileURL(demo).href);
const { message } = await runDemo(process.argv.slice(3).join(' ').trim() || '1000 jane@example.org', () => {});

const html = page(message.blocks ?? []);
const work = mkdtempSync(join(tmpdir(), 'render-card-'));
try {
  const file = join(work, 'card.html');
  writeFileSync(file, html);
  const chromium = process.env.CHROMIUM ?? 'chromium';
  const shot = spawnSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      '--force-device-scale-factor=2',
      `--user-data-dir=${join(work, 'profile')}`,
      `--screenshot=${out}`,
      `--window-size=640,${height(message.blocks ?? [])}`,
      pathToFileURL(file).href,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (shot.status !== 0 || !existsSync(out)) {
    console.error(`${chromium} failed (${shot.error?.message ?? `exit ${shot.status}`}):\n${shot.stderr}`);
    process.exit(1);
  }
  console.log(`wrote ${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * The window's height in CSS pixels: Chromium's --screenshot takes the window, not the page, so
 * make it fit the blocks (line heights from the page's style below, with a little to spare).
 */
function height(blocks) {
  let px = 118;
  for (const b of blocks) {
    if (b.type === 'header') px += 40;
    else if (b.type === 'section') px += (b.accessory ? 8 : 12) + 22 * ((b.text?.text.split('\n').length ?? 0) + Math.ceil((b.fields?.length ?? 0) / 2) * 1.4);
    else if (b.type === 'context') px += 28;
    else if (b.type === 'divider') px += 21;
    else if (b.type === 'actions') px += 44;
  }
  return Math.ceil(px);
}

/** Plain text into HTML. */
function esc(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Slack mrkdwn into HTML. The bot's mrkdwn already escapes &, < and > as entities, which
 * HTML reads the same way; what remains of `<…>` is Slack's own syntax (dates, links).
 */
function mrkdwn(text) {
  const lines = text.split('\n');
  const html = [];
  let quote = [];
  const flush = () => {
    if (quote.length) html.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    const inline = line
      // A date token shows its fallback where the reader's time zone isn't known.
      .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
      .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '<a href="$1">$2</a>')
      .replace(/<(https?:[^>]+)>/g, '<a href="$1">$1</a>')
      .replace(/<@([A-Z0-9]+)>/g, '<span class="mention">@$1</span>')
      .replace(/(^|[\s(>])\*([^*\n]+)\*/g, '$1<b>$2</b>')
      .replace(/(^|[\s(>])_([^_\n]+)_/g, '$1<i>$2</i>')
      .replace(/`([^`\n]+)`/g, '<code>$1</code>');
    if (/^&gt;|^>/.test(line)) quote.push(inline.replace(/^(&gt;|>)\s?/, ''));
    else {
      flush();
      html.push(inline);
    }
  }
  flush();
  return html.join('<br>').replace(/<br>(<blockquote>)/g, '$1').replace(/(<\/blockquote>)<br>/g, '$1');
}

function block(b) {
  switch (b.type) {
    case 'header':
      return `<div class="header">${esc(b.text.text)}</div>`;
    case 'section':
      return `<div class="section${b.accessory ? ' row' : ''}">${b.text ? `<div>${mrkdwn(b.text.text)}</div>` : ''}${
        b.accessory?.text ? `<span class="button">${esc(b.accessory.text.text)}</span>` : ''
      }${
        b.fields ? `<div class="fields">${b.fields.map((f) => `<div>${mrkdwn(f.text)}</div>`).join('')}</div>` : ''
      }</div>`;
    case 'context':
      return `<div class="context">${b.elements.map((e) => `<span>${e.type === 'mrkdwn' ? mrkdwn(e.text) : esc(e.text ?? '')}</span>`).join('')}</div>`;
    case 'divider':
      return '<hr>';
    case 'actions':
      return `<div class="actions">${b.elements.map((e) => `<span class="button">${esc(e.text?.text ?? '')}${e.url ? ' <span class="ext">↗</span>' : ''}</span>`).join('')}</div>`;
    default:
      return '';
  }
}

function page(blocks) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Luminate Interactions card</title><style>
  body { margin: 0; background: #fff; font: 15px/1.46668 "Lato", "Liberation Sans", "DejaVu Sans", sans-serif; color: #1d1c1d; }
  .message { display: flex; gap: 8px; padding: 20px 24px 24px 20px; }
  .avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; background: #1264a3; color: #fff; font-weight: 900; font-size: 18px; display: flex; align-items: center; justify-content: center; }
  .body { flex: 1; min-width: 0; }
  .meta { display: flex; align-items: baseline; gap: 6px; }
  .name { font-weight: 900; }
  .badge { font-size: 10px; font-weight: 700; color: #616061; background: #e8e8e8; border-radius: 2px; padding: 1px 3px; }
  .time { font-size: 12px; color: #616061; }
  .only { font-size: 13px; color: #616061; margin: 2px 0 6px; }
  .header { font-size: 18px; font-weight: 900; margin: 4px 0 8px; }
  .section { margin: 4px 0 8px; }
  .row { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px; }
  .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin-top: 4px; }
  blockquote { margin: 2px 0 0; padding-left: 12px; border-left: 4px solid #dddddd; }
  .context { font-size: 12px; color: #616061; margin: 4px 0 8px; }
  .context b { color: #616061; }
  hr { border: 0; border-top: 1px solid #dddddd; margin: 10px 0; }
  .actions { display: flex; gap: 8px; margin-top: 8px; }
  .button { border: 1px solid #bbbabb; border-radius: 4px; padding: 3px 12px; font-size: 14px; font-weight: 700; line-height: 22px; }
  .ext { color: #616061; font-weight: 400; }
  code { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; color: #e01e5a; background: #f6f6f6; border: 1px solid #e8e8e8; border-radius: 3px; padding: 0 2px; }
  a { color: #1264a3; text-decoration: none; }
</style></head><body>
<div class="message">
  <div class="avatar">L</div>
  <div class="body">
    <div class="meta"><span class="name">Luminate Interactions</span><span class="badge">APP</span><span class="time">10:02 AM</span></div>
    <div class="only">Only visible to you</div>
    ${blocks.map(block).join('\n    ')}
  </div>
</div>
</body></html>
`;
}
