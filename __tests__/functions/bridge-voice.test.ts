import { handler as lexHandler } from "../../functions/lex-fulfillment";
import { type LexV2Response } from "../../functions/shared/lex-event";
import { getTurn } from "../../functions/shared/turn-store";
import { metricSum, useBridge } from "../support/bridge-harness";
import { contactId, lambdaContext, lexEvent } from "../support/bridge-events";
import { TARGETS, handlerFor } from "../support/built-bundle";
import { answerReply, toolReply } from "../support/fake-bedrock";

/**
 * The synchronous path of lex-fulfillment: voice (Lex streaming, no 10 s limit but a fulfillment
 * timeout) and chat with the "streaming"/"standard" strategy. The answer comes back in the Lex response;
 * the turn is still stored for history.
 */

const bridge = useBridge();

const attributes = (response: LexV2Response) => response.sessionState.sessionAttributes;

function voiceEvent(contact: string, text: string, sessionAttributes: Record<string, string> = {}) {
  return lexEvent({ contactId: contact, text, channel: "VOICE", sessionAttributes });
}

// Also run against lex-fulfillment's built bundle (the zip's index.js), so bundling mistakes fail here too.
test.each(TARGETS)("voice answers synchronously with the voice model, sets Tool/bridgeStatus and stores the turn (%s)", async (target) => {
  bridge().bedrock.onConverse = () => answerReply("[voice answer] 営業時間は9時から18時です。");
  const contact = contactId();
  const response = await handlerFor(target, "lex-fulfillment", lexHandler)(voiceEvent(contact, "営業時間は？"), lambdaContext(30_000));
  expect(response.sessionState.dialogAction.type).toBe("Close");
  expect(response.sessionState.intent).toEqual({ name: "FallbackIntent", state: "Fulfilled" });
  expect(response.messages).toEqual([{ contentType: "PlainText", content: "[voice answer] 営業時間は9時から18時です。" }]);
  expect(attributes(response)).toMatchObject({ Tool: "ANSWER", bridgeStatus: "READY", contactId: contact, channel: "VOICE" });
  expect(bridge().bedrock.converseCalls.map((call) => call.target)).toEqual(["apac.anthropic.claude-3-haiku-20240307-v1:0"]);
  expect(bridge().lambda.invocations).toEqual([]);
  const stored = await getTurn({ contactId: contact, turnId: attributes(response).bridgeTurnId });
  expect(stored).toMatchObject({ status: "DONE", channel: "voice", answer: "[voice answer] 営業時間は9時から18時です。", tool: "ANSWER" });
  expect(metricSum(bridge().metrics, "SyncAnswers", "lex-fulfillment")).toBe(1);
});

test("voice HANDOFF puts the four fields into session attributes, and the next turn clears them", async () => {
  const handoff = {
    message: "[handoff] I will connect you with an agent.",
    customer_issue: "Card was charged twice",
    bot_response: "Explained how to check statements",
    conversation_summary: "Customer reports a duplicate charge; self-service did not resolve it.",
    escalation_reason: "Refund decision needed",
  };
  bridge().bedrock.onConverse = (call) => (call.index === 0 ? toolReply("HANDOFF", handoff) : answerReply("[next] Anything else?"));
  const contact = contactId();
  const first = await lexHandler(lexEvent({ contactId: contact, text: "I was charged twice", channel: "VOICE", localeId: "en_US" }), lambdaContext(30_000));
  expect(attributes(first)).toMatchObject({ Tool: "HANDOFF", bridgeStatus: "READY", ...Object.fromEntries(Object.entries(handoff).filter(([key]) => key !== "message")) });
  expect(first.messages?.[0].content).toBe(handoff.message);

  const second = await lexHandler(
    lexEvent({ contactId: contact, text: "never mind", channel: "VOICE", localeId: "en_US", sessionAttributes: attributes(first) }),
    lambdaContext(30_000),
  );
  expect(attributes(second).Tool).toBe("ANSWER");
  for (const field of ["customer_issue", "bot_response", "conversation_summary", "escalation_reason"]) expect(attributes(second)).not.toHaveProperty(field);
  // The first turn is history for the second one.
  const messages = bridge().bedrock.converseCalls[1].body.messages as { role: string }[];
  expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  expect(bridge().bedrock.converseCalls[1].body.system).toEqual([{ text: expect.stringContaining("[prompt-en]") }]);
});

test("voice timeout: the apology within the voice budget, bridgeStatus FAILED, one log line", async () => {
  bridge().useSettings({ budgets: { voiceMs: 700 } });
  bridge().bedrock.onConverse = () => ({ kind: "hang" });
  const contact = contactId();
  const started = Date.now();
  const response = await lexHandler(voiceEvent(contact, "slow model"), lambdaContext(30_000));
  const elapsed = Date.now() - started;
  expect(attributes(response).bridgeStatus).toBe("FAILED");
  expect(attributes(response)).not.toHaveProperty("Tool");
  expect(response.messages?.[0].content).toContain("[apology-ja]");
  expect(elapsed).toBeLessThan(700 + 400);
  const stored = await getTurn({ contactId: contact, turnId: attributes(response).bridgeTurnId });
  expect(stored).toMatchObject({ status: "FAILED", failureReason: "timeout" });
  const failures = bridge().logs.filter((line) => line.service === "lex-fulfillment" && line.message === "no answer in time; apology sent");
  expect(failures).toEqual([expect.objectContaining({ contactId: contact, reason: "timeout", level: "warn" })]);
});

