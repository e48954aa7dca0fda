import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { StandInLuminate } from '../../dev/stand-ins/luminate.js';
import { LuminateClient, type LuminateClientOptions, type ResilienceOptions } from '../../src/luminate/client.js';
import { LuminateError } from '../../src/luminate/errors.js';

export interface Credentials {
  apiKey: string;
  loginName: string;
  loginPassword: string;
}

export const CREDENTIALS: Credentials = { apiKey: 'test-api-key-123', loginName: 'bot-api-admin', loginPassword: 'test-password-456' };

export interface LuminateUnderTest {
  /** The stand-in SRConsAPI, reset (no faults, no latency, no requests) before each test. */
  luminate: StandInLuminate;
  /** A client of it with quick retries and a breaker that never opens, so every fault a test injects is seen. */
  client: LuminateClient;
  /** Another client of the same stand-in, with options of the test's own. */
  clientFor(overrides?: Partial<LuminateClientOptions>, resilience?: ResilienceOptions): LuminateClient;
  /** A raw form POST to the stand-in's SRConsAPI, for what the wire itself says. */
  post(body: string): Promise<Response>;
  /** The authentication part of a form body, `v=1.0` included. */
  auth: string;
}

/**
 * A stand-in Luminate and a client of it, shared by a test file's tests: started before them, closed after them.
 * Read `luminate` and `client` inside tests and hooks only: they stand for what `beforeAll` started.
 */
export function useStandInLuminate(credentials: Credentials = CREDENTIALS): LuminateUnderTest {
  let luminate: StandInLuminate | undefined;
  let client: LuminateClient | undefined;
  const started = <T extends object>(value: T | undefined): T => {
    if (!value) throw new Error('the stand-in Luminate is used before beforeAll started it');
    return value;
  };
  // The production budget (10 s): on a loaded 2-core machine a call queued behind others can take over 1 s, and a
  // call given up on mid-test would still be in the stand-in when the next test starts. Tests of the budget set their own.
  const clientFor = (overrides: Partial<LuminateClientOptions> = {}, resilience: ResilienceOptions = {}) =>
    new LuminateClient({ url: started(luminate).url, ...credentials, timeoutMs: 10_000, maxConnections: 4, ...overrides }, { retryDelayMs: 10, breakerThreshold: 1_000_000, ...resilience });

  beforeAll(async () => {
    luminate = await StandInLuminate.start(credentials);
    client = clientFor();
  });
  afterAll(async () => {
    await client?.close();
    await luminate?.close();
  });
  beforeEach(() => {
    started(luminate).reset();
    started(luminate).latencyMs = 0;
  });

  return {
    luminate: standIn(() => started(luminate)),
    client: standIn(() => started(client)),
    clientFor,
    post: (body) => fetch(`${started(luminate).url}/SRConsAPI`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }),
    auth: `api_key=${credentials.apiKey}&login_name=${credentials.loginName}&login_password=${credentials.loginPassword}&v=1.0`,
  };
}

/** Stands for the object `current` returns once it exists; methods run on it, so its private fields work. */
function standIn<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get: (_target, key) => {
      const target = current();
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set: (_target, key, value) => Reflect.set(current(), key, value),
  });
}

/** The typed error a call rejected with; fails the test if it resolved or rejected with anything else. */
export async function failure(promise: Promise<unknown>): Promise<LuminateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LuminateError);
  return error as LuminateError;
}
