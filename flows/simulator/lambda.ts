/**
 * InvokeLambdaFunction (reference §4.4, limits §5).
 *
 * SYNCHRONOUS: the time limit is 1-8 s. The invoker gets the event Connect sends and the time left; the
 * block succeeds only with a result within the limit that passes ResponseValidation (STRING_MAP, the
 * default: a flat map of strings; JSON: any object), below 32 KB. Success replaces `$.External`
 * wholesale; any failure (invoker error, throttling, invalid result, late result) takes the error branch
 * at the time it is known (a late result: at the limit) and leaves `$.External` as it was.
 * Connect's retry of throttles and 5xx within the limit is `SimulationOptions.lambdaRetries` (off).
 *
 * ASYNCHRONOUS: the limit is up to 60 s; the contact moves on at once with the invocation id in
 * `$.LambdaInvocation.InvocationId`; the invocation's outcome is recorded but does not change the flow
 * (the Wait "Lambda returned" event and "Load Lambda result" are not modelled).
 */
import type { ActionHandler, ActionOutcome, RunContext } from "./context";
import { toText } from "./references";
import type { ContactFlowEvent, LambdaInvocationResponse } from "./runtime";
import type { LambdaCallOutcome, LambdaCallRecord } from "./trace";

const SYNC_MAX_SECONDS = 8;
const ASYNC_MAX_SECONDS = 60;
const RESULT_MAX_BYTES = 32 * 1024;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Why a result fails ResponseValidation, or undefined when it passes. */
export function invalidLambdaResult(result: unknown, responseType: "STRING_MAP" | "JSON"): string | undefined {
  if (!isPlainObject(result)) return `the result is ${result === null ? "null" : Array.isArray(result) ? "an array" : typeof result}, not an object`;
  if (responseType === "STRING_MAP") {
    const bad = Object.entries(result).find(([, value]) => typeof value !== "string");
    if (bad) return `STRING_MAP: "${bad[0]}" is ${bad[1] === null ? "null" : typeof bad[1]}, not a string`;
  }
  const bytes = Buffer.byteLength(JSON.stringify(result), "utf8");
  if (bytes >= RESULT_MAX_BYTES) return `the result is ${bytes} bytes; Connect accepts less than 32 KB`;
  return undefined;
}

export function contactFlowEvent(context: RunContext, parameters: Record<string, string>): ContactFlowEvent {
  const { state } = context;
  return {
    Name: "ContactFlowEvent",
    Details: {
      ContactData: {
        ContactId: state.contactId,
        InitialContactId: state.initialContactId,
        PreviousContactId: state.initialContactId,
        Channel: state.channel,
        LanguageCode: state.languageCode,
        InitiationMethod: state.initiationMethod,
        InstanceARN: state.instanceArn,
        CustomerEndpoint: state.customerEndpoint
          ? { Address: state.customerEndpoint.address, Type: state.customerEndpoint.type }
          : null,
        SystemEndpoint: null,
        Queue: state.queue ? { ARN: state.queue.id, Name: "" } : null,
        Attributes: { ...state.attributes },
        MediaStreams: { Customer: { Audio: null } },
      },
      Parameters: parameters,
    },
  };
}

function nonNegative(ms: unknown): number {
  return typeof ms === "number" && Number.isFinite(ms) && ms > 0 ? ms : 0;
}

