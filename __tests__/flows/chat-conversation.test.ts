import { buildAgentUiFlow } from "../../flows/agent-view";
import { buildChatFlow } from "../../flows/chat";
import { FlowBuilder, type FlowDocument } from "../../flows/language";
import { assertCompleted, type ContactTrace, flowCatalog, simulateContact } from "../../flows/simulator";
import { ContactAttribute, HANDOFF_FIELDS, HandoffSource } from "../../functions/shared/flow-contract";
import { ARNS, pollChatProps } from "../support/flow-fixtures";
import { fakeBridge, INTERIM, TALK_TO_AGENT_CLOSING } from "../support/fake-bridge-runtime";

/**
 * The chat flow of the bridge's poll strategy, run in the offline simulator with a flow-level model of
 * the bridge (the bot answers PENDING at once; the poller long-polls). What the customer sees, turn by
 * turn, and how long each turn waits.
 */
const chatFlow = buildChatFlow(pollChatProps());
const VIEW_VERSION_ARN = "arn:aws:connect:ap-northeast-1:123456789012:instance/0f1e2d3c-4b5a-4697-8a8b-000000000007/view/0f1e2d3c-4b5a-4697-8a8b-000000000008:1";
const agentUiFlow = buildAgentUiFlow({ viewArn: VIEW_VERSION_ARN, timeoutSeconds: 300 });
const GREETING = String(chatFlow.Actions.find((a) => a.Identifier === "lex-greeting")?.Parameters?.Text);

function run(flow: FlowDocument, bridge: ReturnType<typeof fakeBridge>, customer: Parameters<typeof simulateContact>[0]["customer"]): Promise<ContactTrace> {
  return simulateContact({
    flow,
    contact: { contactId: "0f1e2d3c-4b5a-4697-8a8b-00000000c0de", channel: "CHAT", attributes: { [ContactAttribute.customerName]: "山田様" } },
    customer,
    runtime: { lex: bridge.lex, lambda: bridge.lambda, flows: flowCatalog({ [ARNS.agentUiFlow]: agentUiFlow }) },
    options: { isAnswer: (entry) => entry.text !== INTERIM },
  });
}

test("three turns: the greeting once, then per message the interim text and the answer, never the greeting again", async () => {
  const bridge = fakeBridge({ answerMs: () => 3_000 });
  const trace = assertCompleted(await run(chatFlow, bridge, [{ say: "営業時間は？", thinkMs: 2_000 }, { say: "送料は？", thinkMs: 2_000 }, { say: "返品は？", thinkMs: 2_000 }, { disconnect: true, thinkMs: 1_000 }]));
  const seen = trace.transcript.filter((e) => e.from !== "agent-view").map((e) => `${e.from}: ${e.text}`);
  // "flow" lines are Lex block prompts: the answer arrives as the prompt of the block that waits for the next message.
  expect(seen).toEqual([
    `flow: ${GREETING}`,
    "customer: 営業時間は？",
    `bot: ${INTERIM}`,
    "flow: answer 1",
    "customer: 送料は？",
    `bot: ${INTERIM}`,
    "flow: answer 2",
    "customer: 返品は？",
    `bot: ${INTERIM}`,
    "flow: answer 3",
  ]);
  expect(trace.turns.map((t) => t.answerText)).toEqual(["answer 1", "answer 2", "answer 3"]);
  expect(trace.outcome.kind).toBe("customer-disconnected");
});

test("a long chat: turn 30 waits as long as turn 1 and gets its answer (the poll budget is per turn)", async () => {
  // Every answer takes 25 s: about four poller calls per turn, 160 in the contact, far past a Loop's 100.
  const bridge = fakeBridge({ answerMs: () => 25_000 });
  const questions = Array.from({ length: 40 }, (_, i) => ({ say: `質問 ${i + 1}`, thinkMs: 1_000 }));
  const trace = assertCompleted(await run(chatFlow, bridge, [...questions, { disconnect: true, thinkMs: 1_000 }]));
  expect(trace.turns).toHaveLength(40);
  expect(trace.turns.map((t) => t.answerText)).toEqual(questions.map((_, i) => `answer ${i + 1}`));
  const first = trace.turns[0];
  const thirtieth = trace.turns[29];
  expect(thirtieth.answerLatencyMs).toBe(first.answerLatencyMs);
  expect(thirtieth.lambdaInvocations).toBe(first.lambdaInvocations);
  expect(first.lambdaInvocations).toBe(4);
  expect(bridge.pollerCalls()).toBe(160);
  // The contact attribute counts this turn's polls only.
  expect(trace.attributes[ContactAttribute.pollCount]).toBe("4");
});

