import { budgetMs } from "../../../functions/shared/invocation";
import { type RetryPolicy, backoffDelay, classifyError, retryWithinDeadline } from "../../../functions/shared/retry";

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 40, maxDelayMs: 200, minAttemptMs: 30 };

function awsError(name: string, status?: number): Error {
  return Object.assign(new Error(name), { name, $metadata: status ? { httpStatusCode: status } : {} });
}

describe("classifyError", () => {
  test.each([
    [awsError("ThrottlingException", 429), "throttled"],
    [awsError("SomethingNew", 429), "throttled"],
    [awsError("ModelNotReadyException", 429), "transient"],
    [awsError("ServiceUnavailableException", 503), "transient"],
    [awsError("InternalServerException", 500), "transient"],
    [awsError("ModelTimeoutException", 408), "transient"],
    [Object.assign(new Error("socket"), { code: "ECONNRESET" }), "transient"],
    [new Error("AWS SDK error wrapper for Error [ERR_HTTP2_STREAM_ERROR]: Stream closed with error code NGHTTP2_INTERNAL_ERROR"), "transient"],
    [Object.assign(new Error("aborted"), { name: "AbortError" }), "timeout"],
    [awsError("ValidationException", 400), "permanent"],
    [awsError("AccessDeniedException", 403), "permanent"],
    [Object.assign(new SyntaxError("Unexpected token"), { $metadata: { httpStatusCode: 200 } }), "malformed"],
    ["a string", "permanent"],
    [null, "permanent"],
  ])("%p is %s", (error, kind) => {
    expect(classifyError(error)).toBe(kind);
  });
});

describe("backoffDelay", () => {
  test("grows exponentially with equal jitter and is capped", () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(20);
    expect(backoffDelay(1, policy, () => 1)).toBe(40);
    expect(backoffDelay(3, policy, () => 0)).toBe(80);
    expect(backoffDelay(10, policy, () => 1)).toBe(200);
  });
});

describe("retryWithinDeadline", () => {
  test("retries throttles and transient faults until success", async () => {
    let calls = 0;
    const result = await retryWithinDeadline(
      async () => {
        calls += 1;
        if (calls === 1) throw awsError("ThrottlingException", 429);
        if (calls === 2) throw awsError("ServiceUnavailableException", 503);
        return "ok";
      },
      { deadlineMs: Date.now() + 5_000, policy },
    );
    expect(result).toEqual({ ok: true, value: "ok", attempts: 3 });
  });
  test("does not retry a permanent failure", async () => {
    const failures: string[] = [];
    const result = await retryWithinDeadline(
      async () => {
        throw awsError("ValidationException", 400);
      },
      { deadlineMs: Date.now() + 5_000, policy, onFailure: (kind) => failures.push(kind) },
    );
    expect(result).toMatchObject({ ok: false, kind: "permanent", attempts: 1 });
    expect(failures).toEqual(["permanent"]);
  });
  test("stops at maxAttempts", async () => {
    const result = await retryWithinDeadline(
      async () => {
        throw awsError("ThrottlingException", 429);
      },
      { deadlineMs: Date.now() + 10_000, policy: { ...policy, maxAttempts: 3 } },
    );
    expect(result).toMatchObject({ ok: false, kind: "throttled", attempts: 3 });
  });
  test("never starts an attempt or sleeps past the deadline", async () => {
    const deadlineMs = Date.now() + 150;
    const starts: number[] = [];
    const result = await retryWithinDeadline(
      async () => {
        starts.push(Date.now());
        throw awsError("ThrottlingException", 429);
      },
      { deadlineMs, policy: { ...policy, maxAttempts: 100 } },
    );
    expect(result.ok).toBe(false);
    expect(Date.now()).toBeLessThanOrEqual(deadlineMs + 20);
    for (const start of starts) expect(start + policy.minAttemptMs).toBeLessThanOrEqual(deadlineMs + 5);
  });
  test("aborts an attempt that would outlive the deadline", async () => {
    const started = Date.now();
    const result = await retryWithinDeadline(
      (signal) =>
        new Promise((_, reject) => {
          signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" })));
        }),
      { deadlineMs: started + 120, policy },
    );
    expect(result).toMatchObject({ ok: false, kind: "timeout", attempts: 1 });
    expect(Date.now() - started).toBeLessThan(400);
  });
  test("makes no attempt when the deadline leaves too little time", async () => {
    let calls = 0;
    const result = await retryWithinDeadline(
      async () => {
        calls += 1;
        return 1;
      },
      { deadlineMs: Date.now() + 10, policy },
    );
    expect(result).toMatchObject({ ok: false, kind: "timeout", attempts: 0 });
    expect(calls).toBe(0);
  });
  test("an attempt cut short by attemptTimeoutMs is retried while time remains; the deadline still bounds the last", async () => {
    const started = Date.now();
    const attempts: number[] = [];
    const result = await retryWithinDeadline(
      (signal) =>
        new Promise((_, reject) => {
          attempts.push(Date.now() - started);
          signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" })));
        }),
      { deadlineMs: started + 300, policy, attemptTimeoutMs: 100, random: () => 0 },
    );
    expect(result).toMatchObject({ ok: false, kind: "timeout" });
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    expect(attempts[1]).toBeGreaterThanOrEqual(100);
    expect(Date.now() - started).toBeLessThan(450);
  });
  test("a hung attempt followed by a quick one succeeds", async () => {
    let calls = 0;
    const result = await retryWithinDeadline(
      (signal) => {
        calls += 1;
        if (calls > 1) return Promise.resolve("second");
        return new Promise<string>((_, reject) => signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }))));
      },
      { deadlineMs: Date.now() + 1_000, policy, attemptTimeoutMs: 50 },
    );
    expect(result).toEqual({ ok: true, value: "second", attempts: 2 });
  });
});

describe("budgetMs (the Lambda context)", () => {
  test("remaining time less the margin, capped, never negative; the fallback without a context", () => {
    const context = (ms: number) => ({ getRemainingTimeInMillis: () => ms });
    expect(budgetMs(context(10_000), { marginMs: 1_000, fallbackMs: 5 })).toBe(9_000);
    expect(budgetMs(context(10_000), { marginMs: 250, fallbackMs: 5, capMs: 2_500 })).toBe(2_500);
    expect(budgetMs(context(100), { marginMs: 250, fallbackMs: 5 })).toBe(0);
    expect(budgetMs(undefined, { marginMs: 250, fallbackMs: 2_500 })).toBe(2_500);
    expect(budgetMs({ getRemainingTimeInMillis: () => Number.NaN }, { marginMs: 250, fallbackMs: 7 })).toBe(7);
  });
});
