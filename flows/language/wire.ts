/**
 * The Flow language document as Amazon Connect stores it (Version "2019-10-30"). These types describe
 * any flow, including ones with action types the kit does not model: the validator reads arbitrary
 * files. The typed actions the builder writes are in `actions.ts`.
 */

/** The only Flow language version the service accepts. */
export const FLOW_LANGUAGE_VERSION = "2019-10-30";

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | JsonObject;
export type JsonObject = { readonly [key: string]: JsonValue };

/** One test of an action's result, e.g. `{Operator: "Equals", Operands: ["Sales"]}`. */
export interface FlowCondition {
  readonly Operator: string;
  readonly Operands: readonly string[];
}

/** A condition branch: the first condition (in list order) that holds chooses `NextAction`. */
export interface FlowConditionBranch {
  readonly NextAction: string;
  readonly Condition: FlowCondition;
}

/** An error branch: where the contact goes when the action fails with `ErrorType`. */
export interface FlowErrorBranch {
  readonly NextAction: string;
  readonly ErrorType: string;
}

/** Where an action leads. Terminal actions have none of these keys. */
export interface FlowTransitions {
  readonly NextAction?: string;
  readonly Conditions?: readonly FlowConditionBranch[];
  readonly Errors?: readonly FlowErrorBranch[];
}

/** One action of a flow, of any type (foreign types included). Some exports omit `Parameters`. */
export interface FlowAction<TType extends string = string, TParameters extends JsonObject = JsonObject> {
  readonly Parameters?: TParameters;
  readonly Identifier: string;
  readonly Type: TType;
  readonly Transitions?: FlowTransitions;
}

/** A canvas position in the Connect flow designer. */
export interface FlowPosition {
  readonly x: number;
  readonly y: number;
}

/** Console-style layout metadata; the runtime ignores it, the flow designer draws with it. */
export interface FlowLayoutMetadata {
  readonly entryPointPosition: FlowPosition;
  readonly ActionMetadata: { readonly [identifier: string]: { readonly position: FlowPosition } };
}

/** A whole flow document, as written to `aws_connect_contact_flow.content` (as a JSON string). */
export interface FlowDocument {
  readonly Version: typeof FLOW_LANGUAGE_VERSION;
  readonly StartAction: string;
  /** Free-form; console exports and the builder write {@link FlowLayoutMetadata}. */
  readonly Metadata?: JsonObject | FlowLayoutMetadata;
  readonly Actions: readonly FlowAction[];
  /** Flow modules only: the module's contract (inputs, outputs, branches). */
  readonly Settings?: JsonObject;
}

/** Flow types of `aws_connect_contact_flow.type`, plus `MODULE` for flow modules. */
export const FLOW_TYPES = [
  "CONTACT_FLOW",
  "CUSTOMER_QUEUE",
  "CUSTOMER_HOLD",
  "CUSTOMER_WHISPER",
  "AGENT_HOLD",
  "AGENT_WHISPER",
  "OUTBOUND_WHISPER",
  "AGENT_TRANSFER",
  "QUEUE_TRANSFER",
  "MODULE",
] as const;
export type FlowType = (typeof FLOW_TYPES)[number];

/** The channels the kit's flows serve. */
export const FLOW_CHANNELS = ["CHAT", "VOICE"] as const;
export type FlowChannel = (typeof FLOW_CHANNELS)[number];

/** True for the flow types the validator knows. */
export function isFlowType(value: string): value is FlowType {
  return (FLOW_TYPES as readonly string[]).includes(value);
}
