import type { Logger } from './observability/logger.js';

/**
 * Work that continues after `ack()`. Bolt's `app.stop()` closes the server but
 * does not wait for it, so shutdown drains this first: an acknowledged lookup
 * still gets its answer.
 */
export class WorkTracker {
  readonly #pending = new Set<Promise<unknown>>();
  readonly #logger: Logger;

  constructor({ logger }: { logger: Logger }) {
    this.#logger = logger;
  }

  /**
   * Runs `task`, remembering it until it settles. The returned promise never rejects. Tasks answer
   * the person about their own failures; one that still throws is a bug after the ack, and Bolt's
   * error handler never sees it, so it is logged here with its stack.
   */
  run(task: () => Promise<unknown>): Promise<void> {
    let started: Promise<unknown>;
    try {
      started = task();
    } catch (error) {
      started = Promise.reject(error);
    }
    const promise = started.then(
      () => undefined,
      (error: unknown) => this.#logger.error('work after the ack failed', { error }),
    );
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
    return promise;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Resolves true once every task has settled, or false if `timeoutMs` passes first. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    try {
      while (this.#pending.size > 0) {
        const settled = await Promise.race([Promise.all(this.#pending).then(() => true as const), timedOut]);
        if (!settled) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
