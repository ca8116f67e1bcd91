import { type FlowFinding, type FlowRule, validateFlow, type ValidateFlowOptions } from "../../../flows/language";
import { corpusDocument } from "./support/corpus";
import { firstOf, mutable, type MutableAction, type MutableFlow } from "./support/mutable-flow";

/** Real flows used as the base of each mutation. */
const BANKID = "bankid-auth-lambda-loop.json"; // voice: GetParticipantInput, Lambda, Compare, Loop
const CHAT_LEX = "InteractiveMsg_ContactFlowLexV2_Export.json"; // chat: Lex, Compare, queue transfer
const CASES = "modules_Cases_SBSGuides_Modules_Cases.json"; // chat guide: ShowView, Wait
const SELF_SERVICE = "SelfServiceAgentContactFlow.json"; // Q in Connect, Lex with LexTimeoutSeconds, Loop

function broken(base: string, change: (flow: MutableFlow) => void): MutableFlow {
  const flow = mutable(corpusDocument(base));
  change(flow);
  return flow;
}

function findingsOf(flow: MutableFlow, options: ValidateFlowOptions = {}): FlowFinding[] {
  return validateFlow(flow, options);
}

/** Asserts one finding with this rule, action and severity, and returns it. */
function expectFinding(findings: FlowFinding[], rule: FlowRule, actionId: string | undefined, severity: "error" | "warning" = "error"): FlowFinding {
  const found = findings.find((f) => f.rule === rule && f.actionId === actionId && f.severity === severity);
  if (!found) throw new Error(`no ${severity} [${rule}] for ${actionId}; findings: ${JSON.stringify(findings, null, 2)}`);
  expect(found.message.length).toBeGreaterThan(10);
  expect(found.fix.length).toBeGreaterThan(5);
  return found;
}

