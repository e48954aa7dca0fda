/**
 * The log's exactly-once guard, as the one write needs it. A lookup repeated during a Redis outage
 * costs nothing, so the replay guard falls back to each replica's memory; a log written twice is a
 * duplicate in the donor's record, so a claim the shared store could not confirm sends nothing.
 */

/** `first`: this attempt holds the key. `repeat`: someone else does. `unconfirmed`: the shared store did not answer. */
export type OnceClaim = 'first' | 'repeat' | 'unconfirmed';

type MaybeAsync<T> = T | Promise<T>;

export interface ClaimingStore {
  firstSeen(key: string): MaybeAsync<boolean>;
  /** Present on a store shared by replicas: says when it could not confirm the claim. */
  claimOnce?(key: string): Promise<OnceClaim>;
}

/** Nothing was sent: the shared guard could not make sure this is logged only once (Redis down or slow). */
export class LogOnceUnconfirmedError extends Error {
  override readonly name = 'LogOnceUnconfirmedError';

  constructor() {
    super('the shared log-once guard could not be confirmed; nothing was sent');
  }
}

/** A store of one process (memory) is the whole truth: its `firstSeen` is a confirmed claim. */
export async function claimOnce(store: ClaimingStore, key: string): Promise<OnceClaim> {
  if (store.claimOnce) return store.claimOnce(key);
  return (await store.firstSeen(key)) ? 'first' : 'repeat';
}
