/**
 * Bounded retries for calls that must finish before a turn's deadline: jittered exponential backoff,
 * never sleeping or starting an attempt that could not end in time, and an abort signal per attempt so
 * a slow call cannot outlive the deadline.
 */

/** How a failed call is treated: throttles and transient faults are retried, the rest are final. */
export type FailureKind = "throttled" | "transient" | "timeout" | "malformed" | "permanent";

const THROTTLE_NAMES = new Set(["ThrottlingException", "TooManyRequestsException", "ThrottledException", "RequestLimitExceeded"]);
const TRANSIENT_NAMES = new Set([
  "ServiceUnavailableException",
  "InternalServerException",
  "InternalFailure",
  "ModelNotReadyException",
  "ModelTimeoutException",
  "BadGatewayException",
  "DependencyFailedException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "NetworkingError",
]);
const TRANSIENT_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ERR_HTTP2_STREAM_ERROR", "ERR_HTTP2_SESSION_ERROR", "ERR_HTTP2_GOAWAY_SESSION"]);

// The SDK sometimes wraps a network error into a plain Error whose message is all that is left of it.
const TRANSIENT_MESSAGE = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|ERR_HTTP2_(STREAM|SESSION)_ERROR|NGHTTP2_(INTERNAL_ERROR|REFUSED_STREAM|CANCEL)|GOAWAY/;

/** An abort signal that fires after `ms` milliseconds (rounded up, at least 1: the API needs an integer). */
export function timeoutSignal(ms: number): AbortSignal {
  return AbortSignal.timeout(Math.max(1, Math.ceil(Number.isFinite(ms) ? ms : 1)));
}

/** The name of an AWS SDK v3 error ("ResourceNotFoundException"), or "" for anything else. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "";
}

/** The resource (or what the call would change) does not exist. */
export function isNotFound(error: unknown): boolean {
  return errorName(error) === "ResourceNotFoundException";
}

/** Classifies an error thrown by an AWS SDK v3 call. */
export function classifyError(error: unknown): FailureKind {
  if (!error || typeof error !== "object") return "permanent";
  const e = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number }; $response?: unknown };
  const name = typeof e.name === "string" ? e.name : "";
  const status = e.$metadata?.httpStatusCode;
  if (name === "AbortError") return "timeout";
  // Bedrock answers ModelNotReady with HTTP 429 too; it is a warm-up condition, not a quota throttle.
  if (name === "ModelNotReadyException") return "transient";
  if (THROTTLE_NAMES.has(name) || status === 429) return "throttled";
  if (TRANSIENT_NAMES.has(name) || (typeof status === "number" && status >= 500)) return "transient";
  if (typeof e.code === "string" && TRANSIENT_CODES.has(e.code)) return "transient";
  if (typeof (e as { message?: unknown }).message === "string" && TRANSIENT_MESSAGE.test((e as { message: string }).message)) return "transient";
  // A 2xx whose body the SDK could not parse: the service answered, but not with something usable.
  if (name === "SyntaxError" || (typeof status === "number" && status < 300 && e.$response !== undefined)) return "malformed";
  return "permanent";
}

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** An attempt is not started with less time than this left before the deadline. */
  readonly minAttemptMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 2_000, minAttemptMs: 250 };

export type RetryResult<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | { readonly ok: false; readonly kind: FailureKind; readonly error: unknown; readonly attempts: number };

export interface RetryOptions {
  /** Epoch milliseconds by which the last attempt must have ended. */
  readonly deadlineMs: number;
  readonly policy?: RetryPolicy;
  /** Called after every failed attempt (metrics, logs). */
  readonly onFailure?: (kind: FailureKind, error: unknown, attempt: number) => void;
  /** Injected for tests of the backoff arithmetic; defaults to Math.random. */
  readonly random?: () => number;
  /**
   * Longest time one attempt may take. An attempt cut short by it (not by the deadline) counts as a
   * transient fault and is retried while attempts and time remain; its kind stays "timeout".
   * @default - an attempt may take until the deadline
   */
  readonly attemptTimeoutMs?: number;
}

/** Backoff before attempt `attempt + 1`: half fixed, half random ("equal jitter"), capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Runs `operation` until it succeeds, fails for good, runs out of attempts, or the deadline leaves no
 * room for another attempt. Each attempt gets a signal that aborts at the deadline.
 */
export async function retryWithinDeadline<T>(operation: (signal: AbortSignal, attempt: number) => Promise<T>, options: RetryOptions): Promise<RetryResult<T>> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const random = options.random ?? Math.random;
  let attempt = 0;
  let last: { kind: FailureKind; error: unknown } = { kind: "timeout", error: new Error("no time left for a first attempt") };
  while (attempt < policy.maxAttempts) {
    const remaining = options.deadlineMs - Date.now();
    if (remaining < policy.minAttemptMs) break;
    attempt += 1;
    const attemptMs = options.attemptTimeoutMs === undefined ? remaining : Math.min(remaining, options.attemptTimeoutMs);
    try {
      const value = await operation(timeoutSignal(attemptMs), attempt);
      return { ok: true, value, attempts: attempt };
    } catch (error) {
      const kind = classifyError(error);
      last = { kind, error };
      options.onFailure?.(kind, error, attempt);
      // An attempt that hit its own limit with time left before the deadline is retried like a transient fault.
      const attemptTimedOut = kind === "timeout" && attemptMs < remaining;
      if (kind !== "throttled" && kind !== "transient" && !attemptTimedOut) break;
      const delay = backoffDelay(attempt, policy, random);
      if (Date.now() + delay + policy.minAttemptMs > options.deadlineMs) break;
      await sleep(delay);
    }
  }
  return { ok: false, kind: last.kind, error: last.error, attempts: attempt };
}