describe("the validator rejects broken versions of real flows", () => {
  test("the unbroken bases are clean", () => {
    for (const base of [BANKID, CHAT_LEX, CASES, SELF_SERVICE]) {
      expect(findingsOf(mutable(corpusDocument(base))).filter((f) => f.severity === "error")).toEqual([]);
    }
  });

  test("dangling transition target", () => {
    let lambda: MutableAction | undefined;
    const flow = broken(BANKID, (f) => {
      lambda = firstOf(f, "InvokeLambdaFunction");
      lambda.Transitions.NextAction = "check-status-typo";
    });
    const finding = expectFinding(findingsOf(flow), "transition-target", lambda?.Identifier);
    expect(finding.message).toContain('leads to "check-status-typo"');
  });

  test("dangling target of an error branch and of a condition", () => {
    const flow = broken(BANKID, (f) => {
      const compare = firstOf(f, "Compare");
      compare.Transitions.Errors = [{ NextAction: "nowhere", ErrorType: "NoMatchingCondition" }];
      (compare.Transitions.Conditions ?? [])[0].NextAction = "";
    });
    const id = firstOf(flow, "Compare").Identifier;
    const findings = findingsOf(flow);
    expect(findings.filter((f) => f.rule === "transition-target" && f.actionId === id).map((f) => f.message)).toEqual([
      'the complete condition has an empty target',
      'the NoMatchingCondition error leads to "nowhere", which is not an action of this flow',
    ]);
  });

  test("unknown and refused action types", () => {
    const flow = broken(BANKID, (f) => {
      firstOf(f, "TransferContactToQueue").Type = "TransferToAgent";
      firstOf(f, "UpdateContactRecordingBehavior").Type = "RecordEverything";
      firstOf(f, "UpdateContactTextToSpeechVoice").Type = "updatecontacttexttospeechvoice";
    });
    const ids = (type: string) => flow.Actions.find((a) => a.Type === type)?.Identifier;
    const findings = findingsOf(flow);
    expect(expectFinding(findings, "action-type-rejected", ids("TransferToAgent")).fix).toContain("TransferContactToAgent");
    expectFinding(findings, "action-type-unknown", ids("RecordEverything"), "warning");
    expect(expectFinding(findings, "action-type-rejected", ids("updatecontacttexttospeechvoice")).fix).toBe('use "UpdateContactTextToSpeechVoice"');
    expectFinding(findingsOf(flow, { strict: true }), "action-type-unknown", ids("RecordEverything"), "error");
  });

  test("Loop count 101", () => {
    const flow = broken(BANKID, (f) => (firstOf(f, "Loop").Parameters.LoopCount = "101"));
    const finding = expectFinding(findingsOf(flow), "loop-count", firstOf(flow, "Loop").Identifier);
    expect(finding.message).toBe('LoopCount is "101"; allowed: 0-100');
  });

  test("Loop with a wrong condition set", () => {
    const flow = broken(BANKID, (f) => {
      const loop = firstOf(f, "Loop");
      loop.Transitions.Conditions = (loop.Transitions.Conditions ?? []).slice(0, 1);
    });
    expectFinding(findingsOf(flow), "loop-conditions", firstOf(flow, "Loop").Identifier);
  });

  test("synchronous Lambda timeout 9", () => {
    const flow = broken(BANKID, (f) => (firstOf(f, "InvokeLambdaFunction").Parameters.InvocationTimeLimitSeconds = "9"));
    const finding = expectFinding(findingsOf(flow), "lambda-timeout", firstOf(flow, "InvokeLambdaFunction").Identifier);
    expect(finding.message).toBe('InvocationTimeLimitSeconds is "9"; a synchronous invocation allows 1-8 seconds');
  });

  test("asynchronous Lambda timeout 9 is fine; 61 is a warning", () => {
    const flow = (seconds: string) =>
      broken(BANKID, (f) => {
        const lambda = firstOf(f, "InvokeLambdaFunction");
        lambda.Parameters.InvocationType = "ASYNCHRONOUS";
        lambda.Parameters.InvocationTimeLimitSeconds = seconds;
      });
    expect(findingsOf(flow("9")).filter((f) => f.rule === "lambda-timeout")).toEqual([]);
    expectFinding(findingsOf(flow("61")), "lambda-timeout", firstOf(flow("61"), "InvokeLambdaFunction").Identifier, "warning");
  });

  test("missing required error branch: NoMatchingError removed from InvokeLambdaFunction", () => {
    const flow = broken(BANKID, (f) => (firstOf(f, "InvokeLambdaFunction").Transitions.Errors = []));
    const finding = expectFinding(findingsOf(flow), "error-branch-missing", firstOf(flow, "InvokeLambdaFunction").Identifier);
    expect(finding.message).toContain("has no NoMatchingError error branch");
  });

  test("refused error branch: NoMatchingError on Compare", () => {
    const flow = broken(BANKID, (f) => firstOf(f, "Compare").Transitions.Errors?.push({ NextAction: firstOf(f, "Compare").Transitions.NextAction as string, ErrorType: "NoMatchingError" }));
    expectFinding(findingsOf(flow), "error-branch-rejected", firstOf(flow, "Compare").Identifier);
  });

  test("refused error branch: anything but QueueAtCapacity and NoMatchingError on TransferContactToQueue", () => {
    const flow = broken(BANKID, (f) => firstOf(f, "TransferContactToQueue").Transitions.Errors?.push({ NextAction: f.StartAction, ErrorType: "QueueDoesNotExist" }));
    expectFinding(findingsOf(flow), "error-branch-rejected", firstOf(flow, "TransferContactToQueue").Identifier);
  });

  test("unreachable action: a warning on foreign flows, an error in strict mode", () => {
    const orphan: MutableAction = { Identifier: "orphan-goodbye", Type: "DisconnectParticipant", Parameters: {}, Transitions: {} };
    const flow = broken(BANKID, (f) => f.Actions.push(orphan));
    expectFinding(findingsOf(flow), "unreachable-action", "orphan-goodbye", "warning");
    expectFinding(findingsOf(flow, { strict: true }), "unreachable-action", "orphan-goodbye", "error");
  });

  test("DTMF input (GetParticipantInput) in a chat-only flow", () => {
    const flow = broken(CHAT_LEX, (f) => {
      const message = firstOf(f, "MessageParticipant");
      message.Type = "GetParticipantInput";
      message.Parameters = { Text: "Press 1", StoreInput: "False", InputTimeLimitSeconds: "5" };
      const next = message.Transitions.NextAction as string;
      message.Transitions = {
        NextAction: next,
        Conditions: [{ NextAction: next, Condition: { Operator: "Equals", Operands: ["1"] } }],
        Errors: ["InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"].map((t) => ({ NextAction: next, ErrorType: t })),
      };
    });
    const id = firstOf(flow, "GetParticipantInput").Identifier;
    const finding = expectFinding(findingsOf(flow, { channels: ["CHAT"], flowType: "CONTACT_FLOW" }), "channel-unsupported", id);
    expect(finding.fix).toContain("ConnectParticipantWithLexBot");
    expectFinding(findingsOf(flow, { channels: ["CHAT", "VOICE"] }), "channel-unsupported", id, "warning");
    expect(findingsOf(flow, { channels: ["VOICE"] }).filter((f) => f.rule === "channel-unsupported")).toEqual([]);
  });

  test("SSML in a chat-only MessageParticipant; ShowView on voice only; Wait on voice only", () => {
    const chat = broken(CHAT_LEX, (f) => (firstOf(f, "MessageParticipant").Parameters = { SSML: "<speak>Hi</speak>" }));
    expectFinding(findingsOf(chat, { channels: ["CHAT"] }), "channel-unsupported", firstOf(chat, "MessageParticipant").Identifier);
    const guide = mutable(corpusDocument(CASES));
    const voice = findingsOf(guide, { channels: ["VOICE"] });
    expectFinding(voice, "channel-unsupported", firstOf(guide, "ShowView").Identifier);
    expectFinding(voice, "channel-unsupported", firstOf(guide, "Wait").Identifier, "warning");
  });

  test("duplicate identifier", () => {
    const flow = broken(BANKID, (f) => {
      const copy = JSON.parse(JSON.stringify(firstOf(f, "MessageParticipant"))) as MutableAction;
      f.Actions.push(copy);
    });
    const finding = expectFinding(findingsOf(flow), "identifier-duplicate", firstOf(flow, "MessageParticipant").Identifier);
    expect(finding.message).toMatch(/Actions\[14\] reuses the identifier of Actions\[\d+\]/);
  });

  test("invalid identifiers", () => {
    const flow = broken(BANKID, (f) => {
      const message = firstOf(f, "DisconnectParticipant");
      for (const a of f.Actions) {
        if (a.Transitions.NextAction === message.Identifier) a.Transitions.NextAction = "end:now";
      }
      message.Identifier = "end:now";
    });
    expectFinding(findingsOf(flow), "identifier-invalid", "end:now");
  });

  test("bad Version", () => {
    const flow = broken(BANKID, (f) => (f.Version = "2020-01-01"));
    const finding = expectFinding(findingsOf(flow), "version", undefined);
    expect(finding.message).toBe('Version is "2020-01-01"');
    const missing = broken(BANKID, (f) => delete (f as { Version?: string }).Version);
    expect(expectFinding(findingsOf(missing), "version", undefined).message).toBe("Version is missing");
  });

  test("more than 250 actions", () => {
    const flow = broken(BANKID, (f) => {
      const end = firstOf(f, "DisconnectParticipant").Identifier;
      for (let i = f.Actions.length; i <= 250; i++) {
        f.Actions.push({ Identifier: `note-${i}`, Type: "UpdateFlowLoggingBehavior", Parameters: { FlowLoggingBehavior: "Enabled" }, Transitions: { NextAction: end } });
      }
    });
    expect(flow.Actions).toHaveLength(251);
    expect(expectFinding(findingsOf(flow), "action-count", undefined).message).toBe("the flow has 251 actions; at most 250 are allowed");
  });

  test("content over 256,000 characters", () => {
    const flow = broken(BANKID, (f) => (firstOf(f, "MessageParticipant").Parameters = { Text: "x".repeat(256_000) }));
    expect(expectFinding(findingsOf(flow), "content-size", undefined).message).toMatch(/^the content has 2\d{5} characters; at most 256000 are allowed$/);
  });

  test("Wait with TimeoutSeconds", () => {
    const flow = broken(CASES, (f) => {
      const wait = firstOf(f, "Wait");
      wait.Parameters = { TimeoutSeconds: wait.Parameters.TimeLimitSeconds };
    });
    const finding = expectFinding(findingsOf(flow), "wait-timeout-seconds", firstOf(flow, "Wait").Identifier);
    expect(finding.fix).toBe('use "TimeLimitSeconds": "5"');
  });

  test("Wait: time limit out of range, missing WaitCompleted, unknown event", () => {
    const flow = broken(CASES, (f) => {
      const wait = firstOf(f, "Wait");
      wait.Parameters = { TimeLimitSeconds: "604801", Events: ["LambdaReturned"] };
      wait.Transitions.Conditions = [];
    });
    const id = firstOf(flow, "Wait").Identifier;
    const findings = findingsOf(flow);
    expectFinding(findings, "wait-time-limit", id);
    expectFinding(findings, "parameter-value", id);
    expectFinding(findings, "wait-conditions", id);
  });

  test("Wait: ParticipantNotFound without the BotParticipantDisconnected event is undeclared", () => {
    const flow = broken(CASES, (f) => {
      const wait = firstOf(f, "Wait");
      wait.Transitions.Errors?.push({ NextAction: wait.Transitions.NextAction as string, ErrorType: "ParticipantNotFound" });
    });
    const id = firstOf(flow, "Wait").Identifier;
    expectFinding(findingsOf(flow), "error-branch-undeclared", id, "warning");
    expectFinding(findingsOf(flow, { strict: true }), "error-branch-undeclared", id, "error");
  });

  test("empty operand", () => {
    const flow = broken(BANKID, (f) => ((firstOf(f, "Compare").Transitions.Conditions ?? [])[0].Condition.Operands = [""]));
    const finding = expectFinding(findingsOf(flow), "operand-empty", firstOf(flow, "Compare").Identifier);
    expect(finding.message).toContain("has an empty operand");
  });

  test("operators: unknown, compound, two operands", () => {
    const flow = broken(BANKID, (f) => {
      const [first, second] = firstOf(f, "Compare").Transitions.Conditions ?? [];
      first.Condition.Operator = "Contains";
      second.Condition.Operands = ["a", "b"];
    });
    const id = firstOf(flow, "Compare").Identifier;
    expectFinding(findingsOf(flow), "condition-operator", id);
    expectFinding(findingsOf(flow), "condition-operands", id);
  });

  test("empty static string in Parameters", () => {
    const flow = broken(BANKID, (f) => (firstOf(f, "InvokeLambdaFunction").Parameters.LambdaInvocationAttributes = { orderRef: "" }));
    const finding = expectFinding(findingsOf(flow), "empty-string", firstOf(flow, "InvokeLambdaFunction").Identifier);
    expect(finding.message).toBe("Parameters.LambdaInvocationAttributes.orderRef is an empty string; the service refuses empty values");
  });

  test("Compare: a literal, a bare root, an unknown root, no conditions", () => {
    const compare = (value: string, keepConditions = true) =>
      broken(BANKID, (f) => {
        const c = firstOf(f, "Compare");
        c.Parameters.ComparisonValue = value;
        if (!keepConditions) c.Transitions.Conditions = [];
      });
    const id = firstOf(compare("$.External.status"), "Compare").Identifier;
    expectFinding(findingsOf(compare("complete")), "compare-value", id);
    expectFinding(findingsOf(compare("$.External")), "compare-value", id);
    expectFinding(findingsOf(compare("$.Agent.UserName")), "compare-value", id, "warning");
    expectFinding(findingsOf(compare("$.External.status", false)), "compare-conditions", id);
    for (const ok of ["$.Wisdom.SessionArn", "$.Views.ViewResultData.actionName", "$.Modules.Result", "$.LambdaInvocation.InvocationId", "$.FlowAttributes.x", "$.Channel", "${Path}"]) {
      expect(findingsOf(compare(ok)).filter((f) => f.rule === "compare-value")).toEqual([]);
    }
  });

  test("non-terminal action without NextAction; terminal action with transitions", () => {
    const flow = broken(BANKID, (f) => {
      delete firstOf(f, "UpdateContactRecordingBehavior").Transitions.NextAction;
      firstOf(f, "DisconnectParticipant").Transitions = { NextAction: f.StartAction };
    });
    expectFinding(findingsOf(flow), "next-action-missing", firstOf(flow, "UpdateContactRecordingBehavior").Identifier);
    expectFinding(findingsOf(flow), "terminal-transitions", firstOf(flow, "DisconnectParticipant").Identifier);
  });

  test("StartAction naming no action", () => {
    const flow = broken(BANKID, (f) => (f.StartAction = "begin"));
    expect(expectFinding(findingsOf(flow), "start-action", undefined).message).toBe('StartAction "begin" names no action');
  });

  test("Lex: refused AgentError, missing NoMatchingCondition, a non-Equals condition, a short timer", () => {
    const flow = broken(SELF_SERVICE, (f) => {
      const lex = firstOf(f, "ConnectParticipantWithLexBot");
      const target = lex.Transitions.NextAction as string;
      lex.Transitions.Errors = [
        { NextAction: target, ErrorType: "NoMatchingError" },
        { NextAction: target, ErrorType: "AgentError" },
      ];
      lex.Transitions.Conditions = [{ NextAction: target, Condition: { Operator: "TextContains", Operands: ["Sales"] } }];
      lex.Parameters.LexTimeoutSeconds = { Text: "10" };
    });
    const id = firstOf(flow, "ConnectParticipantWithLexBot").Identifier;
    const findings = findingsOf(flow);
    expectFinding(findings, "error-branch-rejected", id);
    expectFinding(findings, "error-branch-missing", id);
    expectFinding(findings, "condition-values", id);
    expectFinding(findings, "lex-timeout", id, "warning");
  });

  test("GetParticipantInput in stored-input mode with InputTimeLimitExceeded", () => {
    const flow = broken(BANKID, (f) => {
      const input = firstOf(f, "GetParticipantInput");
      input.Transitions.Errors?.push({ NextAction: input.Transitions.NextAction as string, ErrorType: "InputTimeLimitExceeded" });
    });
    const finding = expectFinding(findingsOf(flow), "error-branch-rejected", firstOf(flow, "GetParticipantInput").Identifier);
    expect(finding.message).toContain("(stored input)");
  });

  test("refused parameters: a queue on TransferContactToQueue, BotAliasArn on Lex", () => {
    const flow = broken(SELF_SERVICE, (f) => {
      firstOf(f, "TransferContactToQueue").Parameters = { QueueId: "arn:q" };
      firstOf(f, "ConnectParticipantWithLexBot").Parameters.BotAliasArn = "arn:bot";
    });
    expectFinding(findingsOf(flow), "parameter-rejected", firstOf(flow, "TransferContactToQueue").Identifier);
    expectFinding(findingsOf(flow), "parameter-rejected", firstOf(flow, "ConnectParticipantWithLexBot").Identifier);
  });

  test("UpdateContactEventHooks with two hooks", () => {
    const flow = broken(SELF_SERVICE, (f) => {
      f.Actions.push({
        Identifier: "hooks",
        Type: "UpdateContactEventHooks",
        Parameters: { EventHooks: { CustomerQueue: "arn:a", DefaultAgentUI: "arn:b" } },
        Transitions: { NextAction: f.StartAction, Errors: [{ NextAction: f.StartAction, ErrorType: "NoMatchingError" }] },
      });
    });
    expectFinding(findingsOf(flow), "event-hooks", "hooks");
  });

  test("flow types: EndFlowExecution in CONTACT_FLOW, Disconnect in a whisper, a module without Settings, a flow with Settings", () => {
    const flow = broken(BANKID, (f) => (firstOf(f, "DisconnectParticipant").Type = "EndFlowExecution"));
    expectFinding(findingsOf(flow, { flowType: "CONTACT_FLOW" }), "flow-type-action", firstOf(flow, "EndFlowExecution").Identifier);
    const whisper = mutable(corpusDocument(BANKID));
    expectFinding(findingsOf(whisper, { flowType: "AGENT_WHISPER" }), "flow-type-action", firstOf(whisper, "DisconnectParticipant").Identifier);
    expectFinding(findingsOf(whisper, { flowType: "AGENT_WHISPER" }), "flow-type-action", firstOf(whisper, "TransferContactToQueue").Identifier);
    expectFinding(findingsOf(whisper, { flowType: "MODULE" }), "module-settings", undefined);
    const withSettings = broken(BANKID, (f) => (f.Settings = { InputParameters: [] }));
    expectFinding(findingsOf(withSettings, { flowType: "CONTACT_FLOW" }), "module-settings", undefined);
  });

  test("placeholders are opaque: template ARNs, counts and paths raise nothing", () => {
    const flow = broken(BANKID, (f) => {
      firstOf(f, "Loop").Parameters.LoopCount = "${MaxRetries}";
      firstOf(f, "InvokeLambdaFunction").Parameters.InvocationTimeLimitSeconds = "%LambdaTimeout%";
      firstOf(f, "InvokeLambdaFunction").Parameters.LambdaFunctionARN = "${TfToken[TOKEN.12]}";
      firstOf(f, "Compare").Parameters.ComparisonValue = "{{StatusPath}}";
    });
    expect(findingsOf(flow, { strict: true })).toEqual([]);
  });

  test("not a flow: a list, a wrapper, an empty Actions list", () => {
    expectFinding(validateFlow([]), "envelope", undefined);
    expectFinding(validateFlow({ Name: "x", Content: "{}" }), "envelope", undefined);
    expectFinding(validateFlow({ Version: "2019-10-30", StartAction: "a", Actions: [] }), "actions-missing", undefined);
    expectFinding(validateFlow({ Version: "2019-10-30", StartAction: "a", Actions: [{ Identifier: "a" }] }), "action-shape", "a");
  });
});
