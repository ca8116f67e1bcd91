/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts"],
  // The summary reporter writes reports/jest-results.json, which .ci/run turns into "N passed, N failed".
  reporters: ["default", "<rootDir>/__tests__/support/summary-reporter.js"],
  testTimeout: 30000,
  maxWorkers: 2,
};
