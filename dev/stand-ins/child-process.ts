import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A Node entry point running as its own process, as `npm start` runs the bot. */
export interface RunningProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resident and peak resident memory (VmRSS, VmHWM) in bytes, from /proc; null where there is no /proc. */
  memory: () => { rss: number; peakRss: number } | null;
}

export function startProcess(
  entry: string,
  env: Record<string, string>,
  { cwd, nodeArgs = [], keepOutput = true }: { cwd?: string; nodeArgs?: string[]; keepOutput?: boolean } = {},
): RunningProcess {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
  // Only PATH from this environment: no developer's variables leak in.
  const child = spawn(process.execPath, [...nodeArgs, entry], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    if (keepOutput) out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    memory: () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
        return { rss: kb('VmRSS'), peakRss: kb('VmHWM') };
      } catch {
        return null;
      }
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `url` answers 200, polling; rejects after `timeoutMs`. */
export async function waitForHealthy(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
}
