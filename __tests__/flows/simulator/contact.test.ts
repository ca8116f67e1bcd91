import {
  type FlowAction,
  type ShowViewRequest,
  SimulationFailure,
  assertCompleted,
  flowCatalog,
  simulateAgentUi,
  simulateContact,
} from "../../../flows/simulator";
import {
  AGENT_UI_FLOW_ARN,
  CHAT,
  QUEUE_ARN,
  VOICE,
  compare,
  disconnect,
  fakeLambda,
  fakeLex,
  flow,
  lambda,
  lexBlock,
  loop,
  message,
  setAttributes,
  setHook,
  setQueue,
  transfer,
  wait,
} from "./support";

describe("Wait (reference §4.7)", () => {
  const idle = flow("wait", [
    wait("wait", "120", "timedOut", "back", "error"),
    message("timedOut", "We closed the chat.", "end"),
    message("back", "Welcome back: $.Attributes.x", "end"),
    message("error", "wait failed", "end"),
    disconnect(),
  ]);

  it("takes CustomerReturned when the customer writes during the wait", async () => {
    const trace = assertCompleted(await simulateContact({ flow: idle, contact: CHAT, customer: [{ say: "I'm back", thinkMs: 30_000 }] }));
    expect(trace.steps[0]).toMatchObject({ branch: "Condition: Equals CustomerReturned", durationMs: 30_000 });
    expect(trace.transcript.map((entry) => [entry.atMs, entry.from, entry.text])).toEqual([
      [30_000, "customer", "I'm back"],
      [30_000, "flow", "Welcome back: "],
    ]);
  });

  it("takes WaitCompleted after the time limit otherwise", async () => {
    const trace = assertCompleted(await simulateContact({ flow: idle, contact: CHAT, customer: [{ say: "late", thinkMs: 121_000 }] }));
    expect(trace.steps[0]).toMatchObject({ branch: "Condition: Equals WaitCompleted", durationMs: 120_000 });
    expect(trace.transcript.map((entry) => entry.text)).toEqual(["We closed the chat."]);
  });

  it("ignores the customer without the CustomerReturned event, and errors on voice", async () => {
    const plain = flow("wait", [wait("wait", "60", "done", undefined, "error"), message("done", "done", "end"), message("error", "error", "end"), disconnect()]);
    const chat = await simulateContact({ flow: plain, contact: CHAT, customer: [{ say: "hello", thinkMs: 10 }] });
    expect(chat.steps[0]).toMatchObject({ branch: "Condition: Equals WaitCompleted", durationMs: 60_000 });
    const voice = await simulateContact({ flow: plain, contact: VOICE });
    expect(voice.steps[0]).toMatchObject({ branch: "Error: NoMatchingError", note: expect.stringMatching(/chat only/) });
  });

  it("lets the clock jump through runtime.onIdle (where a real-time integration would sleep)", async () => {
    const idles: [number, number, string][] = [];
    await simulateContact({
      flow: idle,
      contact: CHAT,
      customer: [{ silence: true }],
      runtime: { onIdle: (from, to, reason) => void idles.push([from, to, reason]) },
    });
    expect(idles).toEqual([[0, 120_000, "wait"]]);
  });
});

