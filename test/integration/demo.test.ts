import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run-demo.js';

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
});
