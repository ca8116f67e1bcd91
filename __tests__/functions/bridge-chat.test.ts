import { handler as pollerHandler } from "../../functions/answer-poller";
import { handler as workerHandler } from "../../functions/bedrock-worker";
import { handler as lexHandler } from "../../functions/lex-fulfillment";
import { type LexV2Response } from "../../functions/shared/lex-event";
import { claimTurn, getTurn, newClaimToken } from "../../functions/shared/turn-store";
import { WORKER_NAME, metricSum, pollUntilSettled, useBridge } from "../support/bridge-harness";
import { contactId, lambdaContext, lexEvent, pollEvent } from "../support/bridge-events";
import { TARGETS, type Target, handlerFor } from "../support/built-bundle";
import { answerReply, serverErrorReply, throttleReply, toolReply } from "../support/fake-bedrock";

/**
 * Chat with the poll strategy, end to end over real protocols: lex-fulfillment -> (Lambda Invoke, Event)
 * -> bedrock-worker -> (Converse) -> DynamoDB <- answer-poller.
 */

const bridge = useBridge();

function attributes(response: LexV2Response): Record<string, string> {
  return response.sessionState.sessionAttributes;
}

async function startTurn(contact: string, text: string, extra: Record<string, string> = {}, target: Target = "source"): Promise<{ response: LexV2Response; turnId: string }> {
  const response = await handlerFor(target, "lex-fulfillment", lexHandler)(lexEvent({ contactId: contact, text, sessionAttributes: extra }), lambdaContext(10_000));
  return { response, turnId: attributes(response).bridgeTurnId };
}

// Also run against lex-fulfillment's built bundle (the zip's index.js), so bundling mistakes fail here too.
test.each(TARGETS)("quick answer: interim at once, worker stores it, poller returns READY with that text (%s)", async (target) => {
  bridge().bedrock.onConverse = () => answerReply("[answer] 平日9時から18時まで営業しています。");
  const contact = contactId();
  const { response, turnId } = await startTurn(contact, "営業時間は？", { customerName: "Sato" }, target);

  expect(response.sessionState.dialogAction.type).toBe("Close");
  expect(response.sessionState.intent).toEqual({ name: "FallbackIntent", state: "Fulfilled" });
  expect(response.messages).toEqual([{ contentType: "PlainText", content: expect.stringContaining("[interim-ja]") }]);
  expect(attributes(response)).toMatchObject({ bridgeStatus: "PENDING", customerName: "Sato", contactId: contact });
  expect(turnId).toMatch(/^[0-9a-z]{9}-[0-9a-z]{8}$/);
  expect(bridge().lambda.invocations).toEqual([{ functionName: WORKER_NAME, invocationType: "Event", payload: { v: 1, contactId: contact, turnId }, delivery: "once" }]);

  const polls = await pollUntilSettled(contact, turnId);
  const last = polls[polls.length - 1];
  expect(last).toEqual({
    status: "READY",
    answer: "[answer] 平日9時から18時まで営業しています。",
    Tool: "ANSWER",
    customer_issue: "",
    bot_response: "",
    conversation_summary: "",
    escalation_reason: "",
    message: "",
    turnId,
    waitedMs: expect.stringMatching(/^\d+$/),
    pollCount: String(polls.length),
  });
  expect(Object.values(last).every((value) => typeof value === "string")).toBe(true);
  expect(bridge().bedrock.converseCalls).toHaveLength(1);
  expect(bridge().bedrock.converseCalls[0].target).toBe("apac.amazon.nova-lite-v1:0");
  await bridge().lambda.idle();
  expect(metricSum(bridge().metrics, "AnswersStored", "bedrock-worker")).toBe(1);
  expect(metricSum(bridge().metrics, "TurnsStarted", "lex-fulfillment")).toBe(1);
});

test("slow answer: the poller returns PENDING while the model works, then READY across calls", async () => {
  bridge().bedrock.onConverse = () => answerReply("[slow answer] done", 900);
  const contact = contactId();
  const { turnId } = await startTurn(contact, "slow question");

  const polls = await pollUntilSettled(contact, turnId);
  expect(polls.length).toBeGreaterThanOrEqual(2);
  expect(polls.slice(0, -1).every((poll) => poll.status === "PENDING" && poll.answer === "" && poll.turnId === turnId)).toBe(true);
  expect(polls[polls.length - 1]).toMatchObject({ status: "READY", answer: "[slow answer] done" });
  // The poller returns as soon as the answer lands, not at the end of its budget.
  const stored = await getTurn({ contactId: contact, turnId });
  expect(stored?.status).toBe("DONE");
});

