import { buildChatFlow, chatPollSettings } from "../../../flows/chat";
import { type FlowDocument, validateFlow } from "../../../flows/language";
import { AnswerPoller, ContactAttribute, FlowLimits, SessionAttribute } from "../../../functions/shared/flow-contract";
import { actionById, ARNS, branches, pollChatProps, selfServiceProps, silentlyEnding } from "../../support/flow-fixtures";

const poll = buildChatFlow(pollChatProps());
const streaming = buildChatFlow({ ...selfServiceProps("bedrock-bridge"), strategy: "streaming", inputTimeoutSeconds: 600 });
const qInConnect = buildChatFlow({ ...selfServiceProps("q-in-connect"), strategy: "standard", inputTimeoutSeconds: 300 });
const ALL: Record<string, FlowDocument> = { poll, streaming, qInConnect };

const lexBlocks = (doc: FlowDocument) => doc.Actions.filter((a) => a.Type === "ConnectParticipantWithLexBot");

describe.each(Object.entries(ALL))("chat flow (%s)", (_name, doc) => {
  test("passes the validator in strict mode as a chat CONTACT_FLOW", () => {
    expect(validateFlow(doc, { strict: true, flowType: "CONTACT_FLOW", channels: ["CHAT"] })).toEqual([]);
  });

  test("every Lex block hands the bot the contact id and channel, and has the input-timeout path", () => {
    const blocks = lexBlocks(doc);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) {
      expect(block.Parameters).toMatchObject({
        LexV2Bot: { AliasArn: ARNS.bot },
        LexSessionAttributes: { [SessionAttribute.contactId]: "$.ContactId", [SessionAttribute.channel]: "$.Channel" },
        LexTimeoutSeconds: { Text: expect.stringMatching(/^\d+$/) },
      });
      const timeout = branches(block).find((b) => b.branch === "InputTimeLimitExceeded");
      expect(timeout?.target).toBe("say-input-timeout");
    }
    expect(actionById(doc, "say-input-timeout")).toMatchObject({ Type: "MessageParticipant", Transitions: { NextAction: "end" } });
  });

  test("the greeting is said once: only the first Lex block carries it, later blocks wait under other prompts", () => {
    const greeting = actionById(doc, "lex-greeting").Parameters?.Text;
    expect(doc.StartAction).toBe("set-logging");
    const others = lexBlocks(doc).filter((b) => b.Identifier !== "lex-greeting");
    for (const block of others) expect(block.Parameters?.Text).not.toBe(greeting);
    // Nothing routes back to the greeting.
    const intoGreeting = doc.Actions.flatMap((a) => branches(a).filter((b) => b.target === "lex-greeting").map(() => a.Identifier));
    expect([...new Set(intoGreeting)]).toEqual([doc === qInConnect ? "select-ai-agent" : "set-language"]);
  });

  test("no error branch ends the contact in silence: every one reaches a message, a bot prompt or a transfer first", () => {
    const silent = silentlyEnding(doc);
    // A message that could not be sent is the one error after which nothing more can be said.
    for (const action of doc.Actions.filter((a) => a.Type !== "MessageParticipant")) {
      for (const branch of branches(action).filter((b) => /Error|TimeLimit|AtCapacity/.test(b.branch))) {
        expect({ from: action.Identifier, branch: branch.branch, silent: silent.has(branch.target) }).toEqual({ from: action.Identifier, branch: branch.branch, silent: false });
      }
    }
  });

  test("sets the contact's language before the bot runs, so Lex picks the right locale", () => {
    expect(actionById(doc, "set-language")).toMatchObject({ Type: "UpdateContactData", Parameters: { LanguageCode: "ja-JP" } });
  });
});

