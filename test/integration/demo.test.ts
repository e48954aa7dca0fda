import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runLogDemo } from '../../dev/demo/log-demo.js';
import { MORE_TO_TRY, runDemo } from '../../dev/demo/run-demo.js';

async function demo(text: string) {
  const lines: string[] = [];
  const result = await runDemo(text, (line = '') => lines.push(line));
  return { result, output: lines.join('\n') };
}

/** The message as the demo prints it in text, between its heading and the Block Kit JSON. */
function printedMessage(output: string): string {
  return output.split('━━ The message, as text')[1]!.split('\n').slice(1).join('\n').split('\n\n━━')[0]!.trimEnd();
}

describe('npm run demo', () => {
  it('runs the default lookup end to end and prints the card three ways', async () => {
    const { result, output } = await demo('1000 jane@example.org');
    expect(result.ackStatus).toBe(200);
    // The interaction and the donor's name, asked for at the same time.
    expect(result.luminateCalls).toBe(2);
    expect(output).toContain('Luminate calls made: 2 (getInteraction 1, getUser 1).');
    expect(result.message.response_type).toBe('ephemeral');
    expect(output).toContain('▌ Sample Subject');
    expect(output).toContain('Created: 2016-02-01 15:43 UTC');
    expect(output).toContain('"type": "header"');
    expect(output).toContain('[ Refresh ]  [ Share in channel ]  [ Open in Luminate ↗ ]');
    const link = output.split('\n').find((l) => l.startsWith('https://app.slack.com/block-kit-builder#'))!;
    expect(JSON.parse(decodeURIComponent(link.split('#')[1]!))).toEqual({ blocks: result.message.blocks });
  });

  it('shows Log to Luminate: the form, the submission and the confirmation, one write', async () => {
    const lines: string[] = [];
    const result = await runLogDemo((line = '') => lines.push(line));
    const output = lines.join('\n');
    expect(output).toContain('Donor:   jane@example.org');
    expect(output).toContain('Subject: Spoke with jane@example.org about her pledge');
    expect(output).toContain('@Ana Ruiz');
    expect(output).toContain('Logged from Slack by Agent Smith (U0AGENT) in #donor-care: https://');
    expect(result.confirmation).toContain('Logged to *Jane Doe*');
    expect(output).toContain('"outcome":"logged"');
    expect(result.writes).toBe(1);
  });

  it('takes other arguments, including ones that fail', async () => {
    expect((await demo('1000 family@example.org')).output).toContain('More than one constituent matches');
    const help = await demo('help');
    expect(help.output).toContain('The answer came in the ack itself');
    expect(help.result.luminateCalls).toBe(0);
  });

  it("prints the card exactly as the README's example shows it", async () => {
    const { output } = await demo('1000 jane@example.org');
    const card = printedMessage(output);
    expect(card).toContain('▌ Sample Subject');
    expect(readFileSync('README.md', 'utf8')).toContain(`\n${card}\n`);
  });

  it("lists a donor's interactions, each row with its date, type, subject and Open button, as README's example shows it", async () => {
    const { result, output } = await demo('jane@example.org');
    expect(output).toMatch(/Luminate calls made: \d+ \(.*getUserInteractions 1.*\)\./);
    expect(result.luminateCalls).toBeGreaterThanOrEqual(1);
    const list = printedMessage(output);
    const rows = list.split('\n').filter((line) => line.endsWith('[ Open ]'));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^2026-11-20 12:00 UTC · Phone call +\[ Open \]$/);
    expect(list).toContain('Re: <!channel> Zoë’s 5 € gift & thanks 🎉');
    expect(list).toMatch(/\n \[ Refresh \]$/);
    expect(readFileSync('README.md', 'utf8')).toContain(`\n${list}\n`);
  });

  it('shows a donor whose name Luminate hides by constituent id, in plain text', async () => {
    const card = printedMessage((await demo('3200 hidden@example.org')).output);
    expect(card).toContain('Constituent: 1001040 ');
    expect(card).toContain('  No note on this interaction.');
  });

  it('says plainly when a donor has no interactions', async () => {
    expect(printedMessage((await demo('none@example.org')).output)).toBe('No interactions recorded for none@example.org.');
  });

  it('pages a filtered list of a donor with many interactions', async () => {
    const list = printedMessage((await demo('many@example.org since:2022-01-01 type:Phone call')).output);
    expect(list.split('\n').filter((line) => / · Phone call +\[ Open \]$/.test(line))).toHaveLength(10);
    expect(list).toContain('[ Older ]  [ Refresh ]');
  });

  it("offers, under More to try, the README's list and nothing else", async () => {
    const readme = readFileSync('README.md', 'utf8');
    const fromReadme = [...readme.matchAll(/^npm run demo -- (\S+(?: \S+)*) +# (.+)$/gm)].map((m) => [m[1], m[2]]);
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
