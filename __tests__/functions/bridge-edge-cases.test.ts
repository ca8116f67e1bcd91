import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { handler as lexHandler } from "../../functions/lex-fulfillment";
import { dynamoClient, resetAwsClients } from "../../functions/shared/aws-clients";
import { HANDOFF_FIELD_PLACEHOLDER } from "../../functions/shared/flow-contract";
import { type LexV2Response, sessionAttributeBytes } from "../../functions/shared/lex-event";
import { LEX_SESSION_ATTRIBUTES_MAX_BYTES } from "../../functions/shared/text";
import { type Turn, getTurn, turnFromItem } from "../../functions/shared/turn-store";
import { metricSum, pollUntilSettled, useBridge } from "../support/bridge-harness";
import { contactId, lambdaContext, lexEvent } from "../support/bridge-events";
import { DelayingProxy } from "../support/delaying-proxy";
import { answerReply, toolReply } from "../support/fake-bedrock";

/**
 * Bridge edge cases where a call's answer and its effect disagree: an async Invoke that times out on
 * lex-fulfillment's side although the worker ran, and a turn write that times out although DynamoDB
 * stores it (or stores it later); and a HANDOFF the model filled in only partly, or too fully for Lex's
 * session attributes. Each test fails without the handling it names.
 */

const bridge = useBridge();

/** lex-fulfillment gets this much Lambda time: its async start budget is then 2,000 - 500 = 1,500 ms. */
const SHORT_INVOCATION_MS = 2_000;

function attributes(response: LexV2Response): Record<string, string> {
  return response.sessionState.sessionAttributes;
}

/** Every stored turn of a contact, read with a strongly consistent Query. */
async function turnsOf(contact: string): Promise<Turn[]> {
  const result = await dynamoClient().send(
    new QueryCommand({ TableName: process.env.TABLE_NAME, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: contact } }, ConsistentRead: true }),
  );
  return (result.Items ?? []).map((item) => turnFromItem(item)).filter((turn): turn is Turn => turn !== undefined);
}

describe("chat poll: the worker's Invoke does not confirm within lex-fulfillment's budget", () => {
  test("the worker ran and stored its answer: the flow gets PENDING with the turn id and polls the answer", async () => {
    bridge().bedrock.onConverse = () => answerReply("[answer] stored while the Invoke hung");
    bridge().lambda.ackDelayMs = 3_000;
    const contact = contactId();

    const response = await lexHandler(lexEvent({ contactId: contact, text: "営業時間は？" }), lambdaContext(SHORT_INVOCATION_MS));

    const turnId = attributes(response).bridgeTurnId;
    expect(attributes(response)).toMatchObject({ bridgeStatus: "PENDING", bridgeTurnId: expect.stringMatching(/^[0-9a-z]{9}-[0-9a-z]{8}$/) });
    expect(response.messages?.[0].content).toContain("[interim-ja]");
    expect(await getTurn({ contactId: contact, turnId })).toMatchObject({ status: "DONE", answer: "[answer] stored while the Invoke hung" });
    const polls = await pollUntilSettled(contact, turnId);
    expect(polls[polls.length - 1]).toMatchObject({ status: "READY", answer: "[answer] stored while the Invoke hung" });
    expect(metricSum(bridge().metrics, "WorkerInvokeUnconfirmed", "lex-fulfillment")).toBe(1);
    expect(metricSum(bridge().metrics, "TurnsStarted", "lex-fulfillment")).toBe(1);
    expect(metricSum(bridge().metrics, "WorkerInvokeErrors", "lex-fulfillment")).toBe(0);
  });

  test("the worker is still answering (it claimed the turn): PENDING too, and its answer is not discarded", async () => {
    bridge().bedrock.onConverse = () => answerReply("[slow answer] after the Invoke gave up", 1_500);
    bridge().lambda.ackDelayMs = 4_000;
    const contact = contactId();

    const response = await lexHandler(lexEvent({ contactId: contact, text: "送料は？" }), lambdaContext(SHORT_INVOCATION_MS));

    const turnId = attributes(response).bridgeTurnId;
    expect(attributes(response).bridgeStatus).toBe("PENDING");
    const polls = await pollUntilSettled(contact, turnId);
    expect(polls[polls.length - 1]).toMatchObject({ status: "READY", answer: "[slow answer] after the Invoke gave up" });
    expect(await getTurn({ contactId: contact, turnId })).toMatchObject({ status: "DONE", claims: 1 });
  });

  test("the worker never took the turn: it is closed as FAILED and Lex gets the apology, as before", async () => {
    bridge().lambda.ackDelayMs = 3_000;
    bridge().lambda.delivery = () => "drop";
    const contact = contactId();

    const response = await lexHandler(lexEvent({ contactId: contact, text: "dropped" }), lambdaContext(SHORT_INVOCATION_MS));

    expect(attributes(response).bridgeStatus).toBe("FAILED");
    expect(response.messages?.[0].content).toContain("[apology-ja]");
    expect(await getTurn({ contactId: contact, turnId: attributes(response).bridgeTurnId })).toMatchObject({ status: "FAILED", failureReason: "worker_invoke_failed" });
    expect(metricSum(bridge().metrics, "WorkerInvokeErrors", "lex-fulfillment")).toBe(1);
  });
});

