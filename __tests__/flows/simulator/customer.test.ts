import { assertCompleted, simulateContact } from "../../../flows/simulator";
import { CHAT, VOICE, disconnect, fakeLex, flow, lexBlock, message, wait } from "./support";

/** The scripted customer and the clock options. */
describe("scripted customer", () => {
  const chatLoop = flow("ask", [lexBlock("ask", { text: "Ask me", noMatch: "ask", error: "end" }), disconnect()]);
  const echo = fakeLex((request) => ({ intentName: "Any", messages: [{ text: `echo ${request.input}` }], durationMs: 1000 }));

  it("answers from the conversation so far (dynamic steps) and leaves when endWhen says so", async () => {
    const trace = await simulateContact({
      flow: chatLoop,
      contact: CHAT,
      customer: {
        steps: [
          "one",
          (view) => ({ say: `after "${view.transcript.filter((entry) => entry.from === "bot").at(-1)?.text}"`, thinkMs: 2000 }),
          "never sent",
        ],
        endWhen: (view) => view.messagesSent === 2,
      },
      runtime: { lex: echo.model },
    });
    expect(echo.requests.map((request) => request.input)).toEqual(["one", 'after "echo one"']);
    expect(trace.outcome).toMatchObject({ kind: "customer-disconnected", atMs: 4000 });
    expect(trace.turns.map((turn) => [turn.text, turn.sentAtMs, turn.firstResponseText])).toEqual([
      ["one", 0, "echo one"],
      ['after "echo one"', 3000, 'echo after "echo one"'],
    ]);
  });

  it("leaves when the steps run out, or stays silent until the chat's maximum duration", async () => {
    const leaves = await simulateContact({ flow: chatLoop, contact: CHAT, customer: ["only"], runtime: { lex: echo.model } });
    expect(leaves.outcome).toMatchObject({ kind: "customer-disconnected", atMs: 1000 });
    const silent = await simulateContact({
      flow: chatLoop,
      contact: CHAT,
      customer: { steps: ["only"], whenScriptEnds: "stay-silent" },
      runtime: { lex: echo.model },
      options: { chatDurationMs: 3_600_000 },
    });
    expect(silent.outcome).toMatchObject({ kind: "chat-duration-exceeded", atMs: 3_600_000 });
  });

  it("counts think time from when the flow listens; a message scheduled past a time-out goes to the next listener", async () => {
    const document = flow("wait", [
      wait("wait", "10", "ask", undefined, "end"),
      lexBlock("ask", { noMatch: "end", error: "end" }),
      disconnect(),
    ]);
    const lex = fakeLex(() => ({ intentName: "Any", durationMs: 100 }));
    // Think time counts from the Wait's start only when the Wait listens; this Wait does not, so the
    // customer starts thinking when the Lex block listens (at 10 s).
    const trace = await simulateContact({ flow: document, contact: CHAT, customer: [{ say: "hi", thinkMs: 4000 }], runtime: { lex: lex.model } });
    expect(lex.requests[0].atMs).toBe(14_000);
    expect(trace.outcome.kind).toBe("disconnected");

    const returning = flow("wait", [
      wait("wait", "10", "ask", "ask", "end"),
      lexBlock("ask", { noMatch: "end", error: "end" }),
      disconnect(),
    ]);
    // Scheduled at 25 s while the Wait listened (until 10 s); the Lex block gets it at 25 s.
    const late = await simulateContact({ flow: returning, contact: CHAT, customer: [{ say: "hi", thinkMs: 25_000 }], runtime: { lex: lex.model } });
    expect(late.steps[0].branch).toBe("Condition: Equals WaitCompleted");
    expect(late.transcript.map((entry) => [entry.atMs, entry.text])).toEqual([[25_000, "hi"]]);
  });

  it("adds Connect's per-action latency and voice prompt playback to the clock when asked", async () => {
    const document = flow("a", [message("a", "twelve chars", "b"), message("b", "x", "end"), disconnect()]);
    const trace = assertCompleted(
      await simulateContact({
        flow: document,
        contact: VOICE,
        options: { actionLatencyMs: 20, speechDurationMs: (text) => text.length * 100 },
      }),
    );
    expect(trace.transcript.map((entry) => entry.atMs)).toEqual([20, 1240]);
    expect(trace.steps.map((step) => [step.atMs, step.durationMs])).toEqual([
      [0, 1220],
      [1220, 120],
      [1340, 20],
    ]);
  });
});
