import { DefaultTokenResolver, Lazy, StringConcat, TerraformStack, Testing, Token, Tokenization } from "cdktf";
import { type FlowAction, FlowBuilder, type FlowDocument, validateFlow } from "../../../flows/language";
import { BOT_ALIAS_ARN, chatPollingFlow, LAMBDA_ARN } from "./support/sample-flows";

function action(doc: FlowDocument, id: string): FlowAction {
  const found = doc.Actions.find((a) => a.Identifier === id);
  if (!found) throw new Error(`no action ${id}`);
  return found;
}

describe("builder wire format (as console exports write it)", () => {
  const doc = chatPollingFlow().toDocument();

  test("the envelope: Version, StartAction = first action, Metadata, Actions", () => {
    expect(Object.keys(doc)).toEqual(["Version", "StartAction", "Metadata", "Actions"]);
    expect(doc.Version).toBe("2019-10-30");
    expect(doc.StartAction).toBe("enable-logs");
  });

  test("every action has Parameters, Identifier, Type, Transitions in that order", () => {
    for (const a of doc.Actions) expect(Object.keys(a)).toEqual(["Parameters", "Identifier", "Type", "Transitions"]);
  });

  test("InvokeLambdaFunction: every scalar is a string, NoMatchingError routed, NextAction kept", () => {
    expect(action(doc, "poll-answer")).toEqual({
      Parameters: {
        LambdaFunctionARN: LAMBDA_ARN,
        InvocationTimeLimitSeconds: "8",
        InvocationType: "SYNCHRONOUS",
        LambdaInvocationAttributes: { turnId: "$.Lex.SessionAttributes.bridgeTurnId" },
        ResponseValidation: { ResponseType: "STRING_MAP" },
      },
      Identifier: "poll-answer",
      Type: "InvokeLambdaFunction",
      Transitions: { NextAction: "check-answer", Conditions: [], Errors: [{ NextAction: "say-sorry", ErrorType: "NoMatchingError" }] },
    });
  });

  test("Loop: LoopCount as a string, exactly ContinueLooping/DoneLooping, NextAction = the DoneLooping target", () => {
    expect(action(doc, "retry")).toEqual({
      Parameters: { LoopCount: "3" },
      Identifier: "retry",
      Type: "Loop",
      Transitions: {
        NextAction: "say-sorry",
        Conditions: [
          { NextAction: "pause", Condition: { Operator: "Equals", Operands: ["ContinueLooping"] } },
          { NextAction: "say-sorry", Condition: { Operator: "Equals", Operands: ["DoneLooping"] } },
        ],
        Errors: [],
      },
    });
  });

  test("Wait: TimeLimitSeconds (never TimeoutSeconds) as a string, a WaitCompleted condition", () => {
    const wait = action(doc, "pause");
    expect(wait.Parameters).toEqual({ TimeLimitSeconds: "2" });
    expect(wait.Transitions).toEqual({
      NextAction: "say-sorry",
      Conditions: [{ NextAction: "poll-answer", Condition: { Operator: "Equals", Operands: ["WaitCompleted"] } }],
      Errors: [{ NextAction: "say-sorry", ErrorType: "NoMatchingError" }],
    });
  });

  test("Compare: NoMatchingCondition (never NoMatchingError), NextAction = the NoMatchingCondition target", () => {
    const compare = action(doc, "check-answer");
    expect(compare.Parameters).toEqual({ ComparisonValue: "$.External.status" });
    expect(compare.Transitions?.NextAction).toBe("say-sorry");
    expect(compare.Transitions?.Errors).toEqual([{ NextAction: "say-sorry", ErrorType: "NoMatchingCondition" }]);
    expect(compare.Transitions?.Conditions?.map((c) => c.Condition.Operands[0])).toEqual(["READY", "PENDING"]);
  });

  test("ConnectParticipantWithLexBot: LexV2Bot.AliasArn, session attributes, LexTimeoutSeconds.Text, all three errors", () => {
    const lex = action(doc, "ask-bot");
    expect(lex.Parameters).toEqual({
      Text: "How can I help?",
      LexV2Bot: { AliasArn: BOT_ALIAS_ARN },
      LexSessionAttributes: { contactId: "$.ContactId", channel: "$.Channel" },
      LexTimeoutSeconds: { Text: "300" },
    });
    expect(lex.Transitions?.NextAction).toBe("check-tool");
    expect(lex.Transitions?.Errors?.map((e) => [e.ErrorType, e.NextAction])).toEqual([
      ["InputTimeLimitExceeded", "end"],
      ["NoMatchingCondition", "check-tool"],
      ["NoMatchingError", "say-sorry"],
    ]);
  });

  test("terminal DisconnectParticipant: Parameters {} and Transitions {}", () => {
    expect(action(doc, "end")).toEqual({ Parameters: {}, Identifier: "end", Type: "DisconnectParticipant", Transitions: {} });
  });

  test("UpdateFlowLoggingBehavior: no error branches, NextAction only", () => {
    expect(action(doc, "enable-logs")).toEqual({
      Parameters: { FlowLoggingBehavior: "Enabled" },
      Identifier: "enable-logs",
      Type: "UpdateFlowLoggingBehavior",
      Transitions: { NextAction: "ask-bot", Conditions: [], Errors: [] },
    });
  });

  test("toJson is compact and identical between builds", () => {
    const json = chatPollingFlow().toJson();
    expect(json).toBe(JSON.stringify(doc));
    expect(json).not.toMatch(/\n/);
    expect(chatPollingFlow().toJson()).toBe(json);
  });
});

