import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

describe('what the code points at', () => {
  it('cites only documents the repository holds', () => {
    const files = ['src', 'test'].flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)));
    const cited = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/`((?:\.\.\/)*[\w./-]+\.md)`/g)].map((m) => ({ file, doc: m[1]! })));
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter(({ doc }) => !existsSync(doc))).toEqual([]);
  });
});
