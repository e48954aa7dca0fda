import { readFileSync } from 'node:fs';

/** The documented Luminate responses, copied verbatim from `shared/luminate/fixtures/`. */
export function luminateFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/luminate/${name}`, import.meta.url), 'utf8');
}
