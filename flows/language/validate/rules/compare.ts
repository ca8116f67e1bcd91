/** Compare: one JSONPath naming a leaf under a known root, and at least one condition. */
import { checkReferenceRoot, jsonPathForm } from "../../json-path";
import { NUMERIC_OPERATORS, type ConditionOperator } from "../../operators";
import { hasPlaceholder } from "../../placeholders";
import type { ActionRule } from "../context";
import { asString, show } from "../values";

export const checkCompare: ActionRule = (action, { findings }) => {
  if (action.type !== "Compare") return;
  const raw = action.parameters.ComparisonValue;
  const value = asString(raw);
  if (raw !== undefined && value === undefined) {
    findings.error("compare-value", action.id, `ComparisonValue is ${show(raw)}, not a string`, 'give one JSONPath reference, e.g. "$.External.status"');
  } else if (value !== undefined) {
    const form = jsonPathForm(value);
    if (form.kind === "literal" || form.kind === "malformed") {
      findings.error("compare-value", action.id, `ComparisonValue is ${show(raw)}; it must be exactly one JSONPath reference (a literal or text around a reference is refused)`, 'compare one reference, e.g. "$.Attributes.tier", and put the literal in the condition operand');
    } else if (form.kind === "path") {
      const root = checkReferenceRoot(form);
      if (!root.ok && root.reason === "no-leaf") {
        findings.error("compare-value", action.id, `ComparisonValue "${value}" names the whole $.${form.root} object`, `name one field, e.g. "$.${form.root}.status" (KeyExists tests a key of an object-valued field)`);
      } else if (!root.ok) {
        // Refusal of invented roots is known from third-party publish tests only.
        findings.warning("compare-value", action.id, `ComparisonValue "${value}" starts at $.${form.root}, a root the validator does not know`, "check the root against the attribute list (External, Attributes, Lex, FlowAttributes, Wisdom, Views, Modules, ...)");
      }
    }
  }
  const conditions = action.transitions.Conditions ?? [];
  if (conditions.length === 0) {
    findings.error("compare-conditions", action.id, "Compare has no conditions", "add at least one condition; the NoMatchingCondition branch handles the rest");
  }
  for (const [i, c] of conditions.entries()) {
    const operand = c.Condition.Operands[0];
    const numeric = NUMERIC_OPERATORS.includes(c.Condition.Operator as ConditionOperator);
    if (numeric && operand !== undefined && operand.length > 0 && !hasPlaceholder(operand) && !Number.isFinite(Number(operand))) {
      findings.warning("condition-values", action.id, `Conditions[${i}] compares ${c.Condition.Operator} with "${operand}", which is not a number: the condition is always false`, "give a number as the operand");
    }
  }
};
