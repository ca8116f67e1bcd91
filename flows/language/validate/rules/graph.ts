/** Identifiers, transition targets, reachability and the NextAction / terminal conventions. */
import { reachableFrom } from "../../graph";
import { identifierProblem } from "../../identifiers";
import { NEXT_ACTION_OPTIONAL, REAL_TYPES, TERMINAL_TYPES } from "../catalogue";
import type { RuleContext } from "../context";

export function checkIdentifiers({ flow, findings }: RuleContext): void {
  const seen = new Map<string, number>();
  for (const action of flow.actions) {
    const problem = identifierProblem(action.id);
    if (problem) findings.error("identifier-invalid", action.id, problem, "rename the action (and every transition to it)");
    const first = seen.get(action.id);
    if (first !== undefined) {
      findings.error("identifier-duplicate", action.id, `Actions[${action.index}] reuses the identifier of Actions[${first}]`, "give each action its own identifier");
    } else {
      seen.set(action.id, action.index);
    }
  }
}

export function checkTargets({ flow, findings }: RuleContext): void {
  const ids = new Set(flow.actions.map((a) => a.id));
  for (const action of flow.actions) {
    const t = action.transitions;
    const targets = [
      ...(t.NextAction !== undefined ? [["NextAction", t.NextAction]] : []),
      ...(t.Conditions ?? []).map((c) => [`the ${c.Condition.Operands.join(", ")} condition`, c.NextAction]),
      ...(t.Errors ?? []).map((e) => [`the ${e.ErrorType} error`, e.NextAction]),
    ];
    for (const [what, target] of targets) {
      if (target.length === 0) {
        findings.error("transition-target", action.id, `${what} has an empty target`, "point it at the Identifier of an action");
      } else if (!ids.has(target)) {
        findings.error("transition-target", action.id, `${what} leads to "${target}", which is not an action of this flow`, `define an action "${target}" or point the transition at an existing one`);
      }
    }
  }
}

export function checkReachability({ flow, findings }: RuleContext): void {
  if (flow.startAction === undefined) return;
  const reached = new Set(reachableFrom(flow.startAction, flow.actions.map((a) => ({ Identifier: a.id, Type: a.type, Transitions: a.transitions }))));
  if (reached.size === 0) return;
  for (const action of flow.actions) {
    if (!reached.has(action.id)) {
      findings.strictError("unreachable-action", action.id, `${action.type} is not reachable from StartAction "${flow.startAction}"`, "route a transition to it, or remove it");
    }
  }
}

export function checkTerminalConventions({ flow, findings }: RuleContext): void {
  for (const action of flow.actions) {
    const t = action.transitions;
    const branches = (t.Conditions?.length ?? 0) + (t.Errors?.length ?? 0);
    if (TERMINAL_TYPES.has(action.type)) {
      if (t.NextAction !== undefined || branches > 0) {
        findings.error("terminal-transitions", action.id, `${action.type} ends the flow but has transitions`, 'write "Transitions": {} (the service refuses transitions on it)');
      }
    } else if (t.NextAction === undefined && !NEXT_ACTION_OPTIONAL.has(action.type)) {
      // An unknown type with no transitions at all may be terminal; with branches it cannot be.
      if (branches > 0 || REAL_TYPES.has(action.type)) {
        findings.error("next-action-missing", action.id, `${action.type} has no Transitions.NextAction`, "set NextAction; where every outcome has a branch, repeat the fallback branch's target as consoles do");
      }
    }
  }
}