test("HANDOFF: the four handoff fields reach the poller output", async () => {
  const handoff = {
    message: "[handoff] 担当者におつなぎします。",
    customer_issue: "請求額が二重になっている",
    bot_response: "請求の確認方法を案内した",
    conversation_summary: "顧客は今月の請求が二重だと連絡。案内では解決せず。",
    escalation_reason: "返金判断が必要",
  };
  bridge().bedrock.onConverse = () => toolReply("HANDOFF", handoff);
  const contact = contactId();
  const { turnId } = await startTurn(contact, "二重請求されています。人と話したい");
  const polls = await pollUntilSettled(contact, turnId);
  expect(polls[polls.length - 1]).toMatchObject({
    status: "READY",
    Tool: "HANDOFF",
    answer: handoff.message,
    customer_issue: handoff.customer_issue,
    bot_response: handoff.bot_response,
    conversation_summary: handoff.conversation_summary,
    escalation_reason: handoff.escalation_reason,
  });
});

test("worker never runs (event dropped): the poller ends EXPIRED with the fallback message", async () => {
  bridge().useSettings({ budgets: { turnTimeoutMs: 600 } });
  bridge().lambda.delivery = () => "drop";
  const contact = contactId();
  const { turnId } = await startTurn(contact, "dropped");
  const polls = await pollUntilSettled(contact, turnId, 30);
  const last = polls[polls.length - 1];
  expect(last.status).toBe("EXPIRED");
  expect(last.message).toContain("[expired-ja]");
  expect(last.answer).toBe("");
  expect(bridge().bedrock.converseCalls).toHaveLength(0);
});

test("worker crashed after claiming the turn: the poller ends EXPIRED, a late duplicate cannot revive it", async () => {
  bridge().useSettings({ budgets: { turnTimeoutMs: 600 } });
  bridge().lambda.delivery = () => "crash";
  bridge().lambda.crash = async (payload) => {
    const { contactId: contact, turnId } = payload as { contactId: string; turnId: string };
    // What a worker that died mid-answer leaves behind: a claimed, still PENDING turn.
    await claimTurn({ contactId: contact, turnId }, { token: newClaimToken(), nowMs: Date.now(), leaseUntil: Date.now() + 60_000 });
  };
  const contact = contactId();
  const { turnId } = await startTurn(contact, "crash please");
  await bridge().lambda.idle();
  const polls = await pollUntilSettled(contact, turnId, 30);
  expect(polls[polls.length - 1]).toMatchObject({ status: "EXPIRED", message: expect.stringContaining("[expired-ja]") });
  expect((await getTurn({ contactId: contact, turnId }))?.status).toBe("PENDING");
  // Lambda's own retry of the event arrives after the deadline: no Bedrock call, the turn is closed.
  await workerHandler({ v: 1, contactId: contact, turnId }, lambdaContext(30_000));
  expect(bridge().bedrock.converseCalls).toHaveLength(0);
  expect(await getTurn({ contactId: contact, turnId })).toMatchObject({ status: "FAILED", failureReason: "deadline_passed_before_start" });
});

test.each(TARGETS)("async invoke refused: the turn is FAILED at once and Lex gets the apology (%s)", async (target) => {
  bridge().lambda.delivery = () => "reject";
  const contact = contactId();
  const { response, turnId } = await startTurn(contact, "invoke fails", {}, target);
  expect(attributes(response).bridgeStatus).toBe("FAILED");
  expect(response.messages?.[0].content).toContain("[apology-ja]");
  expect((await getTurn({ contactId: contact, turnId }))).toMatchObject({ status: "FAILED", failureReason: "worker_invoke_failed" });
  const [poll] = await pollUntilSettled(contact, turnId);
  expect(poll).toMatchObject({ status: "FAILED", message: expect.stringContaining("[apology-ja]") });
  expect(metricSum(bridge().metrics, "WorkerInvokeErrors", "lex-fulfillment")).toBe(1);
});

test.each(["twice-concurrent", "twice-sequential"] as const)("duplicate async delivery (%s): one Bedrock call, one stored answer that never changes", async (delivery) => {
  let calls = 0;
  bridge().lambda.delivery = () => delivery;
  bridge().bedrock.onConverse = () => {
    calls += 1;
    return answerReply(`[answer #${calls}]`, 150);
  };
  const contact = contactId();
  const { turnId } = await startTurn(contact, "duplicate me");
  await bridge().lambda.idle();
  const stored = await getTurn({ contactId: contact, turnId });
  expect(bridge().bedrock.converseCalls).toHaveLength(1);
  expect(stored).toMatchObject({ status: "DONE", answer: "[answer #1]", attempts: 1, claims: 1 });
  expect(metricSum(bridge().metrics, "DuplicateDeliveries", "bedrock-worker")).toBe(1);
  expect(metricSum(bridge().metrics, "AnswersStored", "bedrock-worker")).toBe(1);
  expect(bridge().lambda.handlerErrors).toEqual([]);
  // A third, late delivery still changes nothing.
  await workerHandler({ v: 1, contactId: contact, turnId }, lambdaContext(30_000));
  expect(await getTurn({ contactId: contact, turnId })).toEqual(stored);
  const [poll] = await pollUntilSettled(contact, turnId);
  expect(poll).toMatchObject({ status: "READY", answer: "[answer #1]" });
});

