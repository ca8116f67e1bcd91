import { handoffFields, QUESTION, talkToAgentUtterance, scenarioContext } from "../../flows/simulator/integration/scenarios";
import { ContactAttribute, HANDOFF_FIELDS, HandoffSource } from "../../functions/shared/flow-contract";
import { BRIDGE_OVERHEAD_MS, explain, packagedSettings, runScenario, seenTexts, turn, useSimulation } from "./support";

/**
 * dev's chat channel end to end: the synthesized chat flow (Bedrock bridge, poll strategy) with the
 * deployed lex-fulfillment, bedrock-worker and answer-poller packages over dynalite, the loopback Bedrock
 * endpoint and the loopback Lambda endpoint, at up to 20x speed (lower on a busy machine: the speed is
 * calibrated). Times are virtual; at this speed each bridge turn carries about 1-3 s of magnified real
 * overhead (see flows/simulator/integration/index.ts).
 */
const simulation = useSimulation({ environment: "dev", channels: ["chat"], speed: 20 });
const ANSWER = `answer: ${QUESTION}`;

test("a quick answer: the interim message at once, then the answer from the poller; one turn stored, one Bedrock call", async () => {
  const sim = simulation();
  const interim = packagedSettings(sim).messages.ja_JP.interim;
  const run = await runScenario(sim, "quick", "chat");
  const first = turn(run, 1);
  explain(run, () => {
    expect(run.trace.outcome.kind).toBe("customer-disconnected");
    expect(seenTexts(first)).toEqual([interim, ANSWER]);
    // The interim message comes with the bot's reply, well inside the 10 s chat limit.
    expect(first.seen[0].atMs - first.customer!.atMs).toBeLessThan(3_000);
    expect(first.answer?.text).toBe(ANSWER);
    expect(first.answer!.latencyMs).toBeGreaterThanOrEqual(1_000);
    expect(first.answer!.latencyMs).toBeLessThan(1_000 + BRIDGE_OVERHEAD_MS);
    const byFunction = (suffix: string) => first.invocations.filter((i) => i.functionName.endsWith(suffix));
    expect(byFunction("lex-fulfillment").map((i) => [i.via, i.status, i.summary])).toEqual([["lex-code-hook", "ok", "PENDING"]]);
    expect(byFunction("bedrock-worker").map((i) => [i.via, i.summary])).toEqual([["async", "DONE"]]);
    expect(byFunction("answer-poller").at(-1)?.summary).toBe("READY");
    expect(first.dynamo.byOperation).toMatchObject({ PutItem: 1 });
    expect(first.polls.reads).toBeGreaterThan(0);
    expect(first.bedrock.map((call) => call.outcome)).toEqual(["answer"]);
  });
});

test("a 25 s answer still reaches the chat: the poller is called again until READY, no Lex call near the 10 s limit", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "answer-25s", "chat");
  const first = turn(run, 1);
  explain(run, () => {
    expect(first.answer?.text).toBe(ANSWER);
    expect(first.answer!.latencyMs).toBeGreaterThanOrEqual(25_000);
    expect(first.answer!.latencyMs).toBeLessThan(25_000 + BRIDGE_OVERHEAD_MS);
    const polls = first.invocations.filter((i) => i.functionName.endsWith("answer-poller")).map((i) => i.summary);
    // Each call waits up to pollerBudgetMs (6.5 s): four or more calls, all PENDING but the last.
    expect(polls.length).toBeGreaterThanOrEqual(4);
    expect(polls.length).toBeLessThanOrEqual(6);
    expect(polls.slice(0, -1).every((s) => s === "PENDING")).toBe(true);
    expect(polls.at(-1)).toBe("READY");
    expect(run.trace.lexCalls.every((call) => call.outcome === "ok" && call.durationMs < 3_000)).toBe(true);
    expect(run.trace.attributes[ContactAttribute.pollCount]).toBe(String(polls.length));
  });
});