describe("a turn write that times out but lands: no PENDING turn is left behind", () => {
  let proxy: DelayingProxy;
  let dynamoEndpoint: string | undefined;

  beforeEach(async () => {
    dynamoEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    proxy = new DelayingProxy(dynamoEndpoint!);
    process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
    resetAwsClients();
  });

  afterEach(async () => {
    await proxy.stop();
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamoEndpoint;
    resetAwsClients();
  });

  test("chat: the write lands, its answer does not come in time: the turn is closed as FAILED and counted", async () => {
    proxy.hold = (operation) => (operation === "PutItem" ? { holdResponseMs: 3_000 } : undefined);
    const contact = contactId();

    const response = await lexHandler(lexEvent({ contactId: contact, text: "営業時間は？" }), lambdaContext(SHORT_INVOCATION_MS));

    expect(attributes(response).bridgeStatus).toBe("FAILED");
    expect(response.messages?.[0].content).toContain("[apology-ja]");
    expect(bridge().lambda.invocations).toEqual([]);
    const turns = await turnsOf(contact);
    expect(turns).toEqual([expect.objectContaining({ status: "FAILED", failureReason: "store_timeout", utterance: "営業時間は？", channel: "chat" })]);
    expect(metricSum(bridge().metrics, "TurnsAbandoned", "lex-fulfillment")).toBe(1);
    expect(metricSum(bridge().metrics, "StoreErrors", "lex-fulfillment")).toBe(1);
  });

  test("chat: the write reaches DynamoDB only after lex-fulfillment gave up: the late write is refused, the turn stays FAILED", async () => {
    proxy.hold = (operation) => (operation === "PutItem" ? { holdRequestMs: 2_500 } : undefined);
    const contact = contactId();

    const response = await lexHandler(lexEvent({ contactId: contact, text: "送料は？" }), lambdaContext(SHORT_INVOCATION_MS));

    expect(attributes(response).bridgeStatus).toBe("FAILED");
    await proxy.idle(); // the held PutItem has now reached dynalite
    expect(proxy.operations).toEqual(["PutItem", "UpdateItem"]);
    const turns = await turnsOf(contact);
    expect(turns).toEqual([expect.objectContaining({ status: "FAILED", failureReason: "store_timeout" })]);
    expect(metricSum(bridge().metrics, "TurnsAbandoned", "lex-fulfillment")).toBe(1);
  });

  test("voice: the write reaches DynamoDB after the answer was stored-or-not: the customer has the answer, the turn ends FAILED, not PENDING", async () => {
    bridge().bedrock.onConverse = () => answerReply("[voice answer] 平日9時から18時までです。");
    proxy.hold = (operation) => (operation === "PutItem" ? { holdRequestMs: 2_000 } : undefined);
    const contact = contactId();

    const response = await lexHandler(lexEvent({ contactId: contact, text: "営業時間は？", channel: "VOICE" }), lambdaContext(10_000));

    expect(attributes(response).bridgeStatus).toBe("READY");
    expect(response.messages?.[0].content).toBe("[voice answer] 平日9時から18時までです。");
    await proxy.idle();
    const turns = await turnsOf(contact);
    expect(turns).toEqual([expect.objectContaining({ status: "FAILED", failureReason: "store_timeout", channel: "voice" })]);
    expect(metricSum(bridge().metrics, "TurnsAbandoned", "lex-fulfillment")).toBe(1);
  });
});