describe("transfer, event hooks and the agent UI flow (reference §4.9, §4.10, §4.12, §4.13)", () => {
  const agentUi = flow("view", [
    {
      Identifier: "view",
      Type: "ShowView",
      Parameters: {
        ViewResource: { Id: "detail", Version: "Latest" },
        InvocationTimeLimitSeconds: "300",
        ViewData: {
          Heading: "Customer $.Attributes.customerName",
          AttributeBar: [
            { Label: "Reason", Value: "$.Attributes.escalation_reason" },
            { Label: "Channel", Value: "$.Channel" },
          ],
          Sections: { Summary: "$.Attributes.conversation_summary", Missing: "$.Attributes.none" },
        },
      },
      Transitions: {
        NextAction: "end",
        Conditions: [
          { NextAction: "acted", Condition: { Operator: "Equals", Operands: ["ActionSelected"] } },
          { NextAction: "end", Condition: { Operator: "Equals", Operands: ["Back"] } },
        ],
        Errors: [
          { ErrorType: "NoMatchingCondition", NextAction: "end" },
          { ErrorType: "NoMatchingError", NextAction: "end" },
          { ErrorType: "TimeLimitExceeded", NextAction: "timedOut" },
        ],
      },
    },
    setAttributes("acted", { picked: "$.Views.ViewResultData.choice" }, "end"),
    setAttributes("timedOut", { picked: "none" }, "end"),
    disconnect(),
  ]);

  const handoff = flow("attrs", [
    setAttributes("attrs", { escalation_reason: "asked for a person", conversation_summary: "Parcel late" }, "hook"),
    setHook("hook", "DefaultAgentUI", AGENT_UI_FLOW_ARN, "queueHook", "error"),
    setHook("queueHook", "CustomerQueue", "arn:aws:connect:eu-west-2:111122223333:instance/INST/contact-flow/QUEUEFLOW", "queue", "error"),
    setQueue("queue", "transfer", "error"),
    transfer("transfer", "error", "full"),
    message("full", "All agents are busy.", "end"),
    message("error", "error", "end"),
    disconnect(),
  ]);

  it("transfers with the attributes and hooks, then runs the DefaultAgentUI flow: the agent sees the resolved view", async () => {
    const agentRequests: ShowViewRequest[] = [];
    const trace = assertCompleted(
      await simulateContact({
        flow: handoff,
        contact: { ...CHAT, attributes: { customerName: "Ana" } },
        runtime: {
          flows: flowCatalog({ [AGENT_UI_FLOW_ARN]: agentUi }),
          transferToQueue: () => ({ agentConnectsAfterMs: 45_000 }),
          agent: (request) => {
            agentRequests.push(request);
            return { action: "ActionSelected", resultData: { choice: "refund" }, afterMs: 20_000 };
          },
        },
      }),
    );
    expect(trace.outcome).toMatchObject({
      kind: "transferred",
      actionId: "transfer",
      queue: { id: QUEUE_ARN, kind: "queue" },
      attributes: { customerName: "Ana", escalation_reason: "asked for a person", conversation_summary: "Parcel late" },
      hooks: {
        DefaultAgentUI: AGENT_UI_FLOW_ARN,
        CustomerQueue: "arn:aws:connect:eu-west-2:111122223333:instance/INST/contact-flow/QUEUEFLOW",
      },
    });
    if (trace.outcome.kind !== "transferred") throw new Error("not transferred");
    const agent = trace.outcome.agentUi;
    expect(agent).toMatchObject({ role: "agent-ui", channel: "CHAT", contactId: `${CHAT.contactId}-agent-ui`, startedAtMs: 45_000 });
    expect(agent?.views[0]).toMatchObject({
      atMs: 45_000,
      viewResource: { Id: "detail", Version: "Latest" },
      timeLimitMs: 300_000,
      action: "ActionSelected",
      data: {
        Heading: "Customer Ana",
        AttributeBar: [
          { Label: "Reason", Value: "asked for a person" },
          { Label: "Channel", Value: "CHAT" },
        ],
        Sections: { Summary: "Parcel late" },
      },
    });
    expect(agentRequests[0]).toMatchObject({ expectedActions: ["ActionSelected", "Back"], timeLimitMs: 300_000, atMs: 45_000 });
    expect(agent?.steps[1].atMs).toBe(65_000);
    expect(agent?.steps[0].unresolved).toEqual(["$.Attributes.none"]);
    expect(agent?.attributes.picked).toBe("refund");
    expect(agent?.steps.map((step) => step.branch)).toEqual(["Condition: Equals ActionSelected", "NextAction", "End"]);
    // What the agent sees is in the customer contact's transcript too.
    expect(trace.transcript.filter((entry) => entry.from === "agent-view").map((entry) => [entry.atMs, entry.text])).toEqual([[45_000, "detail"]]);
  });

  it("takes QueueAtCapacity when the runtime says so", async () => {
    const trace = assertCompleted(
      await simulateContact({ flow: handoff, contact: CHAT, runtime: { transferToQueue: () => ({ atCapacity: true }) } }),
    );
    expect(trace.steps.find((step) => step.actionId === "transfer")?.branch).toBe("Error: QueueAtCapacity");
    expect(trace.outcome.kind).toBe("disconnected");
  });

  it("errors when no working queue was set", async () => {
    const trace = await simulateContact({ flow: flow("transfer", [transfer("transfer", "end", "end"), disconnect()]), contact: CHAT });
    expect(trace.steps[0]).toMatchObject({ branch: "Error: NoMatchingError", note: expect.stringMatching(/no working queue/) });
  });

  it("runs an agent UI flow on its own; TimeLimitExceeded when the agent does nothing; ShowView outside it errors", async () => {
    const idleAgent = await simulateAgentUi({
      flow: agentUi,
      contact: { ...VOICE, attributes: { customerName: "Bo" } },
      runtime: { agent: () => ({ noResponse: true }) },
      startAtMs: 1000,
    });
    expect(idleAgent.steps[0]).toMatchObject({ branch: "Error: TimeLimitExceeded", durationMs: 300_000 });
    expect(idleAgent.attributes.picked).toBe("none");
    const defaultAgent = await simulateAgentUi({ flow: agentUi, contact: CHAT });
    expect(defaultAgent.views[0].action).toBe("ActionSelected"); // the first condition, by default
    const inCustomerFlow = await simulateContact({ flow: agentUi, contact: CHAT });
    expect(inCustomerFlow.steps[0]).toMatchObject({ branch: "Error: NoMatchingError", note: expect.stringMatching(/agent UI flow/) });
  });
});

