import * as fs from "node:fs";
import * as path from "node:path";
import { pattern, RUN_ALONE } from "../../tools/test";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { added } = require("../support/summary-reporter") as { added: (before: unknown, after: Record<string, unknown>) => Record<string, unknown> };

const ROOT = path.resolve(__dirname, "..", "..");

test("every suite npm test runs alone exists, and its pattern matches that file only", () => {
  for (const file of RUN_ALONE) {
    expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
    const matches = new RegExp(pattern(file));
    expect(matches.test(path.join(ROOT, file))).toBe(true);
    expect(matches.test(path.join(ROOT, file.replace(/\.test\.ts$/, "-x.test.ts")))).toBe(false);
    expect(matches.test(path.join(ROOT, file.replace(".", "_")))).toBe(false);
  }
});

test("the second run's summary adds to the first: counts summed, failures of both listed, success only if both passed", () => {
  const run = (passed: number, failed: number, failures: unknown[]) => ({
    numPassedTests: passed,
    numFailedTests: failed,
    numPendingTests: 0,
    numTotalTests: passed + failed,
    numFailedTestSuites: failures.length,
    numRuntimeErrorTestSuites: 0,
    success: failed === 0,
    failures,
  });
  const failure = { file: "__tests__/a.test.ts", tests: ["a"] };
  expect(added(run(1381, 1, [failure]), run(1, 0, []))).toEqual(run(1382, 1, [failure]));
  expect(added(run(1381, 0, []), run(1, 0, []))).toEqual(run(1382, 0, []));
  expect(added(run(1381, 0, []), run(0, 1, [failure])).success).toBe(false);
  expect(added(undefined, run(1, 0, []))).toEqual(run(1, 0, []));
});
