/**
 * Log and audit lines share one buffer on stdout, written once per event-loop
 * turn instead of once per line: under load that is one write call for many
 * lines, and lines keep their order. The buffer is flushed when the process
 * exits (including after an uncaught exception), so only a SIGKILL can lose
 * the lines of the current turn.
 */
let pending: string[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const text = pending.join('');
  pending = [];
  process.stdout.write(text);
}

process.on('exit', flush);

export function writeStdoutLine(line: string): void {
  pending.push(line);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}