describe("safety: runaway loops and the step budget", () => {
  it("detects a flow that cycles without waiting on the customer or time, naming the cycle", async () => {
    const cycle = flow("a", [
      setAttributes("a", { x: "1" }, "b"),
      compare("b", "$.Attributes.x", [["Equals", "1", "c"]], "end"),
      message("c", "again", "a"),
      disconnect(),
    ]);
    const trace = await simulateContact({ flow: cycle, contact: CHAT });
    // The first pass through "a" sets x, so the state first repeats at "b".
    expect(trace.outcome).toMatchObject({ kind: "failed", code: "runaway-loop", actionId: "b", cycle: ["b", "c", "a", "b"] });
    expect(() => assertCompleted(trace)).toThrow(SimulationFailure);
    expect(() => assertCompleted(trace)).toThrow(/runaway-loop: the flow loops without waiting on the customer or time: b -> c -> a -> b/);
  });

  it("detects a Loop whose DoneLooping leads back into it (the counter resets, so the state repeats)", async () => {
    const endless = flow("l", [loop("l", "2", "say", "say"), message("say", "x", "l")]);
    const trace = await simulateContact({ flow: endless, contact: CHAT });
    expect(trace.outcome).toMatchObject({ kind: "failed", code: "runaway-loop", cycle: ["l", "say", "l", "say", "l", "say", "l"] });
  });

  it("does not call a bounded poll loop a runaway: each poll takes time", async () => {
    const poll = flow("retry", [
      loop("retry", "3", "poll", "giveUp"),
      lambda("poll", "check", "retry"),
      compare("check", "$.External.status", [["Equals", "READY", "answer"]], "retry"),
      message("answer", "$.External.answer", "end"),
      message("giveUp", "Sorry.", "end"),
      disconnect(),
    ]);
    const { invoker } = fakeLambda([
      { result: { status: "PENDING" }, durationMs: 2000 },
      { result: { status: "PENDING" }, durationMs: 2000 },
      { result: { status: "READY", answer: "Here." }, durationMs: 700 },
    ]);
    const trace = assertCompleted(await simulateContact({ flow: poll, contact: CHAT, runtime: { lambda: invoker } }));
    expect(trace.transcript.map((entry) => [entry.atMs, entry.text])).toEqual([[4700, "Here."]]);
  });

  it("stops at the step budget when a flow keeps going with time passing", async () => {
    // Waits advance time, so this is not a runaway loop; it never ends on its own.
    const forever = flow("w", [wait("w", "1", "w", undefined, "w")]);
    const trace = await simulateContact({ flow: forever, contact: CHAT, options: { stepBudget: 500 } });
    expect(trace.outcome).toMatchObject({ kind: "failed", code: "step-budget", actionId: "w" });
    expect(trace.steps).toHaveLength(500);
    expect(trace.endedAtMs).toBe(500_000);
  });

  it("the default budget is 10,000 actions", async () => {
    const forever = flow("w", [wait("w", "1", "w", undefined, "w")]);
    const trace = await simulateContact({ flow: forever, contact: CHAT });
    expect(trace.outcome).toMatchObject({ kind: "failed", code: "step-budget" });
    expect(trace.steps).toHaveLength(10_000);
  });
});

