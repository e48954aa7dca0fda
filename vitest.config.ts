import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/no-stdout.ts'],
    // Integration tests start real servers on loopback; give a slow CI machine room.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // .ci/run reads the JSON report to print its closing "N passed, N failed" line (and gives
    // each of its runs its own file with --outputFile.json=…).
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
