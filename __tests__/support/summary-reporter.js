// Writes the aggregated jest results as JSON so CI can print "N passed, N failed" without parsing jest's console summary.
const fs = require("node:fs");
const path = require("node:path");

class SummaryReporter {
  constructor(globalConfig) {
    this.file = path.join(globalConfig.rootDir, "reports", "jest-results.json");
  }

  onRunComplete(_contexts, results) {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const summary = {
      numPassedTests: results.numPassedTests,
      numFailedTests: results.numFailedTests,
      numPendingTests: results.numPendingTests,
      numTotalTests: results.numTotalTests,
      numFailedTestSuites: results.numFailedTestSuites,
      numRuntimeErrorTestSuites: results.numRuntimeErrorTestSuites,
      // results.success is only set after the reporters have run (it reads false here): derived instead.
      success: results.numFailedTests === 0 && results.numRuntimeErrorTestSuites === 0 && !results.snapshot.failure,
      failures: results.testResults
        .filter((suite) => suite.numFailingTests > 0 || suite.testExecError)
        .map((suite) => ({
          file: path.relative(process.cwd(), suite.testFilePath),
          error: suite.testExecError ? suite.testExecError.message : undefined,
          tests: suite.testResults.filter((t) => t.status === "failed").map((t) => t.fullName),
        })),
    };
    fs.writeFileSync(this.file, JSON.stringify(process.env.JEST_RESULTS_APPEND ? added(this.previous(), summary) : summary, null, 2));
  }

  /** What the run before this one wrote (tools/test.ts runs the suites that run alone second). */
  previous() {
    try {
      return JSON.parse(fs.readFileSync(this.file, "utf8"));
    } catch {
      return undefined;
    }
  }
}

/** Two runs' summaries as one: counts summed, failures listed together. */
function added(before, after) {
  if (!before) return after;
  const sum = (key) => (before[key] ?? 0) + after[key];
  return {
    numPassedTests: sum("numPassedTests"),
    numFailedTests: sum("numFailedTests"),
    numPendingTests: sum("numPendingTests"),
    numTotalTests: sum("numTotalTests"),
    numFailedTestSuites: sum("numFailedTestSuites"),
    numRuntimeErrorTestSuites: sum("numRuntimeErrorTestSuites"),
    success: before.success === true && after.success,
    failures: [...(before.failures ?? []), ...after.failures],
  };
}

module.exports = SummaryReporter;
module.exports.added = added;
