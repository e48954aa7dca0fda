import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MORE_TO_TRY, runDemo } from '../../dev/demo/run-demo.js';

async function demo(text: string) {
  const lines: string[] = [];
  const result = await runDemo(text, (line = '') => lines.push(line));
  return { result, output: lines.join('\n') };
}

describe('npm run demo', () => {
  it('runs the default lookup end to end and prints the card three ways', async () => {
    const { result, output } = await demo('1000 jane@example.org');
    expect(result.ackStatus).toBe(200);
    expect(result.luminateCalls).toBe(1);
    expect(result.message.response_type).toBe('ephemeral');
    expect(output).toContain('▌ Sample Subject');
    expect(output).toContain('Created: 2016-02-01 15:43 UTC');
    expect(output).toContain('"type": "header"');
    expect(output).toContain('[ Refresh ]  [ Share in channel ]  [ Open in Luminate ↗ ]');
    const link = output.split('\n').find((l) => l.startsWith('https://app.slack.com/block-kit-builder#'))!;
    expect(JSON.parse(decodeURIComponent(link.split('#')[1]!))).toEqual({ blocks: result.message.blocks });
  });

  it('takes other arguments, including ones that fail', async () => {
    expect((await demo('1000 family@example.org')).output).toContain('More than one constituent matches');
    const help = await demo('help');
    expect(help.output).toContain('The answer came in the ack itself');
    expect(help.result.luminateCalls).toBe(0);
  });

  it("prints the card exactly as the README's example shows it", async () => {
    const { output } = await demo('1000 jane@example.org');
    const card = output.split('━━ The message, as text')[1]!.split('\n').slice(1).join('\n').split('\n\n━━')[0]!.trimEnd();
    expect(card).toContain('▌ Sample Subject');
    expect(readFileSync('README.md', 'utf8')).toContain(`\n${card}\n`);
  });

  it("offers, under More to try, the README's list and nothing else", async () => {
    const readme = readFileSync('README.md', 'utf8');
    // `npm run demo -- <args>   # <what>`, split at the first ' # ' (found with indexOf: a pattern here would backtrack).
    const fromReadme = readme
      .split('\n')
      .filter((line) => line.startsWith('npm run demo -- ') && line.indexOf(' # ') > 'npm run demo --'.length)
      .map((line) => {
        const at = line.indexOf(' # ');
        return [line.slice('npm run demo -- '.length, at).trimEnd(), line.slice(at + 3)];
      });
    expect(MORE_TO_TRY.map(([args, what]) => [args, what])).toEqual(fromReadme);
  });

  it('shows the bot\'s log and audit lines when asked (DEMO_LOGS=1)', async () => {
    const logged: string[] = [];
    await runDemo('1000 jane@example.org', () => {}, { logTo: (line) => logged.push(line) });
    const events = logged.map((line) => JSON.parse(line) as { msg?: string; event?: string; outcome?: string });
    expect(events).toContainEqual(expect.objectContaining({ msg: 'bot started' }));
    expect(events).toContainEqual(expect.objectContaining({ event: 'interaction.lookup', outcome: 'found' }));
  });
});
