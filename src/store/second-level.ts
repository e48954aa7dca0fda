/**
 * What the caches need of a store shared by replicas (implemented over Redis by replica-store.ts; the port sits here so service/ depends on store/, never the reverse): a second
 * level behind each replica's in-process first level. Every method copes with the store being away by
 * itself (reads miss, writes are skipped, a lookup fetches on its own), so the caches never branch on it.
 */
export interface SecondLevel {
  /** The keyed hash naming a normalised lookup everywhere (first-level key, shared key, invalidations). */
  hash(namespace: string, normalisedKey: string): string;
  /** The shared answer, or one fetch over all replicas to make it. Rejects only with `fetch`'s own error. */
  fetchOnce<T>(namespace: string, hash: string, fetch: () => Promise<T>, options: { budgetMs: number; ttlMs: number }): Promise<SecondLevelEntry<T>>;
  /** A Refresh: fetch now and replace the shared answer, so that no replica serves the older one afterwards. */
  refresh<T>(namespace: string, hash: string, fetch: () => Promise<T>, options: { ttlMs: number }): Promise<SecondLevelEntry<T>>;
  /** The shared answer as it is now, without fetching. */
  get<T>(namespace: string, hash: string): Promise<{ value: T; version: number } | undefined>;
  /** The answer is gone (Luminate said "not found" on a Refresh): every replica drops its copies older than `version`. */
  drop(namespace: string, hash: string, version: number): Promise<void>;
  /** Whether an answer of `version` may enter a first level (no newer one has been announced). */
  accepts(namespace: string, hash: string, version: number): boolean;
  /** Called when first-level copies of `hash` older than `version` must go. */
  onDrop(listener: (namespace: string, hash: string, version: number) => void): () => void;
  /** Called when announcements may have been missed (the store came back): every first-level copy must go. */
  onResync(listener: () => void): () => void;
  /** Per-group generations, shared by replicas: how a write retires a group of entries it cannot name one by one. */
  readonly generations: Generations;
}

/**
 * A counter per group of cache keys (a donor's lists, whatever their filters and page): the caches put it in
 * the keys of the group, so raising it retires every entry of the older one at once, on every replica and
 * in the shared level, without a way to list those entries (their names are keyed hashes). Entries under an
 * older generation are never read again and expire with their TTL.
 */
export interface Generations {
  /** The generation as this replica knows it now, without waiting; undefined when it must be read. */
  known(namespace: string, groupKey: string): number | undefined;
  /** The current generation (read from the store when not known here; 0 for a group never raised). */
  read(namespace: string, groupKey: string): Promise<number>;
  /** Raises the group's generation everywhere (here at least, while the store is away). Never rejects. */
  raise(namespace: string, groupKey: string): Promise<void>;
}

export interface SecondLevelEntry<T> {
  value: T;
  /** Orders answers of one key: the fetching replica's clock when its fetch started, raised past older ones. */
  version: number;
  /** `fetched`: a Luminate call made here for this request; otherwise another replica's (`shared`, `waited`). */
  source: 'shared' | 'fetched' | 'waited';
}
