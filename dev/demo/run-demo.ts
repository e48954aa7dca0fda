import type { types } from '@slack/bolt';
import { startStandInSystem } from '../stand-ins/harness.js';
import { previewBlocks } from './text-preview.js';

/** `npm run demo -- <args>` worth trying, and what each shows; README's quick start lists the same. */
export const MORE_TO_TRY: readonly (readonly [args: string, shows: string])[] = [
  ['1002 cons:1001001', 'hostile and non-ASCII text, escaped'],
  ['1001 member:JD-1001', 'an interaction without a note'],
  ['3200 hidden@example.org', 'a donor whose name Luminate hides'],
  ['1000 family@example.org', 'an email two donors share'],
  ['9999 jane@example.org', 'not found'],
  ['jane@example.org', "a donor's interactions, newest first"],
  ['many@example.org since:2022-01-01 type:Phone call', 'a filtered list, with Older'],
  ['none@example.org', 'a donor with no interactions'],
  ['help', 'the help text'],
  ['log', '"Log to Luminate": the form, the submission and the confirmation'],
];

export interface DemoResult {
  ackStatus: number;
  message: { text?: string; blocks?: types.KnownBlock[]; response_type?: string };
  luminateCalls: number;
}

/**
 * Runs the whole path for real, with no Slack workspace and no Luminate
 * account: the bot on loopback against a stand-in SRConsAPI (serving the
 * documented sample interaction) and a stand-in Slack. A signed
 * `/interaction <text>` goes in; the answer is printed as text, as Block Kit
 * JSON, and as a Block Kit Builder link.
 */
export async function runDemo(text: string, out: (line?: string) => void, options: { logTo?: (line: string) => void } = {}): Promise<DemoResult> {
  const system = await startStandInSystem({ echoLog: options.logTo });
  try {
    out(`Bot listening at ${system.botUrl}`);
    out(`Stand-in Luminate at ${system.luminate.url}/SRConsAPI, stand-in Slack at ${system.slack.origin}`);
    out();
    out(`→ /interaction ${text}`);
    const ack = await system.slashCommand(text);
    out(`← HTTP ${ack.status} in ${ack.ms.toFixed(1)} ms (the ack Slack waits up to 3 s for)`);

    let message: DemoResult['message'];
    if (ack.body) {
      message = JSON.parse(ack.body) as DemoResult['message'];
      out('  The answer came in the ack itself.');
    } else {
      const post = await system.slack.waitForResponse(ack.responseUrl, 1, 15_000);
      message = post.body as DemoResult['message'];
      out(`  The answer was posted to response_url (${String(post.body.response_type)}, so only the person who asked sees it).`);
    }
    const blocks = message.blocks ?? [];
    out();
    out(`━━ The message, as text ${'━'.repeat(36)}`);
    out(previewBlocks(blocks));
    out();
    out(`━━ Block Kit JSON ${'━'.repeat(42)}`);
    out(JSON.stringify(message, null, 2));
    out();
    out(`━━ See it rendered: open this link in a browser ${'━'.repeat(12)}`);
    out(`https://app.slack.com/block-kit-builder#${encodeURIComponent(JSON.stringify({ blocks }))}`);
    out();
    const methods = [...new Set(system.luminate.requests.map((r) => r.apiMethod ?? '(none)'))].sort();
    const calls = system.luminate.requests.length;
    out(`Luminate calls made: ${calls}${calls ? ` (${methods.map((m) => `${m} ${system.luminate.callCount(m)}`).join(', ')})` : ''}.`);
    return { ackStatus: ack.status, message, luminateCalls: calls };
  } finally {
    await system.stop();
  }
}
