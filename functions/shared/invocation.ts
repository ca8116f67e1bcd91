import { type Context } from "aws-lambda";

/**
 * The part of the Lambda context the handlers use, one type for every handler. Optional and checked, so
 * handlers also run when a caller (a test, a console test event) passes no context.
 */
export type InvocationContext = Partial<Pick<Context, "getRemainingTimeInMillis" | "awsRequestId">>;

/** Milliseconds before Lambda stops the invocation, or `fallbackMs` when unknown. */
export function remainingTimeMs(context: InvocationContext | undefined, fallbackMs: number): number {
  const known = knownRemainingMs(context);
  return known ?? fallbackMs;
}

function knownRemainingMs(context: InvocationContext | undefined): number | undefined {
  try {
    const remaining = context?.getRemainingTimeInMillis?.();
    return typeof remaining === "number" && Number.isFinite(remaining) ? remaining : undefined;
  } catch {
    return undefined;
  }
}

export interface BudgetOptions {
  /** Kept free before Lambda's timeout (to log and return). */
  readonly marginMs: number;
  /** The budget when the remaining time is unknown (no context); the margin does not apply to it. */
  readonly fallbackMs: number;
  /** The longest budget, whatever time is left. @default no cap */
  readonly capMs?: number;
}

/** Milliseconds this invocation may spend from now: Lambda's remaining time less the margin, capped, never negative. */
export function budgetMs(context: InvocationContext | undefined, options: BudgetOptions): number {
  const known = knownRemainingMs(context);
  const budget = known === undefined ? options.fallbackMs : known - options.marginMs;
  return Math.max(0, Math.min(options.capMs ?? Number.POSITIVE_INFINITY, budget));
}

export function requestIdOf(context: InvocationContext | undefined): string | undefined {
  return typeof context?.awsRequestId === "string" ? context.awsRequestId : undefined;
}