describe("run failures and other actions", () => {
  it("fails naming an action type the simulator does not execute, unless the runtime handles it", async () => {
    const hours: FlowAction = {
      Identifier: "hours",
      Type: "CheckHoursOfOperation",
      Parameters: { Hours: "$.Attributes.hours" },
      Transitions: {
        NextAction: "end",
        Conditions: [{ NextAction: "open", Condition: { Operator: "Equals", Operands: ["True"] } }],
        Errors: [{ ErrorType: "NoMatchingError", NextAction: "end" }],
      },
    };
    const document = flow("hours", [hours, message("open", "open", "end"), disconnect()]);
    const unknown = await simulateContact({ flow: document, contact: CHAT });
    expect(unknown.outcome).toMatchObject({
      kind: "failed",
      code: "unknown-action-type",
      actionId: "hours",
      message: expect.stringMatching(/action "hours" has type CheckHoursOfOperation/),
    });
    const handled = await simulateContact({
      flow: document,
      contact: { ...CHAT, attributes: { hours: "h1" } },
      runtime: { customActions: { CheckHoursOfOperation: (request) => ({ result: request.parameters.Hours === "h1" ? "True" : "False" }) } },
    });
    expect(handled.transcript.map((entry) => entry.text)).toEqual(["open"]);
  });

  it("fails when a branch has no target or an action is missing", async () => {
    const noBranch = await simulateContact({
      flow: flow("m", [{ Identifier: "m", Type: "MessageParticipant", Parameters: { SSML: "<speak/>" }, Transitions: { NextAction: "end" } }, disconnect()]),
      contact: CHAT,
    });
    expect(noBranch.outcome).toMatchObject({ kind: "failed", code: "no-transition", message: expect.stringMatching(/NoMatchingError branch/) });
    const missing = await simulateContact({ flow: flow("m", [message("m", "hi", "nowhere")]), contact: CHAT });
    expect(missing.outcome).toMatchObject({ kind: "failed", code: "missing-action", actionId: "nowhere" });
  });

  it("UpdateContactAttributes is all-or-nothing; faults from the runtime take the error branch", async () => {
    const document = flow("set", [
      setAttributes("set", { a: "1", b: "x".repeat(40_000) }, "end", { NoMatchingError: "err" }),
      message("err", "a=$.Attributes.a", "end"),
      disconnect(),
    ]);
    const tooBig = await simulateContact({ flow: document, contact: CHAT });
    expect(tooBig.steps[0].branch).toBe("Error: NoMatchingError");
    expect(tooBig.transcript[0].text).toBe("a=");
    const injected = await simulateContact({
      flow: flow("set", [setAttributes("set", { a: "1" }, "end", { NoMatchingError: "err" }), message("err", "failed", "end"), disconnect()]),
      contact: CHAT,
      runtime: { fault: (action) => (action.Identifier === "set" ? "NoMatchingError" : undefined) },
    });
    expect(injected.steps[0]).toMatchObject({ branch: "Error: NoMatchingError", note: "fault injected by the runtime" });
    expect(injected.attributes).toEqual({});
  });

  it("CreateWisdomSession sets $.Wisdom.SessionArn, UpdateContactData records it; settings actions are recorded", async () => {
    const document = flow("log", [
      { Identifier: "log", Type: "UpdateFlowLoggingBehavior", Parameters: { FlowLoggingBehavior: "Enabled" }, Transitions: { NextAction: "voice" } },
      {
        Identifier: "voice",
        Type: "UpdateContactTextToSpeechVoice",
        Parameters: { TextToSpeechVoice: "Joanna", TextToSpeechEngine: "neural" },
        Transitions: { NextAction: "wisdom", Errors: [{ ErrorType: "NoMatchingError", NextAction: "end" }] },
      },
      {
        Identifier: "wisdom",
        Type: "CreateWisdomSession",
        Parameters: { WisdomAssistantArn: "arn:aws:wisdom:eu-west-2:111122223333:assistant/AID" },
        Transitions: { NextAction: "data", Errors: [{ ErrorType: "NoMatchingError", NextAction: "end" }] },
      },
      {
        Identifier: "data",
        Type: "UpdateContactData",
        Parameters: { WisdomSessionArn: "$.Wisdom.SessionArn" },
        Transitions: { NextAction: "say", Errors: [{ ErrorType: "NoMatchingError", NextAction: "end" }] },
      },
      message("say", "session $.Wisdom.SessionArn", "end"),
      disconnect(),
    ]);
    const trace = assertCompleted(await simulateContact({ flow: document, contact: VOICE }));
    const sessionArn = `arn:aws:wisdom:eu-west-2:111122223333:session/AID/${VOICE.contactId}-session-1`;
    expect(trace.transcript[0].text).toBe(`session ${sessionArn}`);
    expect(trace.settings).toEqual({
      flowLogging: "Enabled",
      textToSpeech: { TextToSpeechVoice: "Joanna", TextToSpeechEngine: "neural" },
      contactData: { WisdomSessionArn: sessionArn },
    });
    const failing = await simulateContact({ flow: document, contact: VOICE, runtime: { createWisdomSession: () => ({ error: "AccessDenied" }) } });
    expect(failing.steps.find((step) => step.actionId === "wisdom")?.branch).toBe("Error: NoMatchingError");
  });
});

