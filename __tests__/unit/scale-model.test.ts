import * as fs from "node:fs";
import { SCALE_DOC, DOC_BEGIN, DOC_END, docWithTables, readStackFacts, renderTables } from "../../bench/scale-model";
import {
  type Assumptions,
  DEFAULT_ASSUMPTIONS,
  type StackFacts,
  inverseNormal,
  kitPollCalls,
  kitTurn,
  loadFromWaitingChats,
  logNormalAnswerTimes,
  seedGiveUpSeconds,
  seedTurn,
} from "../../bench/scale/model";
import { buildChatFlow } from "../../flows/chat";
import { FlowBuilder, type FlowDocument } from "../../flows/language";
import { assertCompleted, simulateContact } from "../../flows/simulator";
import { ARNS, pollChatProps } from "../support/flow-fixtures";
import { fakeBridge, INTERIM } from "../support/fake-bridge-runtime";

/**
 * The scale model's per-turn counts against what the flows actually do, in the offline simulator: the
 * kit's chat flow with a long-polling poller, and the seed design (Loop 20 -> Wait 1 s -> Invoke a one-read
 * function -> Compare) built with the same builder.
 */
const facts = readStackFacts("dev");

test("the model reads the dev stack as synthesized: memory sizes, poller budget and interval, the chat flow's poll settings", () => {
  expect(facts).toEqual({
    environment: "dev",
    memoryMb: { fulfillment: 512, worker: 512, poller: 256 },
    pollerBudgetSeconds: 6.5,
    pollIntervalSeconds: 0.2,
    turnTimeoutSeconds: 90,
    invokeTimeLimitSeconds: 8,
    maxPollsPerTurn: 17,
    retryWaitsSeconds: [1, 2, 4, 8, 15, 15, 15, 15],
  });
});

test("simple cases by hand: a 20 s answer with a 6.5 s budget is 4 poller calls; the seed design gives up after 20 polls, about 23 s", () => {
  expect(kitPollCalls(20, 6.5, 0.12)).toBe(4);
  expect(kitTurn(20, facts, DEFAULT_ASSUMPTIONS)).toMatchObject({ delivered: true, pollCalls: 4, requests: { fulfillment: 1, worker: 1, poller: 4 } });
  expect(kitTurn(6, facts, DEFAULT_ASSUMPTIONS).pollCalls).toBe(1);
  // 20 x (1 s Wait + 0.12 s Invoke round trip + 0.03 s read) = 23 s.
  expect(seedGiveUpSeconds(DEFAULT_ASSUMPTIONS)).toBeCloseTo(23, 5);
  expect(seedTurn(11, facts, DEFAULT_ASSUMPTIONS)).toMatchObject({ delivered: true, pollCalls: 10, readUnits: 3 + 10 });
  expect(seedTurn(22, facts, DEFAULT_ASSUMPTIONS)).toMatchObject({ delivered: true, pollCalls: 20 });
  expect(seedTurn(23, facts, DEFAULT_ASSUMPTIONS)).toMatchObject({ delivered: false, pollCalls: 20 });
  // Reads of a full long-poll call: at 0, 0.2, ..., 6.4 and at the budget's end: 34.
  expect(kitTurn(6.5, facts, DEFAULT_ASSUMPTIONS).readUnits - kitTurn(0, facts, DEFAULT_ASSUMPTIONS).readUnits).toBe(33);
  // 13 s: one full call (34 reads), then 6.38 s of the second (33 reads), plus the worker's history query (3).
  expect(kitTurn(13, facts, DEFAULT_ASSUMPTIONS)).toMatchObject({ pollCalls: 2, readUnits: 34 + 33 + 3 });
});

/** The simulator's timing: Connect's round trip to a warm Lambda (fake-bridge default), blocks take no time. */
const SIMULATED: Assumptions = { ...DEFAULT_ASSUMPTIONS, invokeOverheadSeconds: 0.04, seedReadSeconds: 0 };

async function oneTurn(flow: FlowDocument, answerSeconds: number, pollerBudgetMs?: number) {
  const bridge = fakeBridge({ answerMs: () => answerSeconds * 1000, ...(pollerBudgetMs === undefined ? {} : { pollerBudgetMs }) });
  const trace = assertCompleted(
    await simulateContact({
      flow,
      contact: { contactId: "0f1e2d3c-4b5a-4697-8a8b-00000000c0de", channel: "CHAT" },
      customer: [{ say: "質問", thinkMs: 1_000 }, { disconnect: true, thinkMs: 1_000 }],
      runtime: { lex: bridge.lex, lambda: bridge.lambda },
      options: { isAnswer: (entry) => entry.text !== INTERIM },
    }),
  );
  return { turn: trace.turns[0], pollerCalls: bridge.pollerCalls() };
}

