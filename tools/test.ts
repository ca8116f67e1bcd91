/**
 * `npm test`: jest over __tests__/ in two runs. Most suites run in parallel workers; the suites listed in
 * RUN_ALONE measure liveness under a load they create themselves, so they run afterwards, one at a time,
 * with the machine to themselves: beside a terraform plan or a simulation on 2 cores, the 200-conversation
 * test's single harness thread fell behind its own handlers' time budgets (80-192 of 200 answered instead
 * of 200), which says nothing about the kit. Both runs write to reports/jest-results.json (the second adds
 * to the first; .ci/run prints the sum). With arguments (`npm test -- <pattern>`), jest runs once, as asked.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Suites that must not share the machine with other suites (paths relative to the project root). */
export const RUN_ALONE = ["__tests__/functions/concurrency.test.ts"] as const;

/** Tells the summary reporter to add this run's counts to the file the previous run wrote. */
export const APPEND_RESULTS_ENV = "JEST_RESULTS_APPEND";

const ROOT = path.resolve(__dirname, "..");
const JEST = require.resolve("jest/bin/jest");

function jest(args: readonly string[], environment: Record<string, string> = {}): number {
  const result = spawnSync(process.execPath, [JEST, ...args], { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...environment } });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** A path as a jest path pattern (a regular expression) that matches only that file. */
export function pattern(file: string): string {
  return `${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
}

function main(args: readonly string[]): number {
  if (args.length > 0) return jest(args);
  fs.rmSync(path.join(ROOT, "reports", "jest-results.json"), { force: true });
  const parallel = jest(["--testPathIgnorePatterns", "/node_modules/", ...RUN_ALONE.map(pattern)]);
  const alone = jest(["--runInBand", ...RUN_ALONE.map(pattern)], { [APPEND_RESULTS_ENV]: "1" });
  return parallel !== 0 ? parallel : alone;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
