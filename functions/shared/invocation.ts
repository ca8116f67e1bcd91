import { type Context } from "aws-lambda";

/**
 * The part of the Lambda context the handlers use. Optional and checked, so handlers also run when a
 * caller (a test, a console test event) passes no context.
 */
export type InvocationContext = Partial<Pick<Context, "getRemainingTimeInMillis" | "awsRequestId">>;

/** Milliseconds before Lambda stops the invocation, or `fallbackMs` when unknown. */
export function remainingTimeMs(context: InvocationContext | undefined, fallbackMs: number): number {
  try {
    const remaining = context?.getRemainingTimeInMillis?.();
    return typeof remaining === "number" && Number.isFinite(remaining) ? remaining : fallbackMs;
  } catch {
    return fallbackMs;
  }
}

export function requestIdOf(context: InvocationContext | undefined): string | undefined {
  return typeof context?.awsRequestId === "string" ? context.awsRequestId : undefined;
}
