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
    const cited = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/`([\w./-]+\.md)`/g)].map((m) => ({ file, doc: m[1]! })));
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter(({ doc }) => !existsSync(doc))).toEqual([]);
  });
});

describe('what runs the bot in production', () => {
  // index.ts drains acknowledged lookups for this long on SIGTERM.
  const drainSeconds = Number(/SHUTDOWN_GRACE_MS = (\d[\d_]*)/.exec(readFileSync('src/index.ts', 'utf8'))![1]!.replace(/_/g, '')) / 1000;

  it('the container runs node itself as a non-root user, stops with SIGTERM and checks /healthz', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/index\.js"\]$/m);
    expect(dockerfile).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    // The runtime stage copies the build, not the sources or the dev dependencies.
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).not.toMatch(/COPY .*src|npm ci(?! --omit=dev)|npm run build/);
    expect(readFileSync('.dockerignore', 'utf8')).toMatch(/^\.env$/m);
  });

  it('the systemd unit runs node itself, allows the drain, and does not restart into a config error', () => {
    const unit = readFileSync('deploy/luminate-interaction-bot.service', 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node dist\/index\.js$/m);
    expect(unit).toMatch(/^WorkingDirectory=\//m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=78$/m);
    expect(Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)?.[1])).toBeGreaterThan(drainSeconds);
    for (const option of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'PrivateTmp=yes', 'User=luminate-bot']) expect(unit).toMatch(new RegExp(`^${option}$`, 'm'));
  });
});
