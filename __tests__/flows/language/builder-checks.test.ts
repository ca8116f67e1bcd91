import { FlowBuildError, FlowBuilder, FlowInputError } from "../../../flows/language";

/** The builder's error for a build, or a failure when it builds. */
function buildError(flow: FlowBuilder): FlowBuildError {
  try {
    flow.toDocument();
  } catch (error) {
    if (error instanceof FlowBuildError) return error;
    throw error;
  }
  throw new Error("expected the build to fail");
}

describe("references and identifiers", () => {
  test("a reference declared but never defined fails the build, naming it", () => {
    const flow = new FlowBuilder();
    flow.messageParticipant("greet", { text: "Hi", next: flow.ref("lex-next"), onError: flow.ref("lex-next") });
    const error = buildError(flow);
    expect(error.problems).toEqual(['reference "lex-next" is declared but no action with that identifier is defined']);
    expect(error.message).toContain("lex-next");
  });

  test("an identifier defined twice fails the build, naming it and both types", () => {
    const flow = new FlowBuilder();
    const end = flow.ref("end");
    flow.messageParticipant("greet", { text: "Hi", next: end, onError: end });
    flow.messageParticipant("greet", { text: "Hi again", next: end, onError: end });
    flow.disconnectParticipant("end");
    expect(buildError(flow).problems).toEqual([
      'identifier "greet" is defined twice (a MessageParticipant and a MessageParticipant); give each action its own identifier',
    ]);
  });

  test.each([
    ["x".repeat(51), /has 51 characters; at most 50 are allowed/],
    ["ask:bot", /contains ":"; none of % : \( \\ \/ \) = \$ , ; \[ \] \{ \} is allowed/],
    ["a/b(c)", /contains "\(", "\\\/", "\)"|contains "\(", "\/", "\)"/],
    ["constructor", /is a reserved name/],
    ["", /identifier is empty/],
  ])("the invalid identifier %j fails the build with what is allowed", (id, expected) => {
    const flow = new FlowBuilder();
    flow.disconnectParticipant(id);
    const error = buildError(flow);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(expected);
  });

  test("50 characters, spaces and unicode are valid identifiers", () => {
    const flow = new FlowBuilder();
    const end = flow.ref("終了 end");
    flow.messageParticipant("y".repeat(50), { text: "Hi", next: end, onError: end });
    flow.disconnectParticipant("終了 end");
    expect(flow.toDocument().Actions.map((a) => a.Identifier)).toEqual(["y".repeat(50), "終了 end"]);
  });

  test("every problem is listed at once", () => {
    const flow = new FlowBuilder();
    flow.messageParticipant("greet", { text: "Hi", next: flow.ref("missing-one"), onError: flow.ref("missing-two") });
    flow.disconnectParticipant("greet");
    flow.disconnectParticipant("bad$id");
    expect(buildError(flow).problems).toHaveLength(4);
  });

  test("a reference of another flow is refused", () => {
    const other = new FlowBuilder();
    const foreign = other.ref("end");
    const flow = new FlowBuilder();
    flow.messageParticipant("greet", { text: "Hi", next: foreign, onError: foreign });
    expect(buildError(flow).problems).toContain('action "greet" points at "end", a reference of another flow');
  });

  test("a free string as a target is refused at once", () => {
    const flow = new FlowBuilder();
    const call = () => flow.messageParticipant("greet", { text: "Hi", next: "end" as never, onError: "end" as never });
    expect(call).toThrow(FlowInputError);
    expect(call).toThrow(/a transition target is "end"; pass a reference/);
  });

  test("an empty flow cannot be built", () => {
    expect(buildError(new FlowBuilder()).problems).toEqual(["the flow has no actions; define at least one"]);
  });

  test("forward references make cycles possible, and startAt picks the start", () => {
    const flow = new FlowBuilder();
    const again = flow.ref("again");
    const first = flow.messageParticipant("first", { text: "1", next: again, onError: again });
    flow.messageParticipant("again", { text: "2", next: first, onError: first });
    flow.startAt(again);
    expect(flow.toDocument().StartAction).toBe("again");
  });
});