/** The seed design: Loop 20 -> Wait 1 s -> Invoke (one read) -> Compare READY, else back to the Loop. */
function seedFlow(): FlowDocument {
  const flow = new FlowBuilder();
  const loop = flow.ref("loop");
  const end = flow.ref("end");
  flow.connectParticipantWithLexBot("lex", { prompt: { text: "どうぞ" }, botAliasArn: ARNS.bot, onNoMatch: loop, onError: end });
  flow.loop("loop", { count: 20, onContinue: flow.ref("wait"), onDone: flow.ref("timed-out") });
  flow.wait("wait", { seconds: 1, onTimeout: flow.ref("poll"), onError: end });
  flow.invokeLambdaFunction("poll", { functionArn: ARNS.poller, timeoutSeconds: 8, parameters: { turnId: "$.Lex.SessionAttributes.bridgeTurnId" }, next: flow.ref("status"), onError: end });
  flow.compare("status", { value: "$.External.status", branches: [{ operand: "READY", next: flow.ref("answer") }], onNoMatch: loop });
  flow.connectParticipantWithLexBot("answer", { prompt: { text: "$.External.answer" }, botAliasArn: ARNS.bot, onNoMatch: end, onError: end });
  flow.connectParticipantWithLexBot("timed-out", { prompt: { text: "timed out" }, botAliasArn: ARNS.bot, onNoMatch: end, onError: end });
  flow.disconnectParticipant("end");
  return flow.toDocument();
}

describe.each([1, 3, 6, 11, 20, 40])("a %i s answer", (answerSeconds) => {
  test("the kit's chat flow makes as many poller calls as the model says", async () => {
    const { turn, pollerCalls } = await oneTurn(buildChatFlow(pollChatProps()), answerSeconds);
    const model = kitTurn(answerSeconds, facts, SIMULATED);
    expect(turn.answerText).toBe("answer 1");
    expect(pollerCalls).toBe(model.pollCalls);
    expect(turn.lambdaInvocations).toBe(model.pollCalls);
  });

  test("the seed design polls as often as the model says, and gives up where the model says", async () => {
    // The seed's function reads once: a poller budget of 0 answers PENDING at once.
    const { turn, pollerCalls } = await oneTurn(seedFlow(), answerSeconds, 0);
    const model = seedTurn(answerSeconds, facts, SIMULATED);
    expect(pollerCalls).toBe(model.pollCalls);
    expect(turn.answerText).toBe(model.delivered ? "answer 1" : "timed out");
  });
});

test("the seed design gives up after 20 polls at the model's time (simulator: 20 x 1.04 s)", async () => {
  const { turn, pollerCalls } = await oneTurn(seedFlow(), 30, 0);
  expect(pollerCalls).toBe(20);
  expect(turn.answerText).toBe("timed out");
  // From the bot's reply (300 ms in the fake) to the timed-out prompt.
  expect((turn.answerAtMs ?? 0) - turn.sentAtMs - 300).toBe(seedGiveUpSeconds(SIMULATED) * 1000);
});

test("Little's law: at 1,000 chats waiting at once the long-poll holds about 1,000 poller executions, the seed design a few dozen", () => {
  const load = loadFromWaitingChats(1_000, logNormalAnswerTimes(5, 12), facts, DEFAULT_ASSUMPTIONS);
  // A waiting chat is outside the poller only for the fulfillment, the gaps between calls and the return hop.
  expect(load.concurrency.kit.poller).toBeGreaterThan(900);
  expect(load.concurrency.kit.poller).toBeLessThan(1_000);
  expect(load.concurrency.seed.poller).toBeLessThan(30);
  // The worker waits on Bedrock in both designs: the same executions.
  expect(load.concurrency.seed.worker).toBeCloseTo(load.concurrency.kit.worker, 6);
});

test("the realistic distribution: median 5 s and p90 12 s; the normal quantile is accurate", () => {
  expect(inverseNormal(0.5)).toBeCloseTo(0, 9);
  expect(inverseNormal(0.975)).toBeCloseTo(1.959964, 5);
  const samples = [...logNormalAnswerTimes(5, 12).samples].sort((x, y) => x - y);
  expect(samples[Math.floor(samples.length * 0.5)]).toBeCloseTo(5, 1);
  expect(samples[Math.floor(samples.length * 0.9)]).toBeCloseTo(12, 0);
});

test("docs/scale-and-cost.md holds the tables the model gives for the current stack (npm run bench:scale -- --update-docs)", () => {
  const doc = fs.readFileSync(SCALE_DOC, "utf8");
  expect(doc).toContain(DOC_BEGIN);
  expect(doc).toContain(DOC_END);
  expect(doc).toBe(docWithTables(doc, renderTables(facts)));
});

test("a reserved poller appears in the facts the model reads", () => {
  const withReservation: StackFacts = { ...facts, pollerReservedConcurrency: 300 };
  expect(renderTables(withReservation)).toContain("| answer-poller reserved concurrency | 300 |");
});
