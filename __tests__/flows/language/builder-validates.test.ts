import { assertValidFlow, FlowBuilder, FlowValidationError, validateFlow } from "../../../flows/language";
import { chatPollingFlow, greetingFlow } from "./support/sample-flows";

describe("flows built with the builder validate clean in strict mode", () => {
  test("the chat polling flow (Lex, Lambda, Compare, Loop, Wait, Disconnect)", () => {
    expect(validateFlow(chatPollingFlow().toDocument(), { channels: ["CHAT"], flowType: "CONTACT_FLOW", strict: true })).toEqual([]);
  });

  test("a voice flow with every other action helper", () => {
    const flow = new FlowBuilder();
    const end = flow.ref("end");
    const sorry = flow.ref("say-sorry");
    flow.updateContactRecordingBehavior("record", { participants: ["Agent", "Customer"], next: flow.ref("voice") });
    flow.updateContactTextToSpeechVoice("voice", { voice: "Kazuha", engine: "neural", next: flow.ref("qic"), onError: sorry });
    flow.createWisdomSession("qic", { assistantArn: "arn:aws:wisdom:ap-northeast-1:1:assistant/a", next: flow.ref("qic-data"), onError: sorry });
    flow.updateContactData("qic-data", { wisdomSessionArn: "$.Wisdom.SessionArn", next: flow.ref("hook"), onError: sorry });
    flow.updateContactEventHooks("hook", { hook: "DefaultAgentUI", flowArn: "arn:aws:connect:x:1:instance/i/contact-flow/g", next: flow.ref("menu"), onError: sorry });
    flow.getParticipantInput("menu", {
      mode: "menu",
      prompt: { text: "Press 1 for an agent" },
      timeoutSeconds: 5,
      options: [{ key: "1", next: flow.ref("remember") }],
      onNoMatch: sorry,
      onTimeout: sorry,
      onError: sorry,
    });
    flow.updateContactAttributes("remember", { attributes: { wantsAgent: "true" }, next: flow.ref("queue"), onError: sorry });
    flow.updateContactTargetQueue("queue", { queueId: "arn:aws:connect:x:1:instance/i/queue/q", next: flow.ref("transfer"), onError: sorry });
    flow.transferContactToQueue("transfer", { onAtCapacity: sorry, onError: sorry });
    flow.messageParticipant("say-sorry", { ssml: "<speak>Sorry.</speak>", next: end, onError: end });
    flow.disconnectParticipant("end");
    expect(validateFlow(flow.toDocument(), { channels: ["VOICE"], flowType: "CONTACT_FLOW", strict: true })).toEqual([]);
  });

  test("assertValidFlow returns warnings and throws on errors with every finding listed", () => {
    expect(assertValidFlow("greeting", greetingFlow().toDocument(), { strict: true })).toEqual([]);
    const doc = { ...greetingFlow().toDocument(), Version: "2018" };
    expect(() => assertValidFlow("greeting", doc)).toThrow(FlowValidationError);
    expect(() => assertValidFlow("greeting", doc)).toThrow('flow "greeting" is not valid (1 error):\n  - error [version]: Version is "2018" (fix: set Version to "2019-10-30", the only version the service accepts)');
  });
});
