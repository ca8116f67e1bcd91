import { type FlowAction, assertCompleted, simulateContact } from "../../../flows/simulator";
import { CHAT, LAMBDA_ARN, disconnect, fakeLambda, flow, lambda, message } from "./support";

/** Reference §4.4 (InvokeLambdaFunction) and §3 (`$.External`). */
describe("InvokeLambdaFunction", () => {
  // Two invocations; after each, say what $.External holds.
  const twice = flow("first", [
    lambda("first", "say1", "err1", { LambdaInvocationAttributes: { turn: "1", who: "$.Attributes.customerName" } }),
    message("say1", "status=$.External.status answer=$.External.answer", "second"),
    message("err1", "first failed", "second"),
    lambda("second", "say2", "err2", { LambdaInvocationAttributes: { turn: "2" } }, "3"),
    message("say2", "status=$.External.status answer=$.External.answer", "end"),
    message("err2", "second failed; status=$.External.status answer=$.External.answer", "end"),
    disconnect(),
  ]);

  it("sends the event Connect sends, with the resolved parameters and the time limit", async () => {
    const { invoker, requests } = fakeLambda([{ result: { status: "READY" }, durationMs: 200 }]);
    await simulateContact({
      flow: twice,
      contact: { ...CHAT, attributes: { customerName: "Ana" }, languageCode: "fr_FR" },
      runtime: { lambda: invoker },
    });
    expect(requests[0]).toMatchObject({
      functionArn: LAMBDA_ARN,
      invocationType: "SYNCHRONOUS",
      timeLimitMs: 8000,
      responseType: "STRING_MAP",
      attempt: 1,
      atMs: 0,
      actionId: "first",
    });
    expect(requests[0].event).toEqual({
      Name: "ContactFlowEvent",
      Details: {
        ContactData: expect.objectContaining({
          ContactId: CHAT.contactId,
          InitialContactId: CHAT.contactId,
          Channel: "CHAT",
          LanguageCode: "fr_FR",
          CustomerEndpoint: null,
          Attributes: { customerName: "Ana" },
          InstanceARN: expect.stringMatching(/^arn:aws:connect:/),
        }),
        Parameters: { turn: "1", who: "Ana" },
      },
    });
    expect(requests[1].timeLimitMs).toBe(3000);
    expect(requests[1].atMs).toBe(200);
  });

  it("replaces $.External wholesale on each success", async () => {
    const { invoker } = fakeLambda([
      { result: { status: "PENDING", answer: "soon" }, durationMs: 100 },
      { result: { status: "READY" }, durationMs: 100 },
    ]);
    const trace = assertCompleted(await simulateContact({ flow: twice, contact: CHAT, runtime: { lambda: invoker } }));
    expect(trace.transcript.map((entry) => entry.text)).toEqual(["status=PENDING answer=soon", "status=READY answer="]);
    expect(trace.steps.find((step) => step.actionId === "say2")?.unresolved).toEqual(["$.External.answer"]);
  });

  it("keeps $.External unchanged when the invocation fails (error, throttling, invalid result)", async () => {
    for (const failure of [
      { error: { kind: "function" as const, message: "boom" }, durationMs: 50 },
      { error: { kind: "throttled" as const, message: "Rate exceeded" }, durationMs: 10 },
      { result: { status: "READY", count: 3 }, durationMs: 50 },
      { result: "READY", durationMs: 50 },
    ]) {
      const { invoker } = fakeLambda([{ result: { status: "PENDING", answer: "soon" }, durationMs: 100 }, failure]);
      const trace = assertCompleted(await simulateContact({ flow: twice, contact: CHAT, runtime: { lambda: invoker } }));
      expect(trace.transcript.map((entry) => entry.text)).toEqual([
        "status=PENDING answer=soon",
        "second failed; status=PENDING answer=soon",
      ]);
      expect(trace.steps.find((step) => step.actionId === "second")?.branch).toBe("Error: NoMatchingError");
    }
  });

  it("records why a result fails STRING_MAP validation", async () => {
    const { invoker } = fakeLambda([{ result: { status: "READY", nested: { a: "b" } }, durationMs: 100 }]);
    const trace = await simulateContact({ flow: twice, contact: CHAT, runtime: { lambda: invoker } });
    expect(trace.lambdaCalls[0]).toMatchObject({ outcome: "invalid-response", error: 'STRING_MAP: "nested" is object, not a string' });
  });

  it("counts a thrown invoker error as a function error", async () => {
    const trace = await simulateContact({
      flow: twice,
      contact: CHAT,
      runtime: {
        lambda: () => {
          throw new Error("handler crashed");
        },
      },
    });
    expect(trace.lambdaCalls[0]).toMatchObject({ outcome: "error", error: "function: handler crashed", durationMs: 0 });
  });

  it("takes the error branch at the limit when the result comes later than InvocationTimeLimitSeconds", async () => {
    const { invoker } = fakeLambda([
      { result: { status: "PENDING", answer: "soon" }, durationMs: 1000 },
      { result: { status: "READY", answer: "late" }, durationMs: 6500 }, // the second block allows 3 s
    ]);
    const trace = assertCompleted(await simulateContact({ flow: twice, contact: CHAT, runtime: { lambda: invoker } }));
    const second = trace.steps.find((step) => step.actionId === "second");
    expect(second).toMatchObject({ atMs: 1000, durationMs: 3000, branch: "Error: NoMatchingError" });
    expect(trace.lambdaCalls[1]).toMatchObject({ outcome: "timeout", durationMs: 3000, attemptDurationsMs: [6500], timeLimitMs: 3000 });
    expect(trace.transcript[1]).toMatchObject({ atMs: 4000, text: "second failed; status=PENDING answer=soon" });
  });

  it("retries throttles and 5xx within the limit only when the retry option is on", async () => {
    const responses = [
      { result: { status: "ok" }, durationMs: 100 },
      { error: { kind: "throttled" as const, message: "Rate exceeded" }, durationMs: 500 },
      { error: { kind: "service" as const, message: "503" }, durationMs: 500 },
      { result: { status: "READY", answer: "after retries" }, durationMs: 800 },
    ];
    const off = fakeLambda(responses);
    const withoutRetries = await simulateContact({ flow: twice, contact: CHAT, runtime: { lambda: off.invoker } });
    expect(withoutRetries.lambdaCalls[1]).toMatchObject({ outcome: "error", attemptDurationsMs: [500] });

    const on = fakeLambda(responses);
    const withRetries = assertCompleted(
      await simulateContact({ flow: twice, contact: CHAT, runtime: { lambda: on.invoker }, options: { lambdaRetries: 3 } }),
    );
    expect(withRetries.lambdaCalls[1]).toMatchObject({ outcome: "ok", attemptDurationsMs: [500, 500, 800], durationMs: 1800 });
    expect(on.requests.slice(1).map((request) => [request.attempt, request.timeLimitMs, request.atMs])).toEqual([
      [1, 3000, 100],
      [2, 2500, 600],
      [3, 2000, 1100],
    ]);
    expect(withRetries.transcript.map((entry) => entry.text)).toContain("status=READY answer=after retries");
  });

  it("stops retrying when the retries use up the limit", async () => {
    const { invoker } = fakeLambda((request) =>
      request.actionId === "first"
        ? { result: { status: "ok" }, durationMs: 0 }
        : { error: { kind: "throttled", message: "Rate exceeded" }, durationMs: 1200 },
    );
    const trace = await simulateContact({ flow: twice, contact: CHAT, runtime: { lambda: invoker }, options: { lambdaRetries: 3 } });
    expect(trace.lambdaCalls[1]).toMatchObject({ outcome: "timeout", durationMs: 3000, attemptDurationsMs: [1200, 1200, 1200] });
  });

  it("fails the run for a synchronous limit outside 1-8 s", async () => {
    const trace = await simulateContact({
      flow: flow("fn", [lambda("fn", "end", "end", {}, "9"), disconnect()]),
      contact: CHAT,
      runtime: { lambda: fakeLambda([]).invoker },
    });
    expect(trace.outcome).toMatchObject({ kind: "failed", code: "invalid-parameter" });
  });

  it("ASYNCHRONOUS: the contact moves on at once with $.LambdaInvocation.InvocationId; $.External is untouched", async () => {
    const asyncInvoke: FlowAction = {
      ...lambda("fn", "say", "end", { InvocationType: "ASYNCHRONOUS", InvocationTimeLimitSeconds: "60" }),
    };
    const document = flow("fn", [asyncInvoke, message("say", "id=$.LambdaInvocation.InvocationId ext=$.External.status", "end"), disconnect()]);
    const { invoker, requests } = fakeLambda([{ result: { status: "READY" }, durationMs: 30_000, requestId: "req-1" }]);
    const trace = assertCompleted(await simulateContact({ flow: document, contact: CHAT, runtime: { lambda: invoker } }));
    expect(requests[0]).toMatchObject({ invocationType: "ASYNCHRONOUS", timeLimitMs: 60_000 });
    expect(trace.transcript[0]).toMatchObject({ atMs: 0, text: "id=req-1 ext=" });
    expect(trace.lambdaCalls[0]).toMatchObject({ invocationId: "req-1", outcome: "ok", durationMs: 30_000 });
  });
});
