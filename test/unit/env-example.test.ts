import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

describe('.env.example', () => {
  it('guesses no interaction type names: LUMINATE_INTERACTION_TYPES is commented out, with where to find the ids', () => {
    expect(example.split('\n').some((line) => line.trim().startsWith('LUMINATE_INTERACTION_TYPES='))).toBe(false);
    expect(example).toMatch(/^#\s*LUMINATE_INTERACTION_TYPES=/m);
    expect(example).toMatch(/Interaction Types/);
  });
});