describe("builder wire format of the other action helpers", () => {
  function one(define: (flow: FlowBuilder, next: ReturnType<FlowBuilder["ref"]>) => void): FlowAction {
    const flow = new FlowBuilder();
    const next = flow.ref("next");
    define(flow, next);
    flow.disconnectParticipant("next");
    return flow.toDocument().Actions[0];
  }

  test("TransferContactToQueue: empty Parameters, QueueAtCapacity + NoMatchingError, NextAction = the error target", () => {
    const a = one((f, next) => f.transferContactToQueue("transfer", { onAtCapacity: next, onError: next }));
    expect(a.Parameters).toEqual({});
    expect(a.Transitions).toEqual({
      NextAction: "next",
      Conditions: [],
      Errors: [
        { NextAction: "next", ErrorType: "QueueAtCapacity" },
        { NextAction: "next", ErrorType: "NoMatchingError" },
      ],
    });
  });

  test("EndFlowExecution is terminal", () => {
    const flow = new FlowBuilder();
    flow.endFlowExecution("done");
    expect(flow.toDocument().Actions[0]).toEqual({ Parameters: {}, Identifier: "done", Type: "EndFlowExecution", Transitions: {} });
  });

  test("UpdateContactAttributes writes TargetContact Current", () => {
    const a = one((f, next) => f.updateContactAttributes("set", { attributes: { tier: "gold", who: "$.External.name" }, next, onError: next }));
    expect(a.Parameters).toEqual({ Attributes: { tier: "gold", who: "$.External.name" }, TargetContact: "Current" });
    expect(a.Transitions?.Errors).toEqual([{ NextAction: "next", ErrorType: "NoMatchingError" }]);
  });

  test("UpdateContactEventHooks writes exactly one hook", () => {
    const a = one((f, next) => f.updateContactEventHooks("guide", { hook: "DefaultAgentUI", flowArn: "arn:aws:connect:x:1:instance/i/contact-flow/f", next, onError: next }));
    expect(a.Parameters).toEqual({ EventHooks: { DefaultAgentUI: "arn:aws:connect:x:1:instance/i/contact-flow/f" } });
  });

  test("ShowView: Id with the :$LATEST qualifier, time limit as a number string, ViewData object, three errors", () => {
    const a = one((f, next) =>
      f.showView("view", {
        viewArn: "arn:aws:connect:ap-northeast-1:123456789012:instance/i/view/v",
        timeoutSeconds: 300,
        viewData: { Heading: "Customer" },
        actions: [{ action: "Next", next }],
        onNoMatch: next,
        onTimeout: next,
        onError: next,
      }),
    );
    expect(a.Parameters).toEqual({
      ViewResource: { Id: "arn:aws:connect:ap-northeast-1:123456789012:instance/i/view/v:$LATEST" },
      InvocationTimeLimitSeconds: "300",
      ViewData: { Heading: "Customer" },
    });
    expect(a.Transitions?.Errors?.map((e) => e.ErrorType)).toEqual(["NoMatchingCondition", "NoMatchingError", "TimeLimitExceeded"]);
  });

  test("ShowView keeps an ARN that already has a version, and ViewData defaults to {}", () => {
    const a = one((f, next) =>
      f.showView("view", { viewArn: "arn:aws:connect:us-west-2:aws:view/detail:1", timeoutSeconds: 60, onNoMatch: next, onTimeout: next, onError: next }),
    );
    expect(a.Parameters).toEqual({ ViewResource: { Id: "arn:aws:connect:us-west-2:aws:view/detail:1" }, InvocationTimeLimitSeconds: "60", ViewData: {} });
  });

  test("CreateWisdomSession then UpdateContactData with $.Wisdom.SessionArn", () => {
    const flow = new FlowBuilder();
    const end = flow.ref("end");
    flow.createWisdomSession("qic", { assistantArn: "arn:aws:wisdom:ap-northeast-1:1:assistant/a", next: flow.ref("qic-data"), onError: end });
    flow.updateContactData("qic-data", { wisdomSessionArn: "$.Wisdom.SessionArn", next: end, onError: end });
    flow.disconnectParticipant("end");
    const [create, data] = flow.toDocument().Actions;
    expect(create.Parameters).toEqual({ WisdomAssistantArn: "arn:aws:wisdom:ap-northeast-1:1:assistant/a" });
    expect(data.Parameters).toEqual({ WisdomSessionArn: "$.Wisdom.SessionArn" });
    expect(data.Transitions?.Errors).toEqual([{ NextAction: "end", ErrorType: "NoMatchingError" }]);
  });

  test("UpdateContactTargetQueue writes QueueId or AgentId", () => {
    expect(one((f, next) => f.updateContactTargetQueue("queue", { queueId: "arn:q", next, onError: next })).Parameters).toEqual({ QueueId: "arn:q" });
    expect(one((f, next) => f.updateContactTargetQueue("queue", { agentId: "arn:a", next, onError: next })).Parameters).toEqual({ AgentId: "arn:a" });
  });

  test("UpdateContactRecordingBehavior: RecordingBehavior, no errors", () => {
    const a = one((f, next) => f.updateContactRecordingBehavior("record", { participants: ["Agent", "Customer"], next }));
    expect(a.Parameters).toEqual({ RecordingBehavior: { RecordedParticipants: ["Agent", "Customer"] } });
    expect(a.Transitions?.Errors).toEqual([]);
  });

  test("UpdateContactTextToSpeechVoice: voice, lower-case engine, style", () => {
    const a = one((f, next) => f.updateContactTextToSpeechVoice("voice", { voice: "Kazuha", engine: "neural", style: "Conversational", next, onError: next }));
    expect(a.Parameters).toEqual({ TextToSpeechVoice: "Kazuha", TextToSpeechEngine: "neural", TextToSpeechStyle: "Conversational" });
  });

  test("GetParticipantInput menu: StoreInput False, key conditions, the three required errors", () => {
    const a = one((f, next) =>
      f.getParticipantInput("menu", {
        mode: "menu",
        prompt: { ssml: "<speak>Press 1</speak>" },
        timeoutSeconds: 5,
        options: [{ key: "1", next }],
        onNoMatch: next,
        onTimeout: next,
        onError: next,
      }),
    );
    expect(a.Parameters).toEqual({ SSML: "<speak>Press 1</speak>", InputTimeLimitSeconds: "5", StoreInput: "False" });
    expect(a.Transitions?.Errors?.map((e) => e.ErrorType)).toEqual(["InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"]);
  });

  test("GetParticipantInput store: StoreInput True, InputValidation, only NoMatchingError", () => {
    const a = one((f, next) =>
      f.getParticipantInput("digits", { mode: "store", prompt: { text: "Your number?" }, timeoutSeconds: 10, maxDigits: 12, terminator: "#", next, onError: next }),
    );
    expect(a.Parameters).toEqual({
      Text: "Your number?",
      InputTimeLimitSeconds: "10",
      StoreInput: "True",
      InputValidation: { CustomValidation: { MaximumLength: "12" } },
      DTMFConfiguration: { DisableCancelKey: "False", InputTerminationSequence: "#" },
    });
    expect(a.Transitions?.Errors?.map((e) => e.ErrorType)).toEqual(["NoMatchingError"]);
  });

  test("custom actions keep their parameters and reference-checked branches", () => {
    const a = one((f, next) =>
      f.custom("hours", {
        type: "CheckHoursOfOperation",
        parameters: { HoursOfOperationId: "arn:h" },
        next,
        conditions: [
          { operand: "True", next },
          { operand: "False", next },
        ],
        errors: [{ errorType: "NoMatchingError", next }],
      }),
    );
    expect(a).toEqual({
      Parameters: { HoursOfOperationId: "arn:h" },
      Identifier: "hours",
      Type: "CheckHoursOfOperation",
      Transitions: {
        NextAction: "next",
        Conditions: [
          { NextAction: "next", Condition: { Operator: "Equals", Operands: ["True"] } },
          { NextAction: "next", Condition: { Operator: "Equals", Operands: ["False"] } },
        ],
        Errors: [{ NextAction: "next", ErrorType: "NoMatchingError" }],
      },
    });
  });

  test("module settings become the top-level Settings", () => {
    const flow = new FlowBuilder({ moduleSettings: { InputParameters: [], OutputParameters: [] } });
    flow.custom("done", { type: "EndFlowModuleExecution" });
    const doc = flow.toDocument();
    expect(doc.Settings).toEqual({ InputParameters: [], OutputParameters: [] });
    expect(validateFlow(doc, { flowType: "MODULE", strict: true })).toEqual([]);
  });
});

