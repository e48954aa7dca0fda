import { readFileSync } from 'node:fs';
import { getInteractionResponseSchema, toInteraction } from '../../src/luminate/get-interaction.js';
import type { Interaction } from '../../src/luminate/schema.js';

/** Luminate's documented responses, verbatim (see `docs/luminate-api.md`). */
export function luminateFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/luminate/${name}`, import.meta.url), 'utf8');
}

/** The documented getInteraction example, read as the client reads it. */
export function documentedInteraction(): Interaction {
  return toInteraction(getInteractionResponseSchema.parse(JSON.parse(luminateFixture('getInteraction.json'))))!;
}
