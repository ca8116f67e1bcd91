import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseEnvironment } from "../../config/load";
import type { EnvironmentConfig } from "../../config/schema/environment";
import { pollerConcurrencyWarning } from "../../stacks/bridge/bedrock-bridge";
import { synthWarnings } from "../../stacks/synth-warnings";
import { defaultEnvironment, resourceAt, synthEnvironment } from "../support/synth";
import { problemsFrom } from "../support/config-fixtures";

/** bridge.poll.reservedConcurrency: the answer-poller's reserved concurrency, and the sizing warning. */

function withPoll(name: string, poll: Record<string, unknown>): EnvironmentConfig {
  const env = defaultEnvironment(name);
  return parseEnvironment({ ...env, bridge: { ...env.bridge, poll: { ...env.bridge!.poll, ...poll } } }, "test");
}


/** Synthesizes into a scratch folder and returns the JSON and the warnings the manifest holds. */
function synth(env: EnvironmentConfig) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-poller-concurrency-"));
  try {
    const { json } = synthEnvironment(env, { outdir });
    const warnings = synthWarnings(outdir).map((w) => w.message).filter((m) => m.startsWith("bridge.poll"));
    return { json, warnings };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const functionAt = (json: Record<string, unknown>, construct: "poller" | "worker" | "fulfillment") => resourceAt(json, "aws_lambda_function", `${construct}/function`);

test("by default every bridge function is unreserved: no reserved_concurrent_executions in the JSON", () => {
  const { json, warnings } = synth(defaultEnvironment("dev"));
  for (const construct of ["poller", "worker", "fulfillment"] as const) expect(functionAt(json, construct)).not.toHaveProperty("reserved_concurrent_executions");
  expect(warnings).toEqual([]);
});

test("bridge.poll.reservedConcurrency becomes the answer-poller's reserved_concurrent_executions, and only its", () => {
  const { json, warnings } = synth(withPoll("dev", { reservedConcurrency: 300, expectedWaitingChats: 300 }));
  expect(functionAt(json, "poller")).toMatchObject({ function_name: "cc-dev-answer-poller", reserved_concurrent_executions: 300 });
  expect(functionAt(json, "worker")).not.toHaveProperty("reserved_concurrent_executions");
  expect(functionAt(json, "fulfillment")).not.toHaveProperty("reserved_concurrent_executions");
  // A reservation that covers the expected peak is silent.
  expect(warnings).toEqual([]);
});

test("a reservation below the expected waiting chats synthesizes with a warning that says what happens to the others", () => {
  const { json, warnings } = synth(withPoll("dev", { reservedConcurrency: 200, expectedWaitingChats: 500 }));
  expect(functionAt(json, "poller").reserved_concurrent_executions).toBe(200);
  expect(warnings).toEqual([
    "bridge.poll.reservedConcurrency (200) is below bridge.poll.expectedWaitingChats (500): every chat waiting for an answer holds one " +
      "answer-poller execution, so at that peak about 300 chats at a time will find the poller throttled. The chat flow then waits 1-15 s " +
      "and retries, so those answers arrive later rather than fail. To long-poll them all, raise reservedConcurrency to 500 (and the " +
      "Region's Lambda concurrency quota to fit); see docs/scale-and-cost.md.",
  ]);
});

test("the warning needs both fields: an expected load alone, or a reservation alone, is silent", () => {
  expect(pollerConcurrencyWarning({ expectedWaitingChats: 500 })).toBeUndefined();
  expect(pollerConcurrencyWarning({ reservedConcurrency: 10 })).toBeUndefined();
  expect(pollerConcurrencyWarning({ reservedConcurrency: 500, expectedWaitingChats: 500 })).toBeUndefined();
  expect(pollerConcurrencyWarning({ reservedConcurrency: 499, expectedWaitingChats: 500 })).toContain("about 1 chats at a time");
});

test("without a poller (stg: Q in Connect on chat) a reservation warns that it has no effect", () => {
  const { warnings } = synth(withPoll("stg", { reservedConcurrency: 50 }));
  expect(warnings).toEqual(["bridge.poll.reservedConcurrency (50) has no effect: answer-poller exists only when the bridge answers chat with the poll strategy."]);
});

test("values Lambda would refuse, or that would stop every poll, are configuration errors with the field path", () => {
  expect(problemsFrom(() => withPoll("dev", { reservedConcurrency: 0 }))).toEqual([
    "bridge.poll.reservedConcurrency: reserved concurrency must be at least 1 (0 would throttle every poller call); leave it out to keep the poller unreserved (given: 0)",
  ]);
  expect(problemsFrom(() => withPoll("dev", { reservedConcurrency: 2.5 }))).toEqual(["bridge.poll.reservedConcurrency: reserved concurrency must be a whole number of executions (given: 2.5)"]);
  expect(problemsFrom(() => withPoll("dev", { reservedConcurrency: "100" }))).toHaveLength(1);
  expect(problemsFrom(() => withPoll("dev", { expectedWaitingChats: 0 }))).toHaveLength(1);
});
