import { type InvocationContext, budgetMs } from "./invocation";
import { type LogFields, type Logger, createLogger, describeError, errorFields } from "./log";
import { type FailureKind, type RetryPolicy, type RetryResult, retryWithinDeadline } from "./retry";
import { type Lifecycle, type LifecycleAction, parseCustomResourceInput } from "./terraform-lifecycle";

/**
 * What every custom resource (Terraform aws_lambda_invocation, lifecycle_scope = "CRUD") shares: the run's
 * deadline from the Lambda context, AWS calls retried within it, the previous input read for cleanup,
 * and one handler shape that logs one line per outcome and fails loudly, so `terraform apply` stops with a
 * message naming the function, the action, what it changes and the AWS error.
 */

/** Time kept back from the Lambda timeout to log and return. */
export const RETURN_MARGIN_MS = 1_000;
/** Budget when the context does not say (tests, local runs). */
export const DEFAULT_BUDGET_MS = 120_000;
/** Control-plane APIs (Connect's association and phone number APIs, Lex model building, Q in Connect) have low request rates: back off generously. */
export const CUSTOM_RESOURCE_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 8_000, minAttemptMs: 1_000 };
/** One attempt of a control-plane call; a hung call is abandoned and retried while time remains. */
export const CUSTOM_RESOURCE_ATTEMPT_TIMEOUT_MS = 15_000;

/** One invocation of a custom resource. */
export interface CustomResourceRun {
  /** Epoch ms by which every call must have ended. */
  readonly deadlineMs: number;
  readonly log: Logger;
}

/**
 * One AWS call, retried on throttling, transient faults and a hung attempt with backoff until the run's
 * deadline; each failed attempt that will be retried logs a warning. `operation` gets the attempt's
 * abort signal and must build a fresh command per attempt (commands carry per-send middleware state).
 */
export function callAws<T>(run: CustomResourceRun, what: string, operation: (signal: AbortSignal) => Promise<T>): Promise<RetryResult<T>> {
  return retryWithinDeadline(operation, {
    deadlineMs: run.deadlineMs,
    policy: CUSTOM_RESOURCE_RETRY_POLICY,
    attemptTimeoutMs: CUSTOM_RESOURCE_ATTEMPT_TIMEOUT_MS,
    onFailure: (kind: FailureKind, error: unknown, attempt: number) => {
      if (kind === "throttled" || kind === "transient" || kind === "timeout") run.log.warn(`${what} failed; retrying while time allows`, { kind, attempt, ...errorFields(error) });
    },
  });
}

type Failed = Extract<RetryResult<unknown>, { ok: false }>;

/** The Error for a call that failed for good: what, the attempts, why it gave up, the AWS error (also its `cause`). */
export function callFailure(what: string, result: Failed): Error {
  const retried = result.attempts > 1 ? ` after ${result.attempts} attempts` : "";
  const gaveUp = result.kind === "throttled" || result.kind === "transient" || result.kind === "timeout" ? ` (${result.kind}, out of retries or time)` : "";
  return new Error(`${what} failed${retried}${gaveUp}: ${describeError(result.error)}`, { cause: result.error });
}

/** callAws that returns the value or throws callFailure. */
export async function callAwsOrThrow<T>(run: CustomResourceRun, what: string, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const result = await callAws(run, what, operation);
  if (!result.ok) throw callFailure(what, result);
  return result.value;
}

/** The previous input, read with the input's own reader; a problem only skips the cleanup it drives. */
export function readPrevious<T>(lifecycle: Lifecycle, read: (previous: Record<string, unknown>, where: string) => T): { previous?: T; previousIgnored?: string } {
  if (!lifecycle.previous) return lifecycle.previousIgnored ? { previousIgnored: lifecycle.previousIgnored } : {};
  try {
    return { previous: read(lifecycle.previous, "tf.prev_input.") };
  } catch (error) {
    return { previousIgnored: (error as Error).message };
  }
}

/** What every parsed custom-resource input carries. */
export interface CustomResourceInput {
  readonly action: LifecycleAction;
  /** Why tf.prev_input could not be read (it only drives cleanup, so it does not fail the call). */
  readonly previousIgnored?: string;
}

export interface CustomResourceSpec<I extends CustomResourceInput, R> {
  /** The function's name: the log lines' service and the first word of every error message. */
  readonly name: string;
  /** Checks the whole input before any call; throws an Error naming the bad field. */
  readonly parse: (event: unknown) => I;
  /** Fields naming what the run changes, on every line it logs. */
  readonly fields: (input: I) => LogFields;
  /** What an error message names after the action, e.g. "phone number <id>". */
  readonly subject: (input: I) => string;
  /** Logged (warn) when tf.prev_input is unusable: what is skipped. */
  readonly previousIgnored: string;
  readonly apply: (input: I, run: CustomResourceRun) => Promise<R>;
  /** The success line: its message and the fields it adds. */
  readonly applied: { readonly message: string; readonly fields?: (result: R) => LogFields };
  /** The failure line's message. */
  readonly failed: string;
}

/**
 * The Lambda handler of a custom resource: checks the input (an invalid one throws before any call),
 * runs `apply` within the invocation's time less RETURN_MARGIN_MS, logs one info line on success and one
 * error line on failure, and throws `<name> (<action>, <subject>): <what failed>`.
 */
export function customResourceHandler<I extends CustomResourceInput, R>(spec: CustomResourceSpec<I, R>): (event: unknown, context?: InvocationContext) => Promise<R> {
  const log = createLogger(spec.name);
  return async (event, context) => {
    const started = Date.now();
    const deadlineMs = started + budgetMs(context, { marginMs: RETURN_MARGIN_MS, fallbackMs: DEFAULT_BUDGET_MS });
    const input = parseCustomResourceInput(spec.name, event, spec.parse, log);
    const runLog = log.child({ action: input.action, ...spec.fields(input) });
    if (input.previousIgnored) runLog.warn(spec.previousIgnored, { detail: input.previousIgnored });
    try {
      const result = await spec.apply(input, { deadlineMs, log: runLog });
      runLog.info(spec.applied.message, { outcome: "OK", ...spec.applied.fields?.(result), durationMs: Date.now() - started });
      return result;
    } catch (error) {
      const message = `${spec.name} (${input.action}, ${spec.subject(input)}): ${(error as Error).message}`;
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      runLog.error(spec.failed, { outcome: "ERROR", detail: message, durationMs: Date.now() - started, ...errorFields(cause) });
      throw new Error(message);
    }
  };
}
