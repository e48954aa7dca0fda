// Prints "N passed, N failed" from vitest's JSON report and exits non-zero on any failure.
// A suite that failed before its tests ran (a hook, an import) counts as a failure; so does a
// missing report (the typecheck or build failed first) and a run that executed no test.
import { existsSync, readFileSync } from 'node:fs';

const [reportPath, statusArg] = process.argv.slice(2);
const status = Number(statusArg ?? 1);

if (!existsSync(reportPath)) {
  console.log(`npm test exited ${status} before vitest wrote ${reportPath} (typecheck or build failed)`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const passed = report.numPassedTests ?? 0;
const suiteErrors = (report.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).every((t) => t.status !== 'failed')).length;
const failed = (report.numFailedTests ?? 0) + suiteErrors;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);

const ok = status === 0 && failed === 0 && passed > 0;
const failedShown = failed === 0 && !ok ? 1 : failed;
console.log(`${passed} passed, ${failedShown} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);
