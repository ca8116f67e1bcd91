import { type FlowAction, assertCompleted, simulateContact } from "../../../flows/simulator";
import { CHAT, LEX_ALIAS, VOICE, compare, disconnect, fakeLex, flow, lexBlock, message } from "./support";

/** Reference §4.3 (ConnectParticipantWithLexBot), §5 and runtime facts §0.1/§1 (chat time limit). */
describe("ConnectParticipantWithLexBot", () => {
  const ask = flow("ask", [
    lexBlock("ask", {
      text: "How can I help, $.Attributes.customerName?",
      intents: { Sales: "sales", TalkToAgent: "agent" },
      noMatch: "other",
      error: "failed",
      sessionAttributes: { contactId: "$.ContactId", channel: "$.Channel" },
    }),
    message("sales", "sales: $.Lex.SessionAttributes.bridgeStatus $.Lex.Slots.product", "end"),
    message("agent", "agent", "end"),
    message("other", "intent $.Lex.IntentName not handled", "end"),
    message("failed", "sorry", "end"),
    disconnect(),
  ]);

  it("sends the prompt first, then calls the bot with the customer's message, merged session attributes, locale and channel", async () => {
    const lex = fakeLex(() => ({ intentName: "Sales", slots: { product: "fibre" }, sessionAttributes: { bridgeStatus: "READY" }, messages: [{ text: "Let me check." }], durationMs: 1200 }));
    const trace = assertCompleted(
      await simulateContact({
        flow: ask,
        contact: { ...CHAT, attributes: { customerName: "Ana" }, languageCode: "en_GB" },
        customer: [{ say: "I want to buy", thinkMs: 4000 }],
        runtime: { lex: lex.model },
      }),
    );
    expect(lex.requests[0]).toMatchObject({
      aliasArn: LEX_ALIAS,
      botVersion: "V2",
      locale: "en_GB",
      channel: "CHAT",
      sessionId: CHAT.contactId,
      sessionAttributes: { contactId: CHAT.contactId, channel: "CHAT" },
      prompt: "How can I help, Ana?",
      input: "I want to buy",
      inputMode: "Text",
      requestAttributes: { "x-amz-lex:channels:platform": "Connect Chat" },
      atMs: 4000,
      turnInBlock: 1,
    });
    expect(trace.transcript.map((entry) => [entry.atMs, entry.from, entry.text])).toEqual([
      [0, "flow", "How can I help, Ana?"],
      [4000, "customer", "I want to buy"],
      [5200, "bot", "Let me check."],
      [5200, "flow", "sales: READY fibre"],
    ]);
    expect(trace.steps[0]).toMatchObject({ branch: "Condition: Equals Sales", result: "Sales", durationMs: 5200 });
  });

  it("takes NoMatchingCondition for an intent no condition names", async () => {
    const lex = fakeLex(() => ({ intentName: "Billing" }));
    const trace = assertCompleted(await simulateContact({ flow: ask, contact: CHAT, customer: ["bill"], runtime: { lex: lex.model } }));
    expect(trace.steps[0].branch).toBe("Error: NoMatchingCondition");
    expect(trace.transcript.at(-1)?.text).toBe("intent Billing not handled");
  });

  it("CHAT: an answer later than 10 s takes NoMatchingError at 10 s and its messages never reach the customer", async () => {
    const lex = fakeLex(() => ({ intentName: "Sales", messages: [{ text: "the slow answer" }], durationMs: 12_000 }));
    const trace = assertCompleted(await simulateContact({ flow: ask, contact: CHAT, customer: [{ say: "hi", thinkMs: 1000 }], runtime: { lex: lex.model } }));
    expect(trace.steps[0]).toMatchObject({ branch: "Error: NoMatchingError", nextAction: "failed", durationMs: 11_000 });
    expect(trace.steps[0].note).toMatch(/^lex chat timeout/);
    expect(trace.lexCalls[0]).toMatchObject({ outcome: "chat-timeout", limitMs: 10_000, durationMs: 10_000, reportedDurationMs: 12_000, droppedMessages: ["the slow answer"] });
    expect(trace.transcript.map((entry) => [entry.atMs, entry.text])).toEqual([
      [0, "How can I help, ?"],
      [1000, "hi"],
      [11_000, "sorry"],
    ]);
  });

  it("CHAT with message streaming: the limit is 60 s", async () => {
    const lex = fakeLex(() => ({ intentName: "Sales", durationMs: 12_000 }));
    const streaming = await simulateContact({ flow: ask, contact: CHAT, customer: ["hi"], runtime: { lex: lex.model }, options: { messageStreaming: true } });
    expect(streaming.steps[0].branch).toBe("Condition: Equals Sales");
    const slower = fakeLex(() => ({ intentName: "Sales", durationMs: 61_000 }));
    const tooSlow = await simulateContact({ flow: ask, contact: CHAT, customer: ["hi"], runtime: { lex: slower.model }, options: { messageStreaming: true } });
    expect(tooSlow.steps[0]).toMatchObject({ branch: "Error: NoMatchingError", durationMs: 60_000 });
  });

  it("VOICE: no Connect limit; timed messages (progress updates) reach the transcript at their time", async () => {
    const lex = fakeLex(() => ({
      intentName: "Sales",
      durationMs: 25_000,
      messages: [{ text: "One moment while I look that up.", atMs: 3000 }, { text: "Still working on it.", atMs: 13_000 }, { text: "Here it is." }],
    }));
    const trace = assertCompleted(await simulateContact({ flow: ask, contact: VOICE, customer: [{ say: "buy", thinkMs: 2000 }], runtime: { lex: lex.model } }));
    expect(trace.steps[0].branch).toBe("Condition: Equals Sales");
    expect(trace.transcript.filter((entry) => entry.from === "bot").map((entry) => [entry.atMs, entry.kind, entry.text])).toEqual([
      [5000, "progress", "One moment while I look that up."],
      [15_000, "progress", "Still working on it."],
      [27_000, "text", "Here it is."],
    ]);
    expect(trace.lexCalls[0]).toMatchObject({ limitMs: Number.POSITIVE_INFINITY, durationMs: 25_000 });
  });

  it("a bot error takes NoMatchingError", async () => {
    const lex = fakeLex(() => ({ error: "DependencyFailedException", durationMs: 300 }));
    const trace = await simulateContact({ flow: ask, contact: CHAT, customer: ["hi"], runtime: { lex: lex.model } });
    expect(trace.steps[0]).toMatchObject({ branch: "Error: NoMatchingError", note: "lex error: DependencyFailedException" });
  });

  it("CHAT: LexTimeoutSeconds takes InputTimeLimitExceeded when the customer stays silent longer", async () => {
    const timed = flow("ask", [
      lexBlock("ask", { text: "Still there?", noMatch: "end", error: "end", timeout: "bye", lexTimeoutSeconds: "300" }),
      message("bye", "Closing the chat.", "end"),
      disconnect(),
    ]);
    const lex = fakeLex(() => ({ intentName: "Any" }));
    const silent = await simulateContact({ flow: timed, contact: CHAT, customer: [{ silence: true }], runtime: { lex: lex.model } });
    expect(silent.steps[0]).toMatchObject({ branch: "Error: InputTimeLimitExceeded", durationMs: 300_000 });
    expect(silent.transcript.at(-1)).toMatchObject({ atMs: 300_000, text: "Closing the chat." });
    expect(lex.requests).toHaveLength(0);

    const late = await simulateContact({ flow: timed, contact: CHAT, customer: [{ say: "yes", thinkMs: 301_000 }], runtime: { lex: lex.model } });
    expect(late.steps[0].branch).toBe("Error: InputTimeLimitExceeded");
    const inTime = await simulateContact({ flow: timed, contact: CHAT, customer: [{ say: "yes", thinkMs: 299_000 }], runtime: { lex: lex.model } });
    expect(inTime.steps[0].branch).toBe("Error: NoMatchingCondition");
  });

  it("keeps the Lex session across Lex blocks and merges each block's LexSessionAttributes on top", async () => {
    const twoBlocks = flow("first", [
      lexBlock("first", { text: "first", noMatch: "second", error: "end", sessionAttributes: { step: "1", contactId: "$.ContactId" } }),
      lexBlock("second", { text: "second", noMatch: "show", error: "end", sessionAttributes: { step: "2" } }),
      message("show", "$.Lex.SessionAttributes.step/$.Lex.SessionAttributes.turnId/$.Lex.SessionAttributes.contactId", "end"),
      disconnect(),
    ]);
    const lex = fakeLex((request) => ({
      intentName: "Any",
      sessionAttributes: { ...request.sessionAttributes, turnId: `t${request.sessionAttributes.step}` },
    }));
    const trace = assertCompleted(await simulateContact({ flow: twoBlocks, contact: CHAT, customer: ["a", "b"], runtime: { lex: lex.model } }));
    expect(lex.requests.map((request) => request.sessionAttributes)).toEqual([
      { step: "1", contactId: CHAT.contactId },
      // The session kept turnId from the first call; the second block overrides step.
      { step: "2", contactId: CHAT.contactId, turnId: "t1" },
    ]);
    expect(trace.transcript.at(-1)?.text).toBe(`2/t2/${CHAT.contactId}`);
  });

  it("stays in the block while the bot elicits a slot, then returns the intent", async () => {
    const lex = fakeLex((request) =>
      request.turnInBlock === 1
        ? { intentName: "Sales", dialogAction: "ElicitSlot", messages: [{ text: "Which product?" }] }
        : { intentName: "Sales", slots: { product: request.input } },
    );
    const trace = assertCompleted(await simulateContact({ flow: ask, contact: CHAT, customer: ["buy", { say: "fibre", thinkMs: 2000 }], runtime: { lex: lex.model } }));
    expect(lex.requests.map((request) => [request.turnInBlock, request.input])).toEqual([[1, "buy"], [2, "fibre"]]);
    expect(trace.transcript.at(-1)?.text).toBe("sales:  fibre");
    expect(trace.steps.filter((step) => step.actionId === "ask")).toHaveLength(1);
  });

  it("uses $.LanguageCode as the locale after UpdateContactData changes it", async () => {
    const setLanguage: FlowAction = {
      Identifier: "lang",
      Type: "UpdateContactData",
      Parameters: { LanguageCode: "$.Attributes.lang" },
      Transitions: { NextAction: "ask", Errors: [{ ErrorType: "NoMatchingError", NextAction: "end" }] },
    };
    const document = flow("lang", [setLanguage, ...ask.Actions]);
    const lex = fakeLex(() => ({ intentName: "Sales" }));
    const trace = await simulateContact({ flow: document, contact: { ...CHAT, attributes: { lang: "es_US" } }, customer: ["hola"], runtime: { lex: lex.model } });
    expect(lex.requests[0].locale).toBe("es_US");
    expect(trace.settings.contactData).toEqual({ LanguageCode: "es_US" });
  });

  it("accepts the classic LexBot parameter and refuses SSML prompts on chat", async () => {
    const classic = flow("ask", [
      {
        Identifier: "ask",
        Type: "ConnectParticipantWithLexBot",
        Parameters: { SSML: "<speak>Hi</speak>", LexBot: { Name: "Bot", Region: "us-west-2", Alias: "latest" } },
        Transitions: { NextAction: "end", Errors: [{ ErrorType: "NoMatchingError", NextAction: "end" }, { ErrorType: "NoMatchingCondition", NextAction: "end" }] },
      },
      disconnect(),
    ]);
    const lex = fakeLex(() => ({ intentName: "Any" }));
    const chat = await simulateContact({ flow: classic, contact: CHAT, customer: ["hi"], runtime: { lex: lex.model } });
    expect(chat.steps[0]).toMatchObject({ branch: "Error: NoMatchingError", note: expect.stringMatching(/voice only/) });
    const voice = await simulateContact({ flow: classic, contact: VOICE, customer: ["hi"], runtime: { lex: lex.model } });
    expect(voice.steps[0].branch).toBe("Error: NoMatchingCondition");
    expect(lex.requests[0]).toMatchObject({ aliasArn: "lex-v1:us-west-2:Bot:latest", botVersion: "V1", prompt: "<speak>Hi</speak>" });
  });

  it("VOICE silence: the bot gets no input after the no-input time", async () => {
    const lex = fakeLex((request) => ({ intentName: request.input === null ? "NoInput" : "Sales" }));
    const trace = await simulateContact({ flow: ask, contact: VOICE, customer: [{ silence: true }], runtime: { lex: lex.model } });
    expect(lex.requests[0]).toMatchObject({ input: null, atMs: 4000, inputMode: "Speech", requestAttributes: {} });
    expect(trace.steps[0].result).toBe("NoInput");
  });

  it("the customer leaving ends the contact; a compare on $.Lex.SessionAttributes drives the next turn", async () => {
    const loopBack = flow("ask", [
      lexBlock("ask", { text: "Ask me", noMatch: "tool", error: "end" }),
      compare("tool", "$.Lex.SessionAttributes.Tool", [["Equals", "HANDOFF", "end"]], "ask"),
      disconnect(),
    ]);
    const lex = fakeLex((request) => ({ intentName: "Fallback", sessionAttributes: { Tool: request.input === "agent" ? "HANDOFF" : "ANSWER" } }));
    const left = await simulateContact({ flow: loopBack, contact: CHAT, customer: ["q1", { disconnect: true, thinkMs: 5000 }], runtime: { lex: lex.model } });
    expect(left.outcome).toMatchObject({ kind: "customer-disconnected", actionId: "ask", atMs: 5500 });
    const handoff = await simulateContact({ flow: loopBack, contact: CHAT, customer: ["q1", "agent"], runtime: { lex: lex.model } });
    expect(handoff.outcome.kind).toBe("disconnected");
    expect(handoff.steps.map((step) => step.actionId)).toEqual(["ask", "tool", "ask", "tool", "end"]);
  });
});