describe("tokens and placeholders pass through untouched", () => {
  test("token ARNs, a numeric token timeout and a token view ARN", () => {
    const botArn = Lazy.stringValue({ produce: () => BOT_ALIAS_ARN });
    const lambdaArn = Lazy.stringValue({ produce: () => LAMBDA_ARN });
    const doc = chatPollingFlow(botArn, lambdaArn).toDocument();
    const lex = doc.Actions.find((a) => a.Type === "ConnectParticipantWithLexBot");
    const lambda = doc.Actions.find((a) => a.Type === "InvokeLambdaFunction");
    expect(lex?.Parameters?.LexV2Bot).toEqual({ AliasArn: botArn });
    expect(lambda?.Parameters?.LambdaFunctionARN).toBe(lambdaArn);
    expect(botArn).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);

    const flow = new FlowBuilder();
    const end = flow.ref("end");
    const seconds = Token.asNumber("${var.poll_seconds}");
    flow.invokeLambdaFunction("call", { functionArn: lambdaArn, timeoutSeconds: seconds, next: end, onError: end });
    flow.showView("view", { viewArn: Lazy.stringValue({ produce: () => "arn:view" }), timeoutSeconds: 60, onNoMatch: end, onTimeout: end, onError: end });
    flow.disconnectParticipant("end");
    const [call, view] = flow.toDocument().Actions;
    const written = call.Parameters?.InvocationTimeLimitSeconds as string;
    expect(written).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    const scope = new TerraformStack(Testing.app(), "tokens");
    expect(Tokenization.resolve(written, { scope, resolver: new DefaultTokenResolver(new StringConcat()) })).toBe("${var.poll_seconds}");
    expect(view.Parameters?.ViewResource).toEqual({ Id: expect.stringMatching(/^\$\{TfToken\[TOKEN\.\d+\]\}:\$LATEST$/) });
  });

  test("template placeholders in numbers and paths are opaque", () => {
    const flow = new FlowBuilder();
    const end = flow.ref("end");
    flow.loop("retry", { count: "${MaxRetries}", onContinue: end, onDone: end });
    flow.wait("pause", { seconds: "%WaitSeconds%", onTimeout: end, onError: end });
    flow.compare("check", { value: "{{ComparedPath}}", branches: [{ operand: "x", next: end }], onNoMatch: end });
    flow.disconnectParticipant("end");
    const [loop, wait, compare] = flow.toDocument().Actions;
    expect(loop.Parameters).toEqual({ LoopCount: "${MaxRetries}" });
    expect(wait.Parameters).toEqual({ TimeLimitSeconds: "%WaitSeconds%" });
    expect(compare.Parameters).toEqual({ ComparisonValue: "{{ComparedPath}}" });
  });

  test("dynamic counts may be one JSONPath reference", () => {
    const flow = new FlowBuilder();
    const end = flow.ref("end");
    flow.loop("retry", { count: "$.Attributes.retries", onContinue: end, onDone: end });
    flow.disconnectParticipant("end");
    expect(flow.toDocument().Actions[0].Parameters).toEqual({ LoopCount: "$.Attributes.retries" });
  });
});
