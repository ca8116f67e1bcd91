/**
 * Condition operators the service accepts: the eight documented ones plus `KeyExists`. Each takes
 * exactly one operand; compound operators (`And`, `Or`, `Not`, ...) are refused.
 */
export const CONDITION_OPERATORS = [
  "Equals",
  "TextStartsWith",
  "TextEndsWith",
  "TextContains",
  "NumberGreaterThan",
  "NumberGreaterOrEqualTo",
  "NumberLessThan",
  "NumberLessOrEqualTo",
  "KeyExists",
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export function isConditionOperator(value: string): value is ConditionOperator {
  return (CONDITION_OPERATORS as readonly string[]).includes(value);
}

/** Operators that compare numbers: a literal operand must then be a number. */
export const NUMERIC_OPERATORS: readonly ConditionOperator[] = [
  "NumberGreaterThan",
  "NumberGreaterOrEqualTo",
  "NumberLessThan",
  "NumberLessOrEqualTo",
];
