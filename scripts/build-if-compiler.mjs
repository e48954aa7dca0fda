// `npm run doctor` runs in two places: a development clone, where src/ may be newer than dist/,
// and a production install (`npm ci --omit=dev` after a build), where the compiler isn't
// installed and must never be needed. So: build when TypeScript is installed, otherwise use
// dist/ as it is, and say plainly what to do when it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const entry = process.argv[2] ?? 'dist/index.js';

if (existsSync('node_modules/typescript/package.json')) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(build.status ?? 1);
}
if (!existsSync(entry)) {
  console.error(`${entry} is missing and the TypeScript compiler isn't installed: run "npm ci && npm run build" first.`);
  process.exit(1);
}