export const invokeLambdaFunction: ActionHandler = async (context, action, parameters): Promise<ActionOutcome> => {
  const { state, clock, options } = context;
  const functionArn = toText(parameters.LambdaFunctionARN);
  const invocationType = toText(parameters.InvocationType) || "SYNCHRONOUS"; // default assumed (reference §4.4)
  if (invocationType !== "SYNCHRONOUS" && invocationType !== "ASYNCHRONOUS") {
    return { branch: { kind: "fail", code: "invalid-parameter", message: `InvokeLambdaFunction "${action.Identifier}": InvocationType "${invocationType}"` } };
  }
  const maxSeconds = invocationType === "SYNCHRONOUS" ? SYNC_MAX_SECONDS : ASYNC_MAX_SECONDS;
  const rawLimit = parameters.InvocationTimeLimitSeconds;
  const seconds = rawLimit === undefined ? maxSeconds : Number(toText(rawLimit));
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > maxSeconds) {
    return {
      branch: {
        kind: "fail",
        code: "invalid-parameter",
        message: `InvokeLambdaFunction "${action.Identifier}": InvocationTimeLimitSeconds "${toText(rawLimit)}" is not 1-${maxSeconds} (reference §4.4)`,
      },
    };
  }
  const limitMs = seconds * 1000;
  const validation = parameters.ResponseValidation;
  const responseType =
    isPlainObject(validation) && validation.ResponseType === "JSON" ? ("JSON" as const) : ("STRING_MAP" as const);
  const lambdaParameters: Record<string, string> = {};
  if (isPlainObject(parameters.LambdaInvocationAttributes)) {
    for (const [key, value] of Object.entries(parameters.LambdaInvocationAttributes)) lambdaParameters[key] = toText(value);
  }
  if (functionArn === "") return { branch: { kind: "error", errorType: "NoMatchingError" }, note: "no function ARN (unresolved reference?)" };
  const invoker = context.runtime.lambda;
  if (!invoker) {
    return { branch: { kind: "fail", code: "missing-runtime", message: `InvokeLambdaFunction "${action.Identifier}" needs runtime.lambda` } };
  }

  const startMs = clock.nowMs;
  const event = contactFlowEvent(context, lambdaParameters);
  const attempts: number[] = [];
  let elapsed = 0;
  let outcome: LambdaCallOutcome = "error";
  let result: unknown;
  let error: string | undefined;
  let requestId: string | undefined;
  for (let attempt = 1; ; attempt += 1) {
    let response: LambdaInvocationResponse;
    try {
      response = await invoker({
        functionArn,
        invocationType,
        event,
        timeLimitMs: limitMs - elapsed,
        responseType,
        attempt,
        atMs: startMs + elapsed,
        contactId: state.contactId,
        actionId: action.Identifier,
        flow: context.flow.name,
      });
    } catch (thrown) {
      response = { error: { kind: "function", message: (thrown as Error)?.message ?? String(thrown) }, durationMs: 0 };
    }
    const took = nonNegative(response.durationMs);
    attempts.push(took);
    requestId = response.requestId ?? requestId;
    if (elapsed + took > limitMs) {
      elapsed = limitMs;
      outcome = "timeout";
      error = `no result within the ${seconds} s limit (attempt ${attempt} took ${took} ms)`;
      break;
    }
    elapsed += took;
    if ("error" in response) {
      const retryable = response.error.kind === "throttled" || response.error.kind === "service";
      if (retryable && invocationType === "SYNCHRONOUS" && attempt <= options.lambdaRetries && elapsed < limitMs) continue;
      outcome = "error";
      error = `${response.error.kind}: ${response.error.message}`;
      break;
    }
    const invalid = invalidLambdaResult(response.result, responseType);
    if (invalid !== undefined) {
      outcome = "invalid-response";
      error = invalid;
      result = response.result;
      break;
    }
    outcome = "ok";
    result = response.result;
    break;
  }

  const record: Omit<LambdaCallRecord, "seq" | "flow" | "invocationId"> = {
    actionId: action.Identifier,
    atMs: startMs,
    functionArn,
    invocationType,
    parameters: lambdaParameters,
    timeLimitMs: limitMs,
    durationMs: elapsed,
    attemptDurationsMs: attempts,
    outcome,
    ...(result !== undefined ? { result } : {}),
    ...(error !== undefined ? { error } : {}),
  };
  if (invocationType === "ASYNCHRONOUS") {
    const invocationId = requestId ?? context.nextId("lambda-invocation");
    state.lambdaInvocationId = invocationId;
    context.recordLambda({ ...record, invocationId });
    return { branch: { kind: "next" }, note: `asynchronous invocation ${invocationId} (${outcome}); the contact did not wait` };
  }

  clock.advanceBy(elapsed);
  context.recordLambda(record);
  if (outcome !== "ok") return { branch: { kind: "error", errorType: "NoMatchingError" }, note: `lambda ${outcome}: ${error ?? ""}` };
  state.external = { ...(result as Record<string, unknown>) };
  return { branch: { kind: "next" }, ...(attempts.length > 1 ? { note: `succeeded on attempt ${attempts.length}` } : {}) };
};
