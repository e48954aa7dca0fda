import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES } from '../../src/config.js';

const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

describe('.env.example', () => {
  it('guesses no interaction type names: LUMINATE_INTERACTION_TYPES is commented out, with where to find the ids', () => {
    expect(example.split('\n').some((line) => line.trim().startsWith('LUMINATE_INTERACTION_TYPES='))).toBe(false);
    expect(example).toMatch(/^#\s*LUMINATE_INTERACTION_TYPES=/m);
    expect(example).toMatch(/Interaction Types/);
  });
});

describe('.env.example and the config agree', () => {
  const named = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));

  it('explains every variable the config reads, and no other', () => {
    expect([...named].sort()).toEqual([...ENV_VARIABLES].sort());
  });

  it('says what each logging variable accepts, and sets logging off', () => {
    expect(example).toMatch(/^LUMINATE_LOGGING_ENABLED=false$/m);
    expect(example).toMatch(/^SLACK_ALLOWED_LOGGERS=$/m);
    expect(example).toMatch(/user group ids \(S…\)/);
  });
});
