import { handoffFields, QUESTION } from "../../flows/simulator/integration/scenarios";
import { ContactAttribute, HandoffSource } from "../../functions/shared/flow-contract";
import { BRIDGE_OVERHEAD_MS, explain, runScenario, seenTexts, turn, useSimulation } from "./support";

/**
 * stg's voice channel end to end: the Bedrock bridge answering synchronously (the deployed lex-fulfillment
 * package within its voice budget, settings.json voiceMs 58.5 s) over dynalite and the loopback Bedrock
 * endpoint, with the bridge bot's progress updates (start after 3 s, an update every 10 s), at up to 20x
 * speed (lower on a busy machine: the speed is calibrated).
 */
const simulation = useSimulation({ environment: "stg", channels: ["voice"], speed: 20 });
const ANSWER = `answer: ${QUESTION}`;
const START = "お調べしますので、少々お待ちください。";
const UPDATE = "ただいま確認しております。もう少しだけお待ちください。";

test("a quick answer, synchronously: lex-fulfillment stores the turn for history, asks Bedrock and returns READY with the answer", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "quick", "voice");
  const first = turn(run, 1);
  explain(run, () => {
    expect(first.invocations.map((i) => [i.functionName, i.via, i.summary])).toEqual([["cc-stg-lex-fulfillment", "lex-code-hook", "READY ANSWER"]]);
    expect(first.dynamo.byOperation).toMatchObject({ PutItem: 1, UpdateItem: 1 });
    expect(first.bedrock.map((c) => c.modelId)).toEqual([sim.env.bridge!.models.voice]);
    // The start message (after 3 s) when the simulation's overhead made the turn that long; never an update.
    expect(first.seen.filter((m) => m.kind === "progress").map((m) => m.text)).toEqual(first.answer!.latencyMs > 3_000 ? [START] : []);
    expect(first.answer?.text).toBe(ANSWER);
    expect(first.answer!.latencyMs).toBeLessThan(1_000 + BRIDGE_OVERHEAD_MS);
  });
});

test("progress updates: the start message at 3 s, updates at 13 s and 23 s, then the 25 s answer", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "progress-updates", "voice");
  const first = turn(run, 1);
  const sent = first.customer!.atMs;
  explain(run, () => {
    expect(first.seen.slice(0, 3).map((m) => [m.atMs - sent, m.kind, m.text])).toEqual([
      [3_000, "progress", START],
      [13_000, "progress", UPDATE],
      [23_000, "progress", UPDATE],
    ]);
    expect(first.answer?.text).toBe(ANSWER);
    expect(first.answer!.latencyMs).toBeGreaterThanOrEqual(25_000);
    expect(first.answer!.latencyMs).toBeLessThan(25_000 + BRIDGE_OVERHEAD_MS);
  });
});

test("a 45 s answer fits the voice budget (58.5 s): five progress messages, then the answer", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "answer-45s", "voice");
  const first = turn(run, 1);
  explain(run, () => {
    expect(first.seen.filter((m) => m.kind === "progress").map((m) => m.atMs - first.customer!.atMs)).toEqual([3_000, 13_000, 23_000, 33_000, 43_000]);
    expect(first.answer?.text).toBe(ANSWER);
    expect(first.invocations[0].summary).toBe("READY ANSWER");
  });
});

test("Bedrock throttled twice: lex-fulfillment retries inside the voice budget and answers", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "bedrock-throttled", "voice");
  const first = turn(run, 1);
  explain(run, () => {
    expect(first.bedrock.map((c) => c.outcome)).toEqual(["throttle", "throttle", "answer"]);
    expect(first.invocations[0].metrics).toMatchObject({ BedrockThrottles: 2, BedrockRetries: 2, SyncAnswers: 1 });
    expect(first.answer?.text).toBe(ANSWER);
  });
});

test("HANDOFF from the bridge on voice: the summary in the Lex session attributes, the caller's number, queued", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "handoff", "voice");
  explain(run, () => {
    expect(turn(run, 1).invocations[0].summary).toBe("READY HANDOFF");
    expect(run.trace.outcome).toMatchObject({
      kind: "transferred",
      attributes: { [ContactAttribute.handoffSource]: HandoffSource.tool, [ContactAttribute.customerEndpoint]: "+81312345678", ...handoffFields },
    });
  });
});

test("TalkToAgent on voice: the closing response, no Lambda, the handoff", async () => {
  const sim = simulation();
  const run = await runScenario(sim, "talk-to-agent", "voice");
  explain(run, () => {
    expect(seenTexts(turn(run, 1))[0]).toBe("担当者におつなぎします。少々お待ちください。");
    expect(turn(run, 1).invocations).toEqual([]);
    expect(run.trace.outcome).toMatchObject({ kind: "transferred", attributes: { [ContactAttribute.handoffSource]: HandoffSource.talkToAgent } });
  });
});
