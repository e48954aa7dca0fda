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
}

export interface SecondLevelEntry<T> {
  value: T;
  /** Orders answers of one key: the fetching replica's clock when its fetch started, raised past older ones. */
  version: number;
  /** `fetched`: a Luminate call made here for this request; otherwise another replica's (`shared`, `waited`). */
  source: 'shared' | 'fetched' | 'waited';
}
