/** Generic condition checks: operator, one operand, no empty operand. */
import { CONDITION_OPERATORS, isConditionOperator } from "../../operators";
import type { ActionRule } from "../context";

export const checkConditions: ActionRule = (action, { findings }) => {
  for (const [i, branch] of (action.transitions.Conditions ?? []).entries()) {
    const { Operator: operator, Operands: operands } = branch.Condition;
    const where = `Conditions[${i}]`;
    if (!isConditionOperator(operator)) {
      findings.error("condition-operator", action.id, `${where} uses the operator "${operator}"`, `use one of ${CONDITION_OPERATORS.join(", ")} (compound operators are refused)`);
    }
    if (operands.length !== 1) {
      findings.error("condition-operands", action.id, `${where} has ${operands.length} operands`, "give exactly one operand; add another condition for another value");
    }
    if (operands.some((o) => o.length === 0)) {
      findings.error("operand-empty", action.id, `${where} (${operator}) has an empty operand; the service refuses it (Invalid branch)`, "give the value to compare with, or remove the condition");
    }
  }
};

/** Conditions of an action that only compares with Equals against a fixed set of values. */
export function checkEqualsOnly(
  action: Parameters<ActionRule>[0],
  context: Parameters<ActionRule>[1],
  what: string,
  allowed?: (operand: string) => boolean,
  allowedText?: string,
): void {
  for (const [i, branch] of (action.transitions.Conditions ?? []).entries()) {
    const { Operator: operator, Operands: operands } = branch.Condition;
    if (operator !== "Equals") {
      context.findings.error("condition-values", action.id, `Conditions[${i}] uses ${operator}; ${action.type} compares ${what} with Equals only`, `use "Equals"`);
    }
    const bad = allowed ? operands.filter((o) => o.length > 0 && !allowed(o)) : [];
    if (bad.length > 0) {
      context.findings.error("condition-values", action.id, `Conditions[${i}] compares with ${bad.map((o) => JSON.stringify(o)).join(", ")}, which ${action.type} never returns`, `use ${allowedText ?? "an allowed value"}`);
    }
  }
}
