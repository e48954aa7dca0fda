/**
 * Work that continues after `ack()`. Bolt's `app.stop()` closes the server but
 * does not wait for it, so shutdown drains this first: an acknowledged lookup
 * still gets its answer.
 */
export class WorkTracker {
  readonly #pending = new Set<Promise<unknown>>();

  /** Runs `task`, remembering it until it settles. The returned promise never rejects: tasks handle their own errors. */
  run(task: () => Promise<unknown>): Promise<void> {
    const promise = task().then(
      () => undefined,
      () => undefined,
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
