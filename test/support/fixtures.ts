import { readFileSync } from 'node:fs';

/** Luminate's documented responses, verbatim (see `docs/luminate-api.md`). */
export function luminateFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/luminate/${name}`, import.meta.url), 'utf8');
}