test("the synchronous budget is also bounded by Lambda's remaining time", async () => {
  bridge().useSettings({ budgets: { voiceMs: 20_000 } });
  bridge().bedrock.onConverse = () => answerReply("too late", 5_000);
  const started = Date.now();
  const response = await lexHandler(voiceEvent(contactId(), "hello"), lambdaContext(1_500));
  expect(Date.now() - started).toBeLessThan(1_500);
  expect(attributes(response).bridgeStatus).toBe("FAILED");
});

test("a long answer is split at sentence boundaries into Lex messages of at most 1,000 characters", async () => {
  const sentence = "This sentence is part of a long answer about opening hours and holidays. ";
  const long = sentence.repeat(60).trim();
  bridge().useSettings({ maxAnswerChars: 5_000 });
  bridge().bedrock.onConverse = () => answerReply(long);
  const response = await lexHandler(lexEvent({ text: "tell me everything", channel: "VOICE", localeId: "en_US" }), lambdaContext(30_000));
  const contents = response.messages!.map((m) => m.content);
  expect(contents.length).toBeGreaterThan(1);
  expect(contents.length).toBeLessThanOrEqual(10);
  for (const content of contents) {
    expect(content.length).toBeLessThanOrEqual(1000);
    expect(content.endsWith(".")).toBe(true);
  }
  expect(contents.join(" ")).toBe(long);
});

test("chat with the streaming strategy answers synchronously with the chat model and budget", async () => {
  bridge().useSettings({ chatStrategy: "streaming", budgets: { chatSyncMs: 600 } });
  bridge().bedrock.onConverse = () => answerReply("[chat sync]");
  const response = await lexHandler(lexEvent({ text: "hi" }), lambdaContext(60_000));
  expect(attributes(response)).toMatchObject({ bridgeStatus: "READY", Tool: "ANSWER" });
  expect(response.messages?.[0].content).toBe("[chat sync]");
  expect(bridge().bedrock.converseCalls[0].target).toBe("apac.amazon.nova-lite-v1:0");
  expect(bridge().lambda.invocations).toEqual([]);

  bridge().bedrock.onConverse = () => answerReply("late", 2_000);
  const started = Date.now();
  const late = await lexHandler(lexEvent({ text: "hi again" }), lambdaContext(60_000));
  expect(attributes(late).bridgeStatus).toBe("FAILED");
  expect(Date.now() - started).toBeLessThan(600 + 400);
});

test("COMPLETE is passed on as Tool=COMPLETE", async () => {
  bridge().bedrock.onConverse = () => toolReply("COMPLETE", { message: "[bye] ありがとうございました。" });
  const response = await lexHandler(voiceEvent(contactId(), "以上です"), lambdaContext(30_000));
  expect(attributes(response)).toMatchObject({ Tool: "COMPLETE", bridgeStatus: "READY" });
  expect(response.messages?.[0].content).toBe("[bye] ありがとうございました。");
});

test("voice still answers when DynamoDB cannot store the turn (history is a nicety)", async () => {
  bridge().bedrock.onConverse = () => answerReply("[answer without store]");
  const table = process.env.TABLE_NAME;
  process.env.TABLE_NAME = "table-that-does-not-exist";
  try {
    const response = await lexHandler(voiceEvent(contactId(), "hello"), lambdaContext(30_000));
    expect(attributes(response)).toMatchObject({ bridgeStatus: "READY", Tool: "ANSWER" });
    expect(response.messages?.[0].content).toBe("[answer without store]");
  } finally {
    process.env.TABLE_NAME = table;
  }
  expect(bridge().logs.some((line) => line.message === "turn not stored; answering without history")).toBe(true);
});

test("channel falls back to the Lex platform attribute and the input mode when the flow sets none", async () => {
  bridge().bedrock.onConverse = () => answerReply("[sync]");
  const speech = lexEvent({ text: "hi", inputMode: "Speech", platform: "Connect" });
  delete (speech.sessionState as { sessionAttributes: Record<string, string> }).sessionAttributes.channel;
  const spoken = await lexHandler(speech, lambdaContext(30_000));
  expect(attributes(spoken).bridgeStatus).toBe("READY");

  const typed = lexEvent({ text: "hi", inputMode: "Text", platform: "Connect Chat" });
  delete (typed.sessionState as { sessionAttributes: Record<string, string> }).sessionAttributes.channel;
  const chat = await lexHandler(typed, lambdaContext(30_000));
  expect(attributes(chat).bridgeStatus).toBe("PENDING");
  await bridge().lambda.idle();
});