describe("chat flow, bridge poll strategy", () => {
  test("a PENDING turn resets the poll count and calls answer-poller synchronously with the turn id and count", () => {
    const status = actionById(poll, "check-bridge-status");
    expect(branches(status)).toContainEqual({ branch: "Equals PENDING", target: "poll-start" });
    expect(actionById(poll, "poll-start").Parameters).toEqual({ Attributes: { [ContactAttribute.pollCount]: "0" }, TargetContact: "Current" });
    expect(actionById(poll, "poll-answer").Parameters).toEqual({
      LambdaFunctionARN: ARNS.poller,
      InvocationTimeLimitSeconds: "8",
      InvocationType: "SYNCHRONOUS",
      LambdaInvocationAttributes: {
        [AnswerPoller.parameters.turnId]: `$.Lex.SessionAttributes.${SessionAttribute.bridgeTurnId}`,
        [AnswerPoller.parameters.pollCount]: `$.Attributes.${ContactAttribute.pollCount}`,
      },
      ResponseValidation: { ResponseType: "STRING_MAP" },
    });
  });

  test("the poll loop uses no Loop block (its counter would carry over into later turns) but a per-turn count limit", () => {
    expect(poll.Actions.filter((a) => a.Type === "Loop")).toEqual([]);
    expect(actionById(poll, "poll-count").Parameters).toMatchObject({ Attributes: { [ContactAttribute.pollCount]: "$.External.pollCount" } });
    const limit = actionById(poll, "poll-limit");
    expect(limit.Parameters).toEqual({ ComparisonValue: `$.Attributes.${ContactAttribute.pollCount}` });
    expect(branches(limit)).toEqual([
      { branch: "next", target: "poll-answer" },
      { branch: "NumberGreaterOrEqualTo 17", target: "lex-answer-timeout" },
      { branch: "NoMatchingCondition", target: "poll-answer" },
    ]);
  });

  test("statuses: READY delivers the answer through the next Lex block, PENDING polls again, FAILED/EXPIRED say the poller's message", () => {
    expect(branches(actionById(poll, "poll-status"))).toEqual([
      { branch: "next", target: "lex-answer-timeout" },
      { branch: "Equals READY", target: "answer-tool" },
      { branch: "Equals PENDING", target: "poll-limit" },
      { branch: "Equals FAILED", target: "lex-poll-message" },
      { branch: "Equals EXPIRED", target: "lex-poll-message" },
      { branch: "NoMatchingCondition", target: "lex-answer-timeout" },
    ]);
    expect(actionById(poll, "lex-answer").Parameters?.Text).toBe("$.External.answer");
    expect(actionById(poll, "lex-poll-message").Parameters?.Text).toBe("$.External.message");
    expect(branches(actionById(poll, "answer-tool"))).toEqual([
      { branch: "next", target: "lex-answer" },
      { branch: "Equals HANDOFF", target: "say-handoff-answer" },
      { branch: "Equals ESCALATION", target: "say-handoff-answer" },
      { branch: "Equals COMPLETE", target: "say-last-answer" },
      { branch: "NoMatchingCondition", target: "lex-answer" },
    ]);
    expect(branches(actionById(poll, "say-handoff-answer"))).toContainEqual({ branch: "next", target: "handoff-copy-summary-answer" });
  });

  test("a failed poller call waits and retries through a chain that covers the turn timeout, then says the timeout message", () => {
    const settings = chatPollSettings({ pollerArn: ARNS.poller, pollerBudgetMs: 6500, turnTimeoutSeconds: 90 });
    expect(settings.retryWaitsSeconds).toEqual([1, 2, 4, 8, 15, 15, 15, 15]);
    expect(settings.retryWaitsSeconds.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(75);
    let from = "poll-answer";
    settings.retryWaitsSeconds.forEach((seconds, index) => {
      const wait = `poll-retry-wait-${index + 1}`;
      expect(branches(actionById(poll, from))).toContainEqual({ branch: "NoMatchingError", target: wait });
      expect(actionById(poll, wait).Parameters).toEqual({ TimeLimitSeconds: String(seconds) });
      expect(branches(actionById(poll, wait))).toContainEqual({ branch: "Equals WaitCompleted", target: `poll-retry-${index + 1}` });
      expect(branches(actionById(poll, `poll-retry-${index + 1}`))).toContainEqual({ branch: "next", target: "poll-count" });
      from = `poll-retry-${index + 1}`;
    });
    expect(branches(actionById(poll, from))).toContainEqual({ branch: "NoMatchingError", target: "lex-answer-timeout" });
  });

  test("poll settings follow the bridge's budgets and Connect's limits", () => {
    const slow = chatPollSettings({ pollerArn: ARNS.poller, pollerBudgetMs: 7000, turnTimeoutSeconds: 600 });
    expect(slow.invokeTimeoutSeconds).toBe(FlowLimits.syncLambdaMaxSeconds);
    expect(slow.maxPollsPerTurn).toBe(Math.ceil(602 / 7) + 2);
    const fast = chatPollSettings({ pollerArn: ARNS.poller, pollerBudgetMs: 2000, turnTimeoutSeconds: 30 });
    expect(fast).toMatchObject({ invokeTimeoutSeconds: 3, maxPollsPerTurn: 18, retryWaitsSeconds: [1, 2, 4, 8, 15] });
    const huge = chatPollSettings({ pollerArn: ARNS.poller, pollerBudgetMs: 1000, turnTimeoutSeconds: 900 });
    expect(huge.maxPollsPerTurn).toBe(FlowLimits.loopMax);
  });

  test("TalkToAgent goes to the handoff path from every Lex block", () => {
    for (const block of lexBlocks(poll)) expect(branches(block)).toContainEqual({ branch: "Equals TalkToAgent", target: "handoff-copy-request" });
  });

  test("refuses to build without poll settings", () => {
    expect(() => buildChatFlow({ ...selfServiceProps("bedrock-bridge"), strategy: "poll", inputTimeoutSeconds: 600 })).toThrow(/answer-poller settings/);
  });
});

describe("chat flow, synchronous strategies and Q in Connect", () => {
  test("without polling, a PENDING status cannot occur: it and every other status wait for the next message", () => {
    expect(streaming.Actions.some((a) => a.Type === "InvokeLambdaFunction")).toBe(false);
    expect(branches(actionById(streaming, "check-bridge-status"))).toContainEqual({ branch: "Equals PENDING", target: "lex-follow-up" });
  });

  test("Q in Connect: session, attached to the contact, then the chat AI agent selected before the greeting", () => {
    expect(actionById(qInConnect, "create-q-session").Parameters).toEqual({ WisdomAssistantArn: ARNS.assistant });
    expect(actionById(qInConnect, "attach-q-session").Parameters).toEqual({ WisdomSessionArn: "$.Wisdom.SessionArn" });
    const select = actionById(qInConnect, "select-ai-agent");
    expect(select.Parameters).toMatchObject({
      LambdaFunctionARN: ARNS.session,
      InvocationTimeLimitSeconds: "4",
      LambdaInvocationAttributes: { sessionArn: "$.Wisdom.SessionArn", channel: "$.Channel" },
    });
    // A failed selection still reaches the greeting (the assistant's default agent answers).
    expect(branches(select).map((b) => b.target)).toEqual(["lex-greeting", "lex-greeting"]);
  });

  test("Q in Connect tools: HANDOFF/ESCALATION hand over with the Lex summary, COMPLETE disconnects, an error reads the tool first", () => {
    expect(branches(actionById(qInConnect, "check-tool"))).toEqual([
      { branch: "next", target: "lex-follow-up" },
      { branch: "Equals HANDOFF", target: "handoff-copy-summary-lex" },
      { branch: "Equals ESCALATION", target: "handoff-copy-summary-lex" },
      { branch: "Equals COMPLETE", target: "end" },
      { branch: "NoMatchingCondition", target: "lex-follow-up" },
    ]);
    expect(branches(actionById(qInConnect, "lex-greeting"))).toContainEqual({ branch: "NoMatchingError", target: "check-tool-after-error" });
    expect(branches(actionById(qInConnect, "check-tool-after-error"))).toContainEqual({ branch: "NoMatchingCondition", target: "handoff-say-error" });
  });
});
