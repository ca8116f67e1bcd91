import { ContactAttribute } from "../../functions/shared/flow-contract";
import { BRIDGE_OVERHEAD_MS, explain, runScenario, useSimulation } from "./support";

/**
 * dev's chat channel (Bedrock bridge, poll strategy) over a long conversation: 40 questions, each answered
 * in 11 s (past standard chat's 10 s). Run at up to 30x speed to keep the suite short: each bridge turn
 * then carries about 1.5-4 s of magnified real overhead, so the bounds below are wide where they concern
 * time.
 */
const simulation = useSimulation({ environment: "dev", channels: ["chat"], speed: 30 });

test("a 40-turn chat with 11 s answers: every answer arrives, the last turn waits as long as the first, polls counted per turn", async () => {
  const sim = simulation();
  // Each turn has BRIDGE_OVERHEAD_MS of slack: a pause costing half of it in one turn changes no assertion.
  const run = await runScenario(sim, "long-chat", "chat", { stallToleranceMs: BRIDGE_OVERHEAD_MS / 2 });
  const turns = run.turns.filter((t) => t.index > 0);
  const latencies = turns.map((t) => t.answer?.latencyMs ?? Number.NaN);
  const pollCalls = turns.map((t) => t.polls.calls);
  explain(run, () => {
    expect(run.trace.outcome.kind).toBe("customer-disconnected");
    expect(turns).toHaveLength(40);
    expect(turns.map((t) => t.answer?.text)).toEqual(turns.map((_, i) => `answer: 質問 ${i + 1}`));
    // No turn waited into a retry or the flow's limits: one 6.5 s call cannot cover an 11 s answer, three always do.
    for (const latency of latencies) {
      expect(latency).toBeGreaterThanOrEqual(11_000);
      expect(latency).toBeLessThan(11_000 + BRIDGE_OVERHEAD_MS);
    }
    for (const calls of pollCalls) {
      expect(calls).toBeGreaterThanOrEqual(2);
      expect(calls).toBeLessThanOrEqual(3);
    }
    // No drift over the chat (the history read grows with the turns; the poll count starts at 0 every turn):
    // the last ten turns wait as long as the first ten.
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    expect(Math.abs(median(latencies.slice(-10)) - median(latencies.slice(0, 10)))).toBeLessThan(2_000);
    expect(pollCalls.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(80);
    expect(Number(run.trace.attributes[ContactAttribute.pollCount])).toBe(pollCalls.at(-1));
    // Each worker loaded the contact's history (a Query per turn) and answered.
    expect(turns.every((t) => (t.dynamo.byOperation.Query ?? 0) >= 1)).toBe(true);
  });
});
