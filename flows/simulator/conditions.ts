/**
 * Condition operators (reference §2 "Condition object and operators", and §9.1 for `KeyExists`): the
 * eight documented unary operators plus `KeyExists`, each with one operand. Conditions are evaluated
 * in order and the first true one wins (reference §2, Transitions).
 */
import { toText } from "./references";

import { isConditionOperator } from "../language/operators";

export { CONDITION_OPERATORS, type ConditionOperator, isConditionOperator } from "../language/operators";

/** A number, or undefined when the text is not numeric ("false if either side is not numeric", §2). */
function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const text = toText(value).trim();
  if (text === "") return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

function compareNumbers(value: unknown, operand: unknown, test: (a: number, b: number) => boolean): boolean {
  const a = numberOf(value);
  const b = numberOf(operand);
  return a !== undefined && b !== undefined && test(a, b);
}

/**
 * Whether `value` (an action's result: a compared value, an intent name, a loop or view result)
 * satisfies `Operator Operands[0]`.
 * @throws Error for an operator the language does not have
 */
export function evaluateCondition(value: unknown, operator: string, operand: unknown): boolean {
  if (!isConditionOperator(operator)) throw new Error(`unknown condition operator "${operator}"`);
  const text = toText(value);
  const expected = toText(operand);
  switch (operator) {
    case "Equals":
      return text === expected;
    case "TextStartsWith":
      return text.startsWith(expected);
    case "TextEndsWith":
      return text.endsWith(expected);
    case "TextContains":
      return text.includes(expected);
    case "NumberGreaterThan":
      return compareNumbers(value, operand, (a, b) => a > b);
    case "NumberGreaterOrEqualTo":
      return compareNumbers(value, operand, (a, b) => a >= b);
    case "NumberLessThan":
      return compareNumbers(value, operand, (a, b) => a < b);
    case "NumberLessOrEqualTo":
      return compareNumbers(value, operand, (a, b) => a <= b);
    case "KeyExists":
      return (
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        Object.prototype.hasOwnProperty.call(value, expected)
      );
  }
}
