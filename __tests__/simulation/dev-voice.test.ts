import { handoffFields, QUESTION } from "../../flows/simulator/integration/scenarios";
import { ContactAttribute, HandoffSource } from "../../functions/shared/flow-contract";
import { latencyPaths } from "../../stacks/latency/budget";
import { explain, runScenario, seenTexts, turn, useSimulation } from "./support";

/**
 * dev's voice channel end to end: the synthesized voice flow (Q in Connect) with the deployed
 * qconnect-session package against the loopback Q in Connect API, and the Q in Connect bot's intent
 * answered by the scripted assistant under the bot's fulfillment settings (start response after 2 s, an
 * update every 10 s, 60 s timeout), at up to 20x speed (lower on a busy machine: the speed is calibrated).
 */
const simulation = useSimulation({ environment: "dev", channels: ["voice"], speed: 20 });
const ANSWER = `Q answer: ${QUESTION}`;
const START = "お調べしますので、少々お待ちください。";
const UPDATE = "ただいま確認しております。もう少しだけお待ちください。";

test("a quick answer: qconnect-session selects the voice agent on the session, the assistant answers before any progress update", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "quick", "voice");
  const setup = turn(run, 0);
  const first = turn(run, 1);
  explain(run, () => {
    expect(setup.invocations.map((i) => [i.functionName, i.via, i.status, i.summary])).toEqual([["cc-dev-qconnect-session", "flow", "ok", "OK"]]);
    expect(run.qInConnect[0].agent).toMatchObject({ channel: "voice", source: "qconnect-session", versionId: sim.stack.functionAt("session")?.environment.AGENT_VOICE });
    expect(first.answer?.text).toBe(ANSWER);
    expect(first.seen.filter((m) => m.kind === "progress")).toEqual([]);
    expect(first.answer!.latencyMs).toBeGreaterThanOrEqual(1_000);
    expect(first.answer!.latencyMs).toBeLessThan(1_000 + 500);
  });
});

test("progress updates: the caller hears the start message at 2 s and an update every 10 s, then the 25 s answer", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "progress-updates", "voice");
  const first = turn(run, 1);
  const sent = first.customer!.atMs;
  explain(run, () => {
    expect(first.seen.map((m) => [m.atMs - sent, m.kind, m.text]).slice(0, 3)).toEqual([
      [2_000, "progress", START],
      [12_000, "progress", UPDATE],
      [22_000, "progress", UPDATE],
    ]);
    expect(seenTexts(first)[3]).toBe(ANSWER);
    expect(first.answer!.latencyMs).toBeGreaterThanOrEqual(25_000);
    expect(first.answer!.latencyMs).toBeLessThan(25_000 + 500);
  });
});

test("a 45 s answer on voice: four updates, then the answer, inside the 60 s fulfillment timeout", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "answer-45s", "voice");
  const first = turn(run, 1);
  const sent = first.customer!.atMs;
  explain(run, () => {
    expect(first.seen.filter((m) => m.kind === "progress").map((m) => m.atMs - sent)).toEqual([2_000, 12_000, 22_000, 32_000, 42_000]);
    expect(first.answer?.text).toBe(ANSWER);
    expect(first.answer!.latencyMs).toBeLessThan(45_000 + 500);
    expect(first.lex.map((l) => [l.served, l.outcome])).toEqual([["q-in-connect", "ok"]]);
  });
});

test("without a scripted latency the assistant takes the voice agent's catalogue time (the latency budget's 13.5 s)", async () => {
  const sim = simulation();
  const expected = latencyPaths(sim.env).find((p) => p.channel === "voice" && p.engine === "q-in-connect")!.expectedSeconds * 1000;
  const run = await runScenario(sim, "catalogue-latency", "voice");
  explain(run, () => {
    expect(expected).toBe(13_500);
    expect(run.qInConnect[0].latencyMs).toBe(expected);
    expect(turn(run, 1).answer!.latencyMs).toBeGreaterThanOrEqual(expected);
    expect(turn(run, 1).answer!.latencyMs).toBeLessThan(expected + 500);
  });
});

test("HANDOFF by the assistant: the summary comes from the Lex session attributes, the agent view shows it with the caller's number", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "handoff", "voice");
  const { outcome } = run.trace;
  explain(run, () => {
    expect(seenTexts(turn(run, 1))).toContain("担当者におつなぎします。");
    if (outcome.kind !== "transferred") throw new Error(`expected a transfer, got ${outcome.kind}`);
    expect(outcome.attributes).toMatchObject({ [ContactAttribute.handoffSource]: HandoffSource.tool, [ContactAttribute.customerEndpoint]: "+81312345678", ...handoffFields });
    expect(outcome.hooks.DefaultAgentUI).toBe(sim.stack.flows["agent-ui"].arn);
    expect(outcome.agentUi?.views[0].data).toMatchObject({ [ContactAttribute.customerEndpoint]: "+81312345678", ...handoffFields });
    expect(run.trace.steps.map((s) => s.actionId)).toContain("handoff-copy-summary-lex");
  });
});