test("a Loop block would not do: its counter carries over between turns and a later turn fails at once", async () => {
  // The seed design (Wait 1 s -> Invoke -> Compare -> Loop) with the kit's builder, to show the Loop semantics.
  const flow = new FlowBuilder();
  const wait = flow.ref("wait");
  const end = flow.ref("end");
  const timedOut = flow.ref("timed-out");
  flow.connectParticipantWithLexBot("lex", { prompt: { text: "どうぞ" }, botAliasArn: ARNS.bot, onNoMatch: wait, onError: end });
  flow.wait("wait", { seconds: 1, onTimeout: flow.ref("poll"), onError: end });
  flow.invokeLambdaFunction("poll", { functionArn: ARNS.poller, timeoutSeconds: 8, parameters: { turnId: "$.Lex.SessionAttributes.bridgeTurnId" }, next: flow.ref("status"), onError: end });
  flow.compare("status", { value: "$.External.status", branches: [{ operand: "READY", next: flow.ref("answer") }], onNoMatch: flow.ref("loop") });
  flow.loop("loop", { count: 20, onContinue: wait, onDone: timedOut });
  flow.connectParticipantWithLexBot("answer", { prompt: { text: "$.External.answer" }, botAliasArn: ARNS.bot, onNoMatch: wait, onError: end });
  flow.connectParticipantWithLexBot("timed-out", { prompt: { text: "timed out" }, botAliasArn: ARNS.bot, onNoMatch: wait, onError: end });
  flow.disconnectParticipant("end");
  // The poller of the seed design reads once (no long poll): a budget of 0 answers PENDING at once.
  const bridge = fakeBridge({ answerMs: () => 5_000, pollerBudgetMs: 0 });
  const trace = assertCompleted(await run(flow.toDocument(), bridge, [...Array.from({ length: 6 }, (_, i) => ({ say: `q${i + 1}`, thinkMs: 500 })), { disconnect: true, thinkMs: 500 }]));
  const answers = trace.turns.map((t) => t.answerText);
  // Each turn used about five loop rounds; by the fifth turn the 20 rounds are spent and it times out at once.
  expect(answers.slice(0, 3)).toEqual(["answer 1", "answer 2", "answer 3"]);
  expect(answers).toContain("timed out");
});

test("a poller that is throttled for a while: the flow waits briefly, retries and still delivers the answer", async () => {
  const bridge = fakeBridge({ answerMs: () => 9_000, throttledCalls: new Set([1, 2, 3]) });
  const trace = assertCompleted(await run(chatFlow, bridge, [{ say: "質問", thinkMs: 1_000 }, { disconnect: true, thinkMs: 1_000 }]));
  expect(trace.turns[0].answerText).toBe("answer 1");
  const waits = trace.steps.filter((s) => s.type === "Wait").map((s) => s.actionId);
  expect(waits).toEqual(["poll-retry-wait-1", "poll-retry-wait-2", "poll-retry-wait-3"]);
});

test("HANDOFF: the answer is said, the summary lands in contact attributes, the agent view is set, and the contact is queued", async () => {
  const bridge = fakeBridge({ answerMs: () => 2_000, tool: () => "HANDOFF", answer: () => "担当者におつなぎします。" });
  const trace = assertCompleted(await run(chatFlow, bridge, [{ say: "人と話したい件があります", thinkMs: 1_000 }]));
  expect(trace.transcript.map((e) => e.text)).toContain("担当者におつなぎします。");
  if (trace.outcome.kind !== "transferred") throw new Error(`expected a transfer, got ${trace.outcome.kind}`);
  expect(trace.outcome.queue.id).toBe(ARNS.queue);
  expect(trace.outcome.hooks).toEqual({ DefaultAgentUI: ARNS.agentUiFlow });
  expect(trace.outcome.attributes).toMatchObject({
    [ContactAttribute.handoffSource]: HandoffSource.tool,
    [ContactAttribute.customerEndpoint]: "山田様",
    ...Object.fromEntries(HANDOFF_FIELDS.map((f) => [f, `${f} of turn 1`])),
  });
  // What the agent sees: the view with every field filled in.
  const view = trace.outcome.agentUi?.views[0];
  expect(view?.viewResource).toEqual({ Id: VIEW_VERSION_ARN });
  expect(view?.data).toMatchObject({
    [ContactAttribute.customerEndpoint]: "山田様",
    ...Object.fromEntries(HANDOFF_FIELDS.map((f) => [f, `${f} of turn 1`])),
  });
});

test("TalkToAgent: the bot's closing, then the handoff with the fixed reason", async () => {
  const bridge = fakeBridge({ answerMs: () => 2_000 });
  const trace = assertCompleted(await run(chatFlow, bridge, [{ say: "担当者と話したい", thinkMs: 1_000 }]));
  expect(trace.transcript.map((e) => e.text)).toContain(TALK_TO_AGENT_CLOSING);
  expect(trace.outcome).toMatchObject({ kind: "transferred", attributes: { [ContactAttribute.handoffSource]: HandoffSource.talkToAgent } });
});

test("a customer who stops typing gets the goodbye and the chat ends", async () => {
  const bridge = fakeBridge({ answerMs: () => 2_000 });
  const trace = assertCompleted(await run(chatFlow, bridge, [{ say: "質問", thinkMs: 1_000 }, { silence: true }]));
  expect(trace.outcome.kind).toBe("disconnected");
  expect(trace.transcript[trace.transcript.length - 1].text).toMatch(/チャットを終了します/);
});