describe("inputs are checked when given, with the value and what is allowed", () => {
  const flow = () => {
    const f = new FlowBuilder();
    return { f, end: f.ref("end") };
  };

  test("Loop count 101", () => {
    const { f, end } = flow();
    expect(() => f.loop("retry", { count: 101, onContinue: end, onDone: end })).toThrow(
      'Loop "retry": count is 101; allowed: a whole number from 0 to 100, or exactly one JSONPath reference such as $.Attributes.count',
    );
    expect(() => f.loop("retry", { count: "many", onContinue: end, onDone: end })).toThrow(/count is "many"/);
  });

  test("synchronous Lambda timeout 9 (asynchronous allows up to 60)", () => {
    const { f, end } = flow();
    expect(() => f.invokeLambdaFunction("call", { functionArn: "arn:f", timeoutSeconds: 9, next: end, onError: end })).toThrow(
      'InvokeLambdaFunction "call": timeoutSeconds is 9; allowed: a whole number from 1 to 8 seconds for a synchronous invocation',
    );
    expect(() => f.invokeLambdaFunction("call", { functionArn: "arn:f", timeoutSeconds: 60, invocationType: "ASYNCHRONOUS", next: end, onError: end })).not.toThrow();
    expect(() => f.invokeLambdaFunction("call2", { functionArn: "arn:f", timeoutSeconds: 61, invocationType: "ASYNCHRONOUS", next: end, onError: end })).toThrow(
      /timeoutSeconds is 61; allowed: a whole number from 1 to 60 seconds for an asynchronous invocation/,
    );
  });

  test("Wait seconds out of range and not whole", () => {
    const { f, end } = flow();
    expect(() => f.wait("pause", { seconds: 0, onTimeout: end, onError: end })).toThrow(/seconds is 0; allowed: a whole number from 1 to 604800 seconds/);
    expect(() => f.wait("pause", { seconds: 1.5, onTimeout: end, onError: end })).toThrow(/seconds is 1.5/);
  });

  test("empty static strings anywhere in Parameters", () => {
    const { f, end } = flow();
    expect(() => f.messageParticipant("greet", { text: "", next: end, onError: end })).toThrow(
      'MessageParticipant "greet": message.text is an empty string; the service refuses empty values: give the text, or leave the parameter out',
    );
    expect(() => f.updateContactAttributes("set", { attributes: { tier: "" }, next: end, onError: end })).toThrow(/attributes\["tier"\] is an empty string/);
    expect(() =>
      f.showView("view", { viewArn: "arn:v", timeoutSeconds: 5, viewData: { Sections: [{ Heading: "" }] }, onNoMatch: end, onTimeout: end, onError: end }),
    ).toThrow('ShowView "view": Parameters.ViewData.Sections[0].Heading is an empty string; the service refuses empty values: give a value or leave the key out');
  });

  test("an empty operand", () => {
    const { f, end } = flow();
    expect(() => f.compare("check", { value: "$.External.status", branches: [{ operand: "", next: end }], onNoMatch: end })).toThrow(
      'Compare "check": a condition (Equals) has the operand ""; the service refuses empty operands: give the value to compare with',
    );
  });

  test("Compare: a literal, a bare root, an unknown root, no branches, a non-numeric operand of a numeric operator", () => {
    const { f, end } = flow();
    const compare = (value: string, branches = [{ operand: "x", next: end }]) => () => f.compare("check", { value, branches, onNoMatch: end });
    expect(compare("gold")).toThrow(/value is "gold"; allowed: exactly one JSONPath reference naming a leaf/);
    expect(compare("$.External")).toThrow(/names the whole \$.External object; name one field/);
    expect(compare("$.Agent.Name")).toThrow(/starts at \$.Agent, which is not a root the service knows/);
    expect(compare("Status: $.External.status")).toThrow(/value is "Status: \$.External.status"/);
    expect(compare("$.External.status", [])).toThrow(/has no branches/);
    expect(() => f.compare("n", { value: "$.External.n", branches: [{ operator: "NumberGreaterThan", operand: "many", next: end }], onNoMatch: end })).toThrow(
      /operator NumberGreaterThan has the operand "many"; allowed: a number/,
    );
  });

  test("messages: exactly one source", () => {
    const { f, end } = flow();
    expect(() => f.messageParticipant("greet", { text: "a", ssml: "<speak>b</speak>", next: end, onError: end } as never)).toThrow(
      /message gives text and ssml; give exactly one of text, ssml or promptId/,
    );
    expect(() => f.messageParticipant("greet", { next: end, onError: end } as never)).toThrow(/message gives no message/);
  });

  test("Lex: timer below 60 s, duplicate intents", () => {
    const { f, end } = flow();
    const lex = (extra: object) => () =>
      f.connectParticipantWithLexBot("bot", { prompt: { text: "Hi" }, botAliasArn: "arn:bot", onNoMatch: end, onError: end, ...extra });
    expect(lex({ timeout: { seconds: 10, next: end } })).toThrow(/timeout.seconds is 10; allowed: a whole number from 60 to 604800 seconds/);
    expect(lex({ intents: [{ intent: "A", next: end }, { intent: "A", next: end }] })).toThrow(/intent "A" is listed twice/);
  });

  test("attribute keys, event hook names, DTMF keys, queue choice, recording analytics", () => {
    const { f, end } = flow();
    expect(() => f.updateContactAttributes("set", { attributes: { "a.b": "x" }, next: end, onError: end })).toThrow(/attribute key "a.b" contains/);
    expect(() => f.updateContactAttributes("set", { attributes: {}, next: end, onError: end })).toThrow(/attributes is empty/);
    expect(() => f.updateContactEventHooks("hook", { hook: "DefaultFlowForAgentUI" as never, flowArn: "arn:f", next: end, onError: end })).toThrow(
      /hook is "DefaultFlowForAgentUI"; allowed: AgentHold, .*DefaultAgentUI/,
    );
    expect(() =>
      f.getParticipantInput("menu", { mode: "menu", prompt: { text: "Press" }, timeoutSeconds: 5, options: [{ key: "10" as never, next: end }], onNoMatch: end, onTimeout: end, onError: end }),
    ).toThrow(/option key is "10"; allowed: one of 0 1 2 3 4 5 6 7 8 9 \* #/);
    expect(() => f.updateContactTargetQueue("queue", { next: end, onError: end } as never)).toThrow(/give exactly one of queueId or agentId/);
    expect(() => f.updateContactRecordingBehavior("rec", { participants: ["Agent"], analytics: { Enabled: "True" }, next: end })).toThrow(
      /analytics needs both participants recorded/,
    );
    expect(() => f.updateContactData("data", { next: end, onError: end })).toThrow(/sets nothing/);
  });

  test("ShowView version qualifiers", () => {
    const { f, end } = flow();
    expect(() =>
      f.showView("view", { viewArn: "arn:aws:connect:us-west-2:aws:view/detail:1", version: 2, timeoutSeconds: 5, onNoMatch: end, onTimeout: end, onError: end }),
    ).toThrow(/already ends with a version/);
  });

  test("Wait: ParticipantNotFound only with the BotParticipantDisconnected event", () => {
    const { f, end } = flow();
    expect(() => f.wait("pause", { seconds: 5, onTimeout: end, onError: end, onParticipantNotFound: end })).toThrow(/without a BotParticipantDisconnected event/);
  });
});
