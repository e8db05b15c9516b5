// Turns vitest's JSON report into CI's one plain "N passed, N failed" line, counting every test:
// a test that did not pass fails, skipped and todo ones included (the tests of a suite whose
// beforeAll threw are reported as skipped, so they must count one each, not as one file).
// Usage: node .ci/count-tests.mjs REPORT[,REPORT…] [EXTRA_PASSED EXTRA_FAILED VITEST_EXIT_STATUS]
// (several reports, e.g. the unit and integration suite and the browser suite, make one sum)
import fs from 'node:fs';

const [reportPaths = '', extraPassed = '0', extraFailed = '0', vitestStatus = '0'] = process.argv.slice(2);

/** Passed and failed tests of a parsed report; a file that failed with no failed test counts once. */
function countReport(report) {
  let passed = 0;
  let failed = 0;
  for (const file of report.testResults) {
    const results = file.assertionResults;
    const filePassed = results.filter((test) => test.status === 'passed').length;
    passed += filePassed;
    failed += results.length - filePassed;
    // A file that did not load, or whose afterAll threw, has no failed test of its own.
    if (file.status !== 'passed' && filePassed === results.length) failed += 1;
  }
  if (report.testResults.length === 0 || passed + failed === 0) failed += 1;
  return { passed, failed };
}

const counts = { passed: 0, failed: 0 };
for (const reportPath of reportPaths.split(',')) {
  try {
    const one = countReport(JSON.parse(fs.readFileSync(reportPath, 'utf8')));
    counts.passed += one.passed;
    counts.failed += one.failed;
  } catch (error) {
    console.log(`no readable vitest report at ${reportPath}: ${error.message}`);
    counts.failed += 1;
  }
}
// vitest can fail with every test passing (an unhandled error during the run): count that too.
if (Number(vitestStatus) !== 0 && counts.failed === 0) {
  console.log('vitest exited non-zero: see its unhandled errors above');
  counts.failed += 1;
}
const passed = counts.passed + Number(extraPassed);
const failed = counts.failed + Number(extraFailed);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
