import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { FromStandIns, ToStandIns } from './stand-ins-process.js';

/**
 * The stand-in SRConsAPI and Slack in their own process (see stand-ins-process.ts). A card's
 * arrival is timed here, when the driver hears of it, so no two processes' clocks are compared.
 */
export class StandIns {
  readonly #child: ChildProcess;
  readonly #ready: Extract<FromStandIns, { type: 'ready' }>;
  readonly #waiting = new Map<string, (arrivedAt: number | null) => void>();
  readonly #stats = new Map<number, (stats: Extract<FromStandIns, { type: 'stats' }>) => void>();
  #next = 0;

  private constructor(child: ChildProcess, ready: Extract<FromStandIns, { type: 'ready' }>) {
    this.#child = child;
    this.#ready = ready;
    child.on('message', (message: FromStandIns) => {
      if (message.type === 'response' && message.kind !== 'looking-up') {
        // A notice (the lookup failed or was refused) is no card: the request counts as a failure.
        this.#waiting.get(message.url)?.(message.kind === 'answer' ? performance.timeOrigin + performance.now() : null);
        this.#waiting.delete(message.url);
      } else if (message.type === 'stats') {
        this.#stats.get(message.id)?.(message);
        this.#stats.delete(message.id);
      }
    });
  }

  static async start(devBuild: string, env: Record<string, string>): Promise<StandIns> {
    const child = fork(join(devBuild, 'bench', 'stand-ins-process.js'), { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const ready = await new Promise<Extract<FromStandIns, { type: 'ready' }>>((resolve, reject) => {
      child.once('message', (m: FromStandIns) => (m.type === 'ready' ? resolve(m) : reject(new Error('stand-ins did not start'))));
      child.once('exit', () => reject(new Error('stand-ins exited at start-up')));
    });
    return new StandIns(child, ready);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get luminateUrl(): string {
    return this.#ready.luminateUrl;
  }

  get slackApiUrl(): string {
    return this.#ready.slackApiUrl;
  }

  newResponseUrl(): string {
    return `${this.#ready.slackOrigin}/respond/${++this.#next}`;
  }

  /** Resolves with the time the card for `url` arrived, or null after 30 s. */
  cardAt(url: string): { arrived: Promise<number | null>; cancel: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<number | null>((resolve) => {
      this.#waiting.set(url, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
      timer = setTimeout(() => {
        this.#waiting.delete(url);
        resolve(null);
      }, 30_000);
    });
    return {
      arrived,
      cancel: () => {
        clearTimeout(timer);
        this.#waiting.delete(url);
      },
    };
  }

  tell(message: ToStandIns): void {
    this.#child.send(message);
  }

  stats(): Promise<Extract<FromStandIns, { type: 'stats' }>> {
    const id = ++this.#next;
    return new Promise((resolve) => {
      this.#stats.set(id, resolve);
      this.tell({ type: 'stats', id });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.disconnect();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
}
