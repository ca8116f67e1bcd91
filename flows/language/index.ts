/** The Flow language kit: typed actions, the builder, the validator, the reader and Mermaid rendering. */
export * from "./wire";
export * from "./actions";
export { CONDITION_OPERATORS, type ConditionOperator } from "./operators";
export { identifierProblem, MAX_IDENTIFIER_LENGTH, FORBIDDEN_IDENTIFIER_CHARACTERS, RESERVED_IDENTIFIERS } from "./identifiers";
export { FLOW_LIMITS } from "./limits";
export { hasPlaceholder } from "./placeholders";
export { jsonPathForm, isSingleJsonPath, type JsonPathForm } from "./json-path";
export { layoutFlow, LAYOUT } from "./layout";
export { successors, reachableFrom } from "./graph";
export { flowToMermaid, actionSummary, type MermaidOptions } from "./mermaid";
export { readFlow, FlowReadError, type ReadFlowResult, type FlowFileShape } from "./read-flow";

export { FlowBuilder, type FlowBuilderOptions } from "./builder/flow-builder";
export type { ActionRef } from "./builder/action-ref";
export { FlowBuildError, FlowInputError } from "./builder/errors";
export type { FlowNumber } from "./builder/values";
export type { MessageInput } from "./builder/message-input";
export type {
  MessageParticipantInput,
  GetParticipantInputInput,
  DtmfMenuInput,
  DtmfStoreInput,
  DtmfKey,
  ConnectParticipantWithLexBotInput,
  ShowViewInput,
} from "./builder/participant-actions";
export type { CompareInput, CompareBranch, LoopInput, WaitInput } from "./builder/control-actions";
export type { InvokeLambdaFunctionInput, CreateWisdomSessionInput } from "./builder/integration-actions";
export type {
  UpdateContactAttributesInput,
  UpdateContactEventHooksInput,
  UpdateContactDataInput,
  UpdateContactTargetQueueInput,
  TransferContactToQueueInput,
  UpdateFlowLoggingBehaviorInput,
  UpdateContactRecordingBehaviorInput,
  UpdateContactTextToSpeechVoiceInput,
} from "./builder/contact-actions";
export type { CustomActionInput } from "./builder/custom-action";

export { validateFlow, assertValidFlow, FlowValidationError, type ValidateFlowOptions } from "./validate/validate-flow";
export { formatFinding, type FlowFinding, type FindingSeverity } from "./validate/findings";
export { FLOW_RULES, type FlowRule } from "./validate/rules";
export { REAL_TYPES, REJECTED_TYPES } from "./validate/catalogue";
