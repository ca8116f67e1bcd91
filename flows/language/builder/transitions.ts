/**
 * Writes `Transitions` the way console exports do: `NextAction`, then `Conditions` and `Errors` as
 * arrays (empty when there are none). Targets are references, resolved to identifiers through `link`,
 * which also records them for the build-time check.
 */
import type { ConditionOperator } from "../operators";
import type { FlowConditionBranch, FlowErrorBranch, FlowTransitions } from "../wire";
import type { ActionRef } from "./action-ref";
import { type ActionContext, fail } from "./values";

/** Resolves a reference to its identifier and records that the flow uses it. */
export type Link = (ref: ActionRef) => string;

export interface ConditionSpec {
  readonly operator: ConditionOperator;
  readonly operand: string;
  readonly next: ActionRef;
}

export interface TransitionSpec {
  readonly next: ActionRef;
  readonly conditions?: readonly ConditionSpec[];
  /** Error type and target, in the order they are written. */
  readonly errors?: readonly (readonly [errorType: string, target: ActionRef | undefined])[];
}

export function transitions(context: ActionContext, link: Link, spec: TransitionSpec): FlowTransitions {
  const conditions: FlowConditionBranch[] = (spec.conditions ?? []).map((c) => {
    if (typeof c.operand !== "string" || c.operand.length === 0) {
      fail(context, `a condition (${c.operator}) has the operand ${JSON.stringify(c.operand)}; the service refuses empty operands: give the value to compare with`);
    }
    return { NextAction: link(c.next), Condition: { Operator: c.operator, Operands: [c.operand] } };
  });
  const errors: FlowErrorBranch[] = (spec.errors ?? [])
    .filter((e): e is readonly [string, ActionRef] => e[1] !== undefined)
    .map(([errorType, target]) => ({ NextAction: link(target), ErrorType: errorType }));
  return { NextAction: link(spec.next), Conditions: conditions, Errors: errors };
}

/** Terminal actions (DisconnectParticipant, EndFlowExecution) have no transitions at all. */
export const TERMINAL_TRANSITIONS: FlowTransitions = Object.freeze({});

/** Refuses two branches with the same operand (the second could never be taken). */
export function distinctOperands(context: ActionContext, what: string, operands: readonly string[]): void {
  const seen = new Set<string>();
  for (const operand of operands) {
    if (seen.has(operand)) fail(context, `${what} "${operand}" is listed twice; the first branch always wins, so remove the second`);
    seen.add(operand);
  }
}
