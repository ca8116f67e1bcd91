import { buildChatFlow } from "../../../flows/chat";
import { type FlowDocument, validateFlow } from "../../../flows/language";
import { buildVoiceFlow, type VoiceSettings } from "../../../flows/voice";
import { ContactAttribute, HANDOFF_FIELDS, HandoffSource, SessionAttribute } from "../../../functions/shared/flow-contract";
import { actionById, ARNS, branches, pollChatProps, selfServiceProps, silentlyEnding } from "../../support/flow-fixtures";

const VOICE: VoiceSettings = { voiceId: "Kazuha", engine: "neural", recording: ["Agent", "Customer"], analytics: true };
const bridgeVoice = buildVoiceFlow({ ...selfServiceProps("bedrock-bridge"), voice: VOICE });
const qVoice = buildVoiceFlow({ ...selfServiceProps("q-in-connect", "en_US"), voice: { ...VOICE, voiceId: "Joanna", recording: [], analytics: false } });

describe.each([
  ["bridge", bridgeVoice],
  ["q-in-connect", qVoice],
])("voice flow (%s)", (_name, doc) => {
  test("passes the validator in strict mode as a voice CONTACT_FLOW", () => {
    expect(validateFlow(doc, { strict: true, flowType: "CONTACT_FLOW", channels: ["VOICE"] })).toEqual([]);
  });

  test("no chat-only pieces: no inactivity timer, no Wait, no polling", () => {
    const types = new Set(doc.Actions.map((a) => a.Type));
    expect(types.has("Wait")).toBe(false);
    for (const block of doc.Actions.filter((a) => a.Type === "ConnectParticipantWithLexBot")) {
      expect(block.Parameters).not.toHaveProperty("LexTimeoutSeconds");
      expect(block.Parameters).toMatchObject({ LexSessionAttributes: { [SessionAttribute.contactId]: "$.ContactId", [SessionAttribute.channel]: "$.Channel" } });
    }
  });

  test("no error branch ends the call in silence", () => {
    const silent = silentlyEnding(doc);
    for (const action of doc.Actions.filter((a) => a.Type !== "MessageParticipant")) {
      for (const branch of branches(action).filter((b) => /Error|AtCapacity/.test(b.branch))) expect([action.Identifier, silent.has(branch.target)]).toEqual([action.Identifier, false]);
    }
  });
});

test("voice setup: logging, the locale's voice, recording and analytics from config, the language, then the greeting", () => {
  const order: string[] = [];
  for (let id: string | undefined = bridgeVoice.StartAction; id && id !== "lex-greeting"; id = actionById(bridgeVoice, id).Transitions?.NextAction) order.push(id);
  expect(order).toEqual(["set-logging", "set-voice", "set-recording", "set-language"]);
  expect(actionById(bridgeVoice, "set-voice").Parameters).toEqual({ TextToSpeechVoice: "Kazuha", TextToSpeechEngine: "neural" });
  expect(actionById(bridgeVoice, "set-recording").Parameters).toEqual({
    RecordingBehavior: { RecordedParticipants: ["Agent", "Customer"] },
    AnalyticsBehavior: expect.objectContaining({ Enabled: "True", AnalyticsLanguage: "ja-JP", ChannelConfiguration: { Voice: { AnalyticsModes: ["PostContact"] } } }),
  });
  expect(actionById(qVoice, "set-recording").Parameters).toEqual({ RecordingBehavior: { RecordedParticipants: [] } });
  expect(actionById(qVoice, "set-language").Parameters).toEqual({ LanguageCode: "en-US" });
});

test("logging off writes no logging action", () => {
  const doc = buildVoiceFlow({ ...selfServiceProps("bedrock-bridge"), logging: false, voice: VOICE });
  expect(doc.StartAction).toBe("set-voice");
  expect(doc.Actions.some((a) => a.Type === "UpdateFlowLoggingBehavior")).toBe(false);
});

describe("handoff path", () => {
  const flows: Record<string, FlowDocument> = { chatPoll: buildChatFlow(pollChatProps()), bridgeVoice, qVoice };

  test.each(Object.keys(flows))("%s: summary copied to contact attributes, agent view hook, working queue, transfer", (name) => {
    const doc = flows[name];
    const source = name === "chatPoll" ? "handoff-copy-summary-answer" : "handoff-copy-summary-lex";
    const root = name === "chatPoll" ? "$.External" : "$.Lex.SessionAttributes";
    expect(actionById(doc, source).Parameters).toEqual({
      Attributes: {
        [ContactAttribute.handoffSource]: HandoffSource.tool,
        [ContactAttribute.customerEndpoint]: name === "chatPoll" ? `$.Attributes.${ContactAttribute.customerName}` : "$.CustomerEndpoint.Address",
        ...Object.fromEntries(HANDOFF_FIELDS.map((f) => [f, `${root}.${f}`])),
      },
      TargetContact: "Current",
    });
    // A failed copy still hands over: the customer reaches a person with what is there.
    expect(branches(actionById(doc, source)).map((b) => b.target)).toEqual(["handoff-set-agent-view", "handoff-set-agent-view"]);
    expect(actionById(doc, "handoff-set-agent-view").Parameters).toEqual({ EventHooks: { DefaultAgentUI: ARNS.agentUiFlow } });
    expect(branches(actionById(doc, "handoff-set-agent-view")).map((b) => b.target)).toEqual(["handoff-set-queue", "handoff-set-queue"]);
    expect(actionById(doc, "handoff-set-queue").Parameters).toEqual({ QueueId: ARNS.queue });
    expect(actionById(doc, "handoff-transfer")).toMatchObject({ Parameters: {}, Type: "TransferContactToQueue" });
    expect(branches(actionById(doc, "handoff-transfer"))).toEqual([
      { branch: "next", target: "handoff-agents-unavailable" },
      { branch: "QueueAtCapacity", target: "handoff-agents-unavailable" },
      { branch: "NoMatchingError", target: "handoff-agents-unavailable" },
    ]);
    expect(actionById(doc, "handoff-agents-unavailable").Transitions?.NextAction).toBe("end");
  });

  test("a request for a person and an error hand over with a fixed escalation reason in the flow's language", () => {
    const chat = flows.chatPoll;
    expect(actionById(chat, "handoff-copy-request").Parameters?.Attributes).toMatchObject({
      [ContactAttribute.handoffSource]: HandoffSource.talkToAgent,
      escalation_reason: expect.stringContaining("担当者"),
    });
    expect(actionById(chat, "handoff-say-error").Transitions?.NextAction).toBe("handoff-copy-error");
    expect(actionById(qVoice, "handoff-copy-error").Parameters?.Attributes).toMatchObject({
      [ContactAttribute.handoffSource]: HandoffSource.error,
      escalation_reason: "Self-service failed, so the contact was handed over.",
    });
  });

  test("entries a flow does not use are not written (the Q in Connect bot has no TalkToAgent intent)", () => {
    expect(qVoice.Actions.some((a) => a.Identifier === "handoff-copy-request")).toBe(false);
    expect(bridgeVoice.Actions.some((a) => a.Identifier === "handoff-copy-summary-answer")).toBe(false);
  });
});
