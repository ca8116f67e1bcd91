/** The Flow language kit: typed actions, the validator and the reader. */
export * from "./wire";
export * from "./actions";
export { CONDITION_OPERATORS, type ConditionOperator } from "./operators";
export { identifierProblem, MAX_IDENTIFIER_LENGTH, FORBIDDEN_IDENTIFIER_CHARACTERS, RESERVED_IDENTIFIERS } from "./identifiers";
export { FLOW_LIMITS } from "./limits";
export { hasPlaceholder } from "./placeholders";
export { jsonPathForm, isSingleJsonPath, type JsonPathForm } from "./json-path";
export { successors, reachableFrom } from "./graph";
export { readFlow, FlowReadError, type ReadFlowResult, type FlowFileShape } from "./read-flow";

export { validateFlow, assertValidFlow, FlowValidationError, type ValidateFlowOptions } from "./validate/validate-flow";
export { formatFinding, type FlowFinding, type FindingSeverity } from "./validate/findings";
export { FLOW_RULES, type FlowRule } from "./validate/rules";
export { REAL_TYPES, REJECTED_TYPES } from "./validate/catalogue";