test("Bedrock throttled twice: the worker backs off, retries and the answer is delivered", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "bedrock-throttled", "chat");
  const first = turn(run, 1);
  const worker = first.invocations.find((i) => i.functionName.endsWith("bedrock-worker"));
  explain(run, () => {
    expect(first.bedrock.map((call) => call.outcome)).toEqual(["throttle", "throttle", "answer"]);
    expect(worker?.summary).toBe("DONE");
    expect(worker?.metrics).toMatchObject({ BedrockThrottles: 2, BedrockRetries: 2, AnswersStored: 1 });
    expect(first.answer?.text).toBe(ANSWER);
    expect(first.answer!.latencyMs).toBeLessThan(3_000 + BRIDGE_OVERHEAD_MS);
  });
});

test("HANDOFF: the model's message, the summary in contact attributes, DefaultAgentUI set to the agent-UI flow, the agent's view filled, queued", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "handoff", "chat");
  const { outcome } = run.trace;
  explain(run, () => {
    expect(seenTexts(turn(run, 1))).toContain("担当者におつなぎします。");
    if (outcome.kind !== "transferred") throw new Error(`expected a transfer, got ${outcome.kind}`);
    expect(outcome.queue.id).toMatch(new RegExp(`^${sim.stack.instanceArn}/queue/`));
    expect(outcome.hooks).toEqual({ DefaultAgentUI: sim.stack.flows["agent-ui"].arn });
    expect(outcome.attributes).toMatchObject({ [ContactAttribute.handoffSource]: HandoffSource.tool, [ContactAttribute.customerEndpoint]: "Sim Customer", ...handoffFields });
    const view = outcome.agentUi?.views[0];
    expect(view?.data).toMatchObject({ [ContactAttribute.customerEndpoint]: "Sim Customer", ...handoffFields });
    // Nothing of the view is blank: every field reached the agent.
    for (const field of HANDOFF_FIELDS) expect(JSON.stringify(view?.data)).toContain(handoffFields[field]);
  });
});

test("TalkToAgent: a sample utterance of the intent gets its closing response without any Lambda call, then the handoff", async () => {
  const sim = simulation();
  const utterance = talkToAgentUtterance(scenarioContext(sim.stack, "chat"));
  const run = await runScenario(sim, "talk-to-agent", "chat");
  const first = turn(run, 1);
  explain(run, () => {
    expect(first.customer?.text).toBe(utterance);
    expect(first.lex.map((l) => [l.intent, l.served])).toEqual([["TalkToAgent", "closing"]]);
    expect(seenTexts(first)[0]).toBe("担当者におつなぎします。少々お待ちください。");
    expect(first.invocations).toEqual([]);
    expect(first.dynamo.reads + first.dynamo.writes).toBe(0);
    expect(run.trace.outcome).toMatchObject({ kind: "transferred", attributes: { [ContactAttribute.handoffSource]: HandoffSource.talkToAgent } });
  });
});

test("the poller's Invoke throttled for 10 s (reserved concurrency exhausted): short waits and retries, then the answer", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "poller-throttled", "chat");
  const first = turn(run, 1);
  const pollerCalls = first.invocations.filter((i) => i.functionName.endsWith("answer-poller"));
  const waits = run.trace.steps.filter((s) => s.type === "Wait").map((s) => [s.actionId, s.durationMs]);
  explain(run, () => {
    // Connect's own retries (3) within each block, then the flow's Wait+retry chain: 1, 2, 4, 8 s.
    expect(waits).toEqual([
      ["poll-retry-wait-1", 1_000],
      ["poll-retry-wait-2", 2_000],
      ["poll-retry-wait-3", 4_000],
      ["poll-retry-wait-4", 8_000],
    ]);
    expect(pollerCalls.filter((i) => i.status === "throttled").length).toBe(4 * 4);
    expect(pollerCalls.filter((i) => i.status === "ok").map((i) => i.summary)).toEqual(["READY"]);
    expect(first.answer?.text).toBe(ANSWER);
    // The answer (6 s) waited in DynamoDB until the first call got through, after the 15 s of waits.
    expect(first.answer!.latencyMs).toBeGreaterThanOrEqual(15_000);
    expect(first.answer!.latencyMs).toBeLessThan(15_000 + BRIDGE_OVERHEAD_MS);
    expect(run.trace.steps.map((s) => s.actionId)).not.toContain("lex-answer-timeout");
  });
});
