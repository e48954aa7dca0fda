/** Milliseconds since the epoch; injected so tests control cache age, rate-limit windows and freshness text. */
export type Clock = () => number;