describe("per-turn summaries (a chat bridge turn: Lex → interim → poll → answer)", () => {
  // Lex answers PENDING within the chat limit; the flow says an interim text, polls a Lambda until the
  // answer is READY, says it and goes back to the Lex block for the next message.
  const bridge = flow("ask", [
    lexBlock("ask", { noMatch: "status", error: "sorry" }),
    compare("status", "$.Lex.SessionAttributes.bridgeStatus", [["Equals", "PENDING", "interim"]], "ask"),
    message("interim", "One moment…", "reset"),
    setAttributes("reset", { pollCount: "0" }, "retry"),
    loop("retry", "5", "poll", "sorry"),
    lambda("poll", "check", "retry", { LambdaInvocationAttributes: { turnId: "$.Lex.SessionAttributes.bridgeTurnId", pollCount: "$.Attributes.pollCount" } }),
    compare("check", "$.External.status", [["Equals", "READY", "answer"]], "count"),
    setAttributes("count", { pollCount: "$.External.pollCount" }, "retry"),
    message("answer", "$.External.answer", "ask"),
    message("sorry", "Sorry, let me get you an agent.", "end"),
    disconnect(),
  ]);

  it("reports when each message was sent, the first response, the answer and the Lambda calls of the turn", async () => {
    const lex = fakeLex((request) => ({
      intentName: "FallbackIntent",
      sessionAttributes: { bridgeStatus: "PENDING", bridgeTurnId: `turn-${request.input}` },
      durationMs: 800,
    }));
    const polls = new Map<string, number>();
    const { invoker, requests } = fakeLambda((request) => {
      const turnId = request.event.Details.Parameters.turnId;
      const count = (polls.get(turnId) ?? 0) + 1;
      polls.set(turnId, count);
      const ready = count >= (turnId === "turn-q1" ? 2 : 1);
      return {
        result: ready
          ? { status: "READY", answer: `answer to ${turnId}`, pollCount: String(count) }
          : { status: "PENDING", pollCount: String(count) },
        durationMs: ready ? 1500 : 7800,
      };
    });
    const trace = await simulateContact({
      flow: bridge,
      contact: CHAT,
      customer: [{ say: "q1", thinkMs: 2000 }, { say: "q2", thinkMs: 5000 }, { disconnect: true, thinkMs: 1000 }],
      runtime: { lex: lex.model, lambda: invoker },
    });
    expect(trace.outcome).toMatchObject({ kind: "customer-disconnected" });
    expect(requests.map((request) => request.event.Details.Parameters)).toEqual([
      { turnId: "turn-q1", pollCount: "0" },
      { turnId: "turn-q1", pollCount: "1" },
      { turnId: "turn-q2", pollCount: "0" },
    ]);
    // q1 at 2000; Lex 800 → interim at 2800; polls 7800 + 1500 → answer at 12100.
    // q2 5000 after the block listens again (12100) → 17100; interim 17900; one poll → 19400.
    expect(trace.turns).toEqual([
      { index: 1, text: "q1", sentAtMs: 2000, firstResponseAtMs: 2800, firstResponseText: "One moment…", answerAtMs: 12_100, answerText: "answer to turn-q1", answerLatencyMs: 10_100, lambdaInvocations: 2, lexCalls: 1 },
      { index: 2, text: "q2", sentAtMs: 17_100, firstResponseAtMs: 17_900, firstResponseText: "One moment…", answerAtMs: 19_400, answerText: "answer to turn-q2", answerLatencyMs: 2300, lambdaInvocations: 1, lexCalls: 1 },
    ]);
  });

  it("takes the turn's last bot or flow message as its answer (a re-prompt too), or the first one isAnswer accepts", async () => {
    // The answer said as the next Lex block's prompt (as the kit's flows do) is the turn's answer.
    const asPrompt = flow("ask", [
      lexBlock("ask", { text: "Ask me", noMatch: "answer", error: "end" }),
      lexBlock("answer", { text: "$.Lex.SessionAttributes.answer", noMatch: "answer", error: "end" }),
      disconnect(),
    ]);
    const lex = fakeLex(() => ({ intentName: "Any", sessionAttributes: { answer: "Tomorrow." }, messages: [{ text: "Looking…" }], durationMs: 300 }));
    const trace = await simulateContact({ flow: asPrompt, contact: CHAT, customer: ["q"], runtime: { lex: lex.model } });
    expect(trace.turns[0]).toMatchObject({ firstResponseText: "Looking…", answerText: "Tomorrow.", answerAtMs: 300 });
    expect(trace.transcript.at(-1)).toMatchObject({ text: "Tomorrow.", prompt: true });

    const picked = await simulateContact({
      flow: asPrompt,
      contact: CHAT,
      customer: ["q"],
      runtime: { lex: lex.model },
      options: { isAnswer: (entry) => entry.from === "bot" },
    });
    expect(picked.turns[0]).toMatchObject({ answerText: "Looking…" });
  });
});
