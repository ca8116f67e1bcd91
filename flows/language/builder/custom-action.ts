/**
 * Any other action type (CheckHoursOfOperation, InvokeFlowModule, UpdateFlowAttributes, ...), written
 * as given but with reference-checked transitions. The validator checks the result like any flow.
 */
import type { ConditionOperator } from "../operators";
import type { FlowAction, JsonObject } from "../wire";
import type { ActionRef } from "./action-ref";
import { type Link, TERMINAL_TRANSITIONS, transitions } from "./transitions";
import { type ActionContext, fail } from "./values";

export interface CustomActionInput {
  /** The exact service type name, e.g. "CheckHoursOfOperation". */
  readonly type: string;
  /** Wire parameters, written as given (scalars as strings, as consoles write them). @default {} */
  readonly parameters?: JsonObject;
  /** The NextAction. Leave it out, with no branches, for a terminal action. @default terminal */
  readonly next?: ActionRef;
  /** Condition branches in evaluation order. @default none */
  readonly conditions?: readonly { readonly operator?: ConditionOperator; readonly operand: string; readonly next: ActionRef }[];
  /** Error branches. @default none */
  readonly errors?: readonly { readonly errorType: string; readonly next: ActionRef }[];
}

export function customAction(id: string, input: CustomActionInput, link: Link): FlowAction {
  const context: ActionContext = { type: input.type || "custom action", id };
  if (typeof input.type !== "string" || !/^[A-Za-z]+$/.test(input.type)) {
    fail(context, `type is ${JSON.stringify(input.type)}; give the exact service type name, e.g. "CheckHoursOfOperation"`);
  }
  const conditions = input.conditions ?? [];
  const errors = input.errors ?? [];
  if (input.next === undefined && (conditions.length > 0 || errors.length > 0)) {
    fail(context, "has branches but no next; every non-terminal action needs a NextAction (consoles repeat a branch target)");
  }
  return {
    Parameters: input.parameters ?? {},
    Identifier: id,
    Type: input.type,
    Transitions:
      input.next === undefined
        ? TERMINAL_TRANSITIONS
        : transitions(context, link, {
            next: input.next,
            conditions: conditions.map((c) => ({ operator: c.operator ?? "Equals", operand: c.operand, next: c.next })),
            errors: errors.map((e) => [e.errorType, e.next] as const),
          }),
  };
}
