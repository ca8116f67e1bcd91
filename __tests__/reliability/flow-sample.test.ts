import { type FlowSampleReport, runFlowSample } from "../../bench/soak/flow-sample";
import { quickCampaign } from "../../bench/soak/config";

/**
 * The reliability campaign's sample through the full flow simulator (bench/soak/flow-sample.ts), at the
 * size `npm test` affords: one contact of three turns on each channel of dev (bridge chat with the poll
 * strategy, Q in Connect voice) and stg (Q in Connect chat with streaming, bridge voice), with the same
 * kinds of faults as the soak. Seeded: SOAK_SEED=<n> repeats a run.
 */
const SEED = Number(process.env.SOAK_SEED ?? 1);
jest.setTimeout(150_000);

let report: FlowSampleReport;

beforeAll(async () => {
  report = await runFlowSample({ ...quickCampaign().flows, seed: SEED });
}, 150_000);

test(`seed ${SEED}: every sampled turn gets its own answer or an explicit fallback within its channel's limit, and no handler errs toward a flow`, () => {
  expect(report.violations).toEqual([]);
  expect(report.contacts).toBe(4);
  for (const key of ["dev chat", "dev voice", "stg chat", "stg voice"]) {
    expect(Object.keys(report.outcomes).some((outcome) => outcome.startsWith(key))).toBe(true);
  }
});
