// Prints "N passed, N failed" over every run's vitest JSON report and exits non-zero on any
// failure. Arguments: pairs of <report path> <npm test exit status>, one pair per run.
// A suite that failed before its tests ran (a hook, an import) counts as a failure; so does a
// missing report (the typecheck or build failed first) and a run that executed no test.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

const args = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let ok = args.length >= 2;

for (let i = 0; i < args.length; i += 2) {
  const reportPath = args[i];
  const status = Number(args[i + 1] ?? 1);
  const label = basename(reportPath, '.json');
  if (!existsSync(reportPath)) {
    console.log(`${label}: npm test exited ${status} before vitest wrote ${reportPath} (typecheck or build failed)`);
    failed += 1;
    ok = false;
    continue;
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const runPassed = report.numPassedTests ?? 0;
  const suiteErrors = (report.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).every((t) => t.status !== 'failed')).length;
  let runFailed = (report.numFailedTests ?? 0) + suiteErrors;
  const runSkipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const runOk = status === 0 && runFailed === 0 && runPassed > 0;
  if (!runOk && runFailed === 0) runFailed = 1;
  console.log(`${label}: ${runPassed} passed, ${runFailed} failed${runSkipped ? `, ${runSkipped} skipped` : ''}`);
  passed += runPassed;
  failed += runFailed;
  skipped += runSkipped;
  ok &&= runOk;
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);
