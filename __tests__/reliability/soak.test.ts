import { type SoakReport, runSoak } from "../../bench/soak/campaign";
import { quickCampaign } from "../../bench/soak/config";
import { unexplainedFallbacks } from "../../bench/soak/report";

/**
 * The reliability soak at the size `npm test` affords (`npm run soak` runs 10,000 turns): 50 conversations
 * of 10 turns at once, chat through dev's bridge (poll strategy) and voice through stg's, against the
 * deployed packages in warm processes, with Bedrock throttling / 5xx / slow and hung answers on 10 % of
 * turns, duplicate worker deliveries on 5 % and killed workers on 2 % of chat turns, and DynamoDB throttling
 * on 1 % of requests (bench/soak/campaign.ts). Seeded: SOAK_SEED=<n> repeats a run.
 */
const SEED = Number(process.env.SOAK_SEED ?? 1);
jest.setTimeout(150_000);

let report: SoakReport;

beforeAll(async () => {
  report = await runSoak({ ...quickCampaign().soak, seed: SEED });
  const answered = report.turns.filter((t) => t.outcome === "answer").length;
  console.log(
    `soak seed ${SEED}: ${report.turns.length} turns in ${(report.wallMs / 1000).toFixed(1)} s, ${answered} answered, ${report.violations.length} violations; ` +
      `worker kills ${report.faults.workerKills}, deliveries ${JSON.stringify(report.faults.deliveries)}, DynamoDB throttles ${JSON.stringify(report.faults.dynamoThrottles)}`,
  );
}, 150_000);

test(`seed ${SEED}: every turn ends in an answer for its own contact and turn, or an explicit fallback, within its channel's limit; none answered twice; no handler fails`, () => {
  expect(report.violations).toEqual([]);
  expect(report.turns).toHaveLength(500);
  expect(report.peakConversations).toBeGreaterThanOrEqual(45);
});

test("the faults were injected: every kind happened, and the customers were answered nonetheless", () => {
  const { faults } = report;
  const sum = (record: Readonly<Record<string, number>>) => Object.values(record).reduce((a, b) => a + b, 0);
  expect(Object.keys(faults.bedrockErrorsReturned).some((k) => k.startsWith("Throttling"))).toBe(true);
  expect(Object.keys(faults.bedrockErrorsReturned).some((k) => /\(50\d\)/.test(k))).toBe(true);
  expect(report.turns.filter((t) => t.fault === "slow").length).toBeGreaterThan(0);
  expect((faults.deliveries["twice-concurrent"] ?? 0) + (faults.deliveries["twice-sequential"] ?? 0)).toBeGreaterThan(0);
  expect(faults.workerKills).toBeGreaterThan(0);
  expect(sum(faults.dynamoThrottles)).toBeGreaterThan(0);
  // Retried and slow model answers, duplicate deliveries and throttled DynamoDB requests are absorbed: those
  // customers got their answers (none failed in the runs so far; a few may when the machine is overloaded).
  expect(unexplainedFallbacks(report).length).toBeLessThanOrEqual(5);
  // A worker killed at its model call leaves the turn to expire; one killed after its write landed still answers.
  for (const t of report.turns.filter((t) => t.delivery === "crash-at-model-call")) expect(t.outcome).toBe("expired");
  for (const t of report.turns.filter((t) => t.delivery === "crash-at-outcome-write" && t.fault === "none")) expect(t.outcome).toBe("answer");
  expect(report.turns.filter((t) => t.outcome === "answer").length).toBeGreaterThanOrEqual(450);
});
