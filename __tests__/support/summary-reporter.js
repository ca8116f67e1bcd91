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
      success: results.success,
      failures: results.testResults
        .filter((suite) => suite.numFailingTests > 0 || suite.testExecError)
        .map((suite) => ({
          file: path.relative(process.cwd(), suite.testFilePath),
          error: suite.testExecError ? suite.testExecError.message : undefined,
          tests: suite.testResults.filter((t) => t.status === "failed").map((t) => t.fullName),
        })),
    };
    fs.writeFileSync(this.file, JSON.stringify(summary, null, 2));
  }
}

module.exports = SummaryReporter;
