import { DEFAULT_FLOW_MESSAGES } from "../../flows/default-messages";
import { FOLLOW_UP_QUESTION, handoffFields, QUESTION } from "../../flows/simulator/integration/scenarios";
import { ContactAttribute, HandoffSource } from "../../functions/shared/flow-contract";
import { explain, runScenario, seenTexts, turn, useSimulation } from "./support";

/**
 * stg's chat channel end to end: Q in Connect on chat with message streaming (the stack turns the instance
 * attribute on, so Connect gives a chat Lex call 60 s instead of 10 s), at up to 20x speed (lower on a busy
 * machine: the speed is calibrated). On chat Lex plays no progress updates; the post-fulfillment responses
 * still apply.
 */
const simulation = useSimulation({ environment: "stg", channels: ["chat"], speed: 20 });
const answer = (question: string) => `Q answer: ${question}`;

test("the stack turns message streaming on, and qconnect-session selects the chat agent; a quick answer", async () => {
  const sim = simulation();
  expect(sim.stack.enablesMessageStreaming()).toBe(true);
  const run = await runScenario(sim, "quick", "chat");
  explain(run, () => {
    expect(turn(run, 0).invocations.map((i) => [i.functionName, i.summary])).toEqual([["cc-stg-qconnect-session", "OK"]]);
    expect(run.qInConnect[0].agent).toMatchObject({ channel: "chat", source: "qconnect-session", versionId: sim.stack.functionAt("session")?.environment.AGENT_CHAT });
    expect(turn(run, 1).answer?.text).toBe(answer(QUESTION));
    expect(turn(run, 1).answer!.latencyMs).toBeGreaterThanOrEqual(1_000);
    expect(turn(run, 1).answer!.latencyMs).toBeLessThan(1_000 + 500);
  });
});

test("a 25 s answer arrives on chat (past standard chat's 10 s, inside streaming's 60 s), with no progress messages", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "answer-25s", "chat");
  const first = turn(run, 1);
  explain(run, () => {
    expect(run.trace.lexCalls.find((c) => c.input === QUESTION)).toMatchObject({ outcome: "ok", limitMs: 60_000 });
    expect(first.seen.filter((m) => m.kind === "progress")).toEqual([]);
    expect(first.answer?.text).toBe(answer(QUESTION));
    expect(first.answer!.latencyMs).toBeGreaterThanOrEqual(25_000);
    expect(first.answer!.latencyMs).toBeLessThan(25_000 + 500);
  });
});

test("message streaming: a 45 s answer arrives; a 70 s one is cut at Connect's 60 s limit (the error branch: the error message and a person)", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "streaming", "chat");
  const [first, second] = [turn(run, 1), turn(run, 2)];
  explain(run, () => {
    expect(first.answer?.text).toBe(answer(QUESTION));
    expect(first.answer!.latencyMs).toBeGreaterThanOrEqual(45_000);
    expect(first.answer!.latencyMs).toBeLessThan(45_000 + 500);
    expect(second.customer?.text).toBe(FOLLOW_UP_QUESTION);
    // The Q in Connect intent's fulfillment timeout is 60 s too: Lex's timeout response would come after Connect's limit.
    expect(second.lex.map((l) => l.outcome)).toEqual(["connect-limit"]);
    expect(run.trace.lexCalls.find((c) => c.input === FOLLOW_UP_QUESTION)).toMatchObject({ outcome: "chat-timeout", durationMs: 60_000, limitMs: 60_000 });
    expect(seenTexts(second)[0]).toBe(DEFAULT_FLOW_MESSAGES.ja_JP.error);
    expect(second.seen[0].atMs - second.customer!.atMs).toBe(60_000);
    expect(seenTexts(second)).not.toContain(answer(FOLLOW_UP_QUESTION));
    expect(run.trace.outcome).toMatchObject({ kind: "transferred", attributes: { [ContactAttribute.handoffSource]: HandoffSource.error } });
  });
});

test("HANDOFF on chat: the chat identity and the summary reach the agent's view", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "handoff", "chat");
  const { outcome } = run.trace;
  explain(run, () => {
    if (outcome.kind !== "transferred") throw new Error(`expected a transfer, got ${outcome.kind}`);
    expect(outcome.attributes).toMatchObject({ [ContactAttribute.handoffSource]: HandoffSource.tool, [ContactAttribute.customerEndpoint]: "Sim Customer", ...handoffFields });
    expect(outcome.agentUi?.views[0].data).toMatchObject(handoffFields);
  });
});