test("throttling then success within the deadline: retried with backoff, answer stored", async () => {
  bridge().bedrock.onConverse = (call) => (call.index < 2 ? throttleReply() : answerReply("[after throttling] ok"));
  const contact = contactId();
  const { turnId } = await startTurn(contact, "busy model");
  const polls = await pollUntilSettled(contact, turnId);
  expect(polls[polls.length - 1]).toMatchObject({ status: "READY", answer: "[after throttling] ok" });
  expect(bridge().bedrock.converseCalls).toHaveLength(3);
  const gaps = bridge().bedrock.converseCalls.slice(1).map((call, i) => call.receivedAt - bridge().bedrock.converseCalls[i].receivedAt);
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(90); // backoff happened (equal jitter: at least half the base delay)
  await bridge().lambda.idle();
  expect(metricSum(bridge().metrics, "BedrockThrottles", "bedrock-worker")).toBe(2);
  expect(metricSum(bridge().metrics, "BedrockRetries", "bedrock-worker")).toBe(2);
  expect(await getTurn({ contactId: contact, turnId })).toMatchObject({ status: "DONE", attempts: 3, claims: 1 });
});

test("throttling beyond the deadline: FAILED before the deadline, poller returns the apology", async () => {
  bridge().bedrock.onConverse = () => throttleReply(100);
  const settings = bridge().useSettings({ budgets: { turnTimeoutMs: 1_500 } });
  const contact = contactId();
  const { turnId } = await startTurn(contact, "always throttled");
  await bridge().lambda.idle();
  const stored = await getTurn({ contactId: contact, turnId });
  expect(stored).toMatchObject({ status: "FAILED", failureReason: "throttled" });
  expect(stored!.completedAt!).toBeLessThanOrEqual(stored!.deadlineAt);
  const lastCall = bridge().bedrock.converseCalls[bridge().bedrock.converseCalls.length - 1];
  expect(lastCall.receivedAt).toBeLessThan(stored!.createdAt + settings.budgets.turnTimeoutMs);
  expect(bridge().bedrock.converseCalls.length).toBeGreaterThanOrEqual(2);
  const [poll] = await pollUntilSettled(contact, turnId);
  expect(poll).toMatchObject({ status: "FAILED", message: expect.stringContaining("[apology-ja]"), answer: "" });
  expect(metricSum(bridge().metrics, "BedrockThrottles", "bedrock-worker")).toBe(bridge().bedrock.converseCalls.length);
});

test("5xx from Bedrock is retried like throttling", async () => {
  bridge().bedrock.onConverse = (call) => (call.index === 0 ? serverErrorReply(503, "ServiceUnavailableException") : answerReply("[after 503]"));
  const contact = contactId();
  const { turnId } = await startTurn(contact, "flaky");
  const polls = await pollUntilSettled(contact, turnId);
  expect(polls[polls.length - 1]).toMatchObject({ status: "READY", answer: "[after 503]" });
  await bridge().lambda.idle();
  expect(metricSum(bridge().metrics, "BedrockErrors", "bedrock-worker")).toBe(1);
});

test("the worker sends earlier answered turns of the same contact as history", async () => {
  bridge().bedrock.onConverse = (call) => answerReply(`[answer ${call.index + 1}]`);
  const contact = contactId();
  for (const text of ["first question", "second question"]) {
    const { turnId } = await startTurn(contact, text);
    const polls = await pollUntilSettled(contact, turnId);
    expect(polls[polls.length - 1].status).toBe("READY");
  }
  // Another contact's turns must not leak into this history.
  const other = contactId();
  await pollUntilSettled(other, (await startTurn(other, "someone else")).turnId);
  const { turnId } = await startTurn(contact, "third question");
  await pollUntilSettled(contact, turnId);
  const call = bridge().bedrock.converseCalls.find((c) => JSON.stringify(c.body.messages).includes("third question"));
  const messages = call!.body.messages as { role: string; content: { text: string }[] }[];
  expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant", "user"]);
  expect(messages.map((m) => m.content[m.content.length - 1].text)).toEqual(["first question", "[answer 1]", "second question", "[answer 2]", "third question"]);
});

test("the poller never returns another contact's turn, whatever turnId it is given", async () => {
  bridge().bedrock.onConverse = () => answerReply("[secret answer of A]");
  const contactA = contactId();
  const { turnId } = await startTurn(contactA, "A's question");
  expect((await pollUntilSettled(contactA, turnId)).pop()?.status).toBe("READY");
  const contactB = contactId();
  const stolen = await pollerHandler(pollEvent(contactB, turnId), lambdaContext(8_000));
  expect(stolen.status).toBe("EXPIRED");
  expect(JSON.stringify(stolen)).not.toContain("secret answer");
});
