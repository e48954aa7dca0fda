import { expect } from 'vitest';
import { LuminateError } from '../../src/luminate/errors.js';

/** The typed error a Luminate call failed with; fails the test when it succeeded or threw anything else. */
export async function failure(promise: Promise<unknown>): Promise<LuminateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LuminateError);
  return error as LuminateError;
}
