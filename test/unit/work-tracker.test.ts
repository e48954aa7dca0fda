import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { WorkTracker } from '../../src/work-tracker.js';

function tracker() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', secrets: [], write: (l) => lines.push(l) });
  return { work: new WorkTracker({ logger }), lines };
}

describe('WorkTracker', () => {
  it('logs a task that rejects after the ack at error level, with its stack, and still settles', async () => {
    const { work, lines } = tracker();
    await expect(
      work.run(async () => {
        throw new TypeError('bug after the ack');
      }),
    ).resolves.toBeUndefined();
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'error', error: { name: 'TypeError', message: 'bug after the ack' } });
    expect(line.error.stack).toMatch(/work-tracker\.test\.ts/);
    expect(work.size).toBe(0);
  });

  it('logs a task that throws before returning a promise', async () => {
    const { work, lines } = tracker();
    await work.run(() => {
      throw new Error('synchronous bug');
    });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', error: { message: 'synchronous bug' } });
  });

  it('logs nothing for a task that succeeds, and drains', async () => {
    const { work, lines } = tracker();
    void work.run(() => new Promise((r) => setTimeout(r, 20)));
    expect(work.size).toBe(1);
    expect(await work.drain(1000)).toBe(true);
    expect(lines).toHaveLength(0);
  });
});
