/** Writable copies of flow documents, for tests that break real flows on purpose. */
import type { FlowDocument } from "../../../../flows/language";

export interface MutableCondition {
  NextAction: string;
  Condition: { Operator: string; Operands: string[] };
}

export interface MutableAction {
  Identifier: string;
  Type: string;
  Parameters: Record<string, unknown>;
  Transitions: { NextAction?: string; Conditions?: MutableCondition[]; Errors?: { NextAction: string; ErrorType: string }[] };
}

export interface MutableFlow {
  Version: string;
  StartAction: string;
  Metadata?: unknown;
  Actions: MutableAction[];
  Settings?: unknown;
}

export function mutable(document: FlowDocument): MutableFlow {
  return JSON.parse(JSON.stringify(document)) as MutableFlow;
}

/** The first action of a type; fails the test when there is none. */
export function firstOf(flow: MutableFlow, type: string): MutableAction {
  const found = flow.Actions.find((a) => a.Type === type);
  if (!found) throw new Error(`the flow has no ${type}`);
  return found;
}
