import { FOLLOW_UP_QUESTION, QUESTION } from "../../flows/simulator/integration/scenarios";
import { BRIDGE_OVERHEAD_MS, explain, packagedSettings, runScenario, turn, useSimulation } from "./support";

/**
 * dev's chat channel (Bedrock bridge, poll strategy) near the turn's deadline
 * (bridge.poll.turnTimeoutSeconds, 90 s): a 45 s answer, a worker that never runs and a model that never
 * answers, at up to 20x speed (lower on a busy machine: the speed is calibrated).
 */
const simulation = useSimulation({ environment: "dev", channels: ["chat"], speed: 20 });

test("a 45 s answer: the poller is called until READY and the answer arrives inside the 90 s turn", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "answer-45s", "chat");
  const first = turn(run, 1);
  const polls = first.invocations.filter((i) => i.functionName.endsWith("answer-poller")).map((i) => i.summary);
  explain(run, () => {
    expect(first.answer?.text).toBe(`answer: ${QUESTION}`);
    expect(first.answer!.latencyMs).toBeGreaterThanOrEqual(45_000);
    expect(first.answer!.latencyMs).toBeLessThan(45_000 + BRIDGE_OVERHEAD_MS);
    expect(polls.length).toBeGreaterThanOrEqual(7);
    expect(polls.at(-1)).toBe("READY");
    expect(run.trace.steps.map((s) => s.actionId)).not.toContain("lex-answer-timeout");
  });
});

test("a worker that never runs: the poller reports the turn EXPIRED once its deadline (90 s) and grace (2 s) are over; the customer goes on chatting", async () => {
  const sim = simulation();
  const { messages, budgets } = packagedSettings(sim);
  const run = await runScenario(sim, "worker-never-answers", "chat");
  const [first, second] = [turn(run, 1), turn(run, 2)];
  const polls = first.invocations.filter((i) => i.functionName.endsWith("answer-poller")).map((i) => i.summary);
  explain(run, () => {
    expect(run.invocations.filter((i) => i.status === "not-delivered")).toHaveLength(1);
    expect(first.bedrock).toEqual([]);
    expect(first.answer?.text).toBe(messages.ja_JP.expired);
    const deadline = budgets.turnTimeoutMs + 2_000;
    // The turn's deadline is counted from when lex-fulfillment stored it; the poller sees EXPIRED at its next read
    // after the grace, and returns at once.
    expect(first.answer!.latencyMs).toBeGreaterThan(deadline);
    expect(first.answer!.latencyMs).toBeLessThan(deadline + 8_000);
    expect(polls.at(-1)).toBe("EXPIRED");
    expect(polls.slice(0, -1).every((s) => s === "PENDING")).toBe(true);
    // The poller's message, said through the poll-status branch; the flow's own limit (17 calls) did not step in.
    const said = run.trace.steps.map((s) => s.actionId);
    expect(said).toContain("lex-poll-message");
    expect(said).not.toContain("lex-answer-timeout");
    expect(second.customer?.text).toBe(FOLLOW_UP_QUESTION);
    expect(second.answer?.text).toBe(`answer: ${FOLLOW_UP_QUESTION}`);
  });
});

test("a model that never answers: the worker gives up before the turn's deadline and stores FAILED; the customer gets the apology within 90 s and goes on", async () => {
  const sim = simulation();
  const { messages, budgets } = packagedSettings(sim);
  const run = await runScenario(sim, "model-never-answers", "chat");
  const [first, second] = [turn(run, 1), turn(run, 2)];
  const worker = first.invocations.find((i) => i.functionName.endsWith("bedrock-worker"));
  explain(run, () => {
    expect(first.bedrock.map((c) => c.outcome)).toEqual(["hang"]);
    // The worker stored FAILED (on a busy machine its write may land just as its own time-out gives up on it).
    expect(worker?.metrics.BedrockErrors).toBe(1);
    expect(first.answer?.text).toBe(messages.ja_JP.apology);
    expect(first.answer!.latencyMs).toBeGreaterThan(budgets.turnTimeoutMs - 5_000);
    expect(first.answer!.latencyMs).toBeLessThan(budgets.turnTimeoutMs + 4_000);
    expect(first.invocations.filter((i) => i.functionName.endsWith("answer-poller")).at(-1)?.summary).toBe("FAILED");
    expect(second.answer?.text).toBe(`answer: ${FOLLOW_UP_QUESTION}`);
  });
});
