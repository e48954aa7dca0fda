import { afterAll } from 'vitest';

/**
 * Tests write nothing to stdout: the bot's log and audit lines go there by default, so a
 * test that forgets to capture them prints donor-shaped noise into the middle of the
 * test report (and into CI logs). Each test file fails if anything reached stdout directly.
 */
const written: string[] = [];
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  return write(chunk, ...(rest as []));
}) as typeof process.stdout.write;

afterAll(() => {
  if (written.length > 0) throw new Error(`this test file wrote to stdout (capture the bot's log and audit lines instead):\n${written.join('').slice(0, 500)}`);
});