describe("HANDOFF: a customer who asked for a person reaches one", () => {
  test("chat poll: a HANDOFF without escalation_reason is handed over with the placeholder, not apologised for", async () => {
    bridge().bedrock.onConverse = () =>
      toolReply("HANDOFF", { message: "[handoff] 担当者におつなぎします。", customer_issue: "二重請求", bot_response: "確認方法を案内", conversation_summary: "請求の相談" });
    const contact = contactId();
    const response = await lexHandler(lexEvent({ contactId: contact, text: "人と話したい" }), lambdaContext(10_000));
    const polls = await pollUntilSettled(contact, attributes(response).bridgeTurnId);

    expect(polls[polls.length - 1]).toMatchObject({
      status: "READY",
      Tool: "HANDOFF",
      answer: "[handoff] 担当者におつなぎします。",
      customer_issue: "二重請求",
      escalation_reason: HANDOFF_FIELD_PLACEHOLDER,
    });
    await bridge().lambda.idle();
    expect(metricSum(bridge().metrics, "IncompleteHandoffs", "bedrock-worker")).toBe(1);
  });

  test("voice: missing fields become the placeholder in the session attributes, never empty", async () => {
    bridge().bedrock.onConverse = () => toolReply("HANDOFF", { message: "[handoff] 担当者におつなぎします。", customer_issue: "", escalation_reason: "返金判断が必要" });
    const response = await lexHandler(lexEvent({ text: "担当者と話したい", channel: "VOICE" }), lambdaContext(10_000));

    expect(attributes(response)).toMatchObject({
      bridgeStatus: "READY",
      Tool: "HANDOFF",
      customer_issue: HANDOFF_FIELD_PLACEHOLDER,
      bot_response: HANDOFF_FIELD_PLACEHOLDER,
      conversation_summary: HANDOFF_FIELD_PLACEHOLDER,
      escalation_reason: "返金判断が必要",
    });
    expect(metricSum(bridge().metrics, "IncompleteHandoffs", "lex-fulfillment")).toBe(1);
  });

  test("voice: four full fields of 4-byte characters keep the session attributes within 12,000 UTF-8 bytes", async () => {
    const full = "😀".repeat(1_000);
    bridge().bedrock.onConverse = () =>
      toolReply("HANDOFF", { message: "[handoff] connecting you", customer_issue: full, bot_response: full, conversation_summary: full, escalation_reason: full });
    const response = await lexHandler(lexEvent({ text: "agent please", channel: "VOICE", sessionAttributes: { customerNote: "n".repeat(2_000) } }), lambdaContext(10_000));

    const session = attributes(response);
    expect(session.Tool).toBe("HANDOFF");
    expect(sessionAttributeBytes(session)).toBeLessThanOrEqual(LEX_SESSION_ATTRIBUTES_MAX_BYTES);
    expect(session.customerNote).toHaveLength(2_000);
    for (const field of ["customer_issue", "bot_response", "conversation_summary", "escalation_reason"]) expect(session[field].length).toBeGreaterThan(500);
  });
});
