import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string>; engines: { node: string } };

describe('the production path', () => {
  it('starts node itself, with no build step and no compiler (npm ci --omit=dev has no tsc)', () => {
    expect(pkg.scripts.start).toBe('node dist/index.js');
    expect(pkg.scripts.prestart).toBeUndefined();
    expect(pkg.scripts.poststart).toBeUndefined();
  });

  it('lets doctor run without the compiler once dist/ is built', () => {
    expect(pkg.scripts.doctor).not.toMatch(/npm run build|tsc/);
    expect(pkg.scripts.doctor).toMatch(/node dist\/doctor\/index\.js$/);
  });
});
