/**
 * The flow documents the simulator executes (Flow language "2019-10-30", reference §1-§2), and a
 * reader for the shapes flows are published in: the document itself, a `{Name, Type, Content}`
 * wrapper (Content a JSON string or object) or `describe-contact-flow` output (`{ContactFlow: {...}}`).
 *
 * The reader checks only what execution needs (an `Actions` list of objects with an `Identifier` and a
 * `Type`, a `StartAction`); everything else is the flow validator's job.
 */

export type ContactChannel = "CHAT" | "VOICE";

export interface FlowCondition {
  readonly Operator: string;
  readonly Operands: readonly unknown[];
}

export interface FlowErrorTransition {
  readonly ErrorType: string;
  readonly NextAction: string;
}

export interface FlowConditionTransition {
  readonly NextAction: string;
  readonly Condition: FlowCondition;
}

export interface FlowTransitions {
  readonly NextAction?: string;
  readonly Errors?: readonly FlowErrorTransition[];
  readonly Conditions?: readonly FlowConditionTransition[];
}

export interface FlowAction {
  readonly Identifier: string;
  readonly Type: string;
  /** Exports write `{}` or omit the key (reference §2). */
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly Transitions?: FlowTransitions;
}

export interface FlowDocument {
  readonly Version: string;
  readonly StartAction: string;
  readonly Metadata?: unknown;
  readonly Actions: readonly FlowAction[];
}

/** The input is not a flow document the simulator can execute. */
export class FlowDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlowDocumentError";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FlowDocumentError(`${what} is not JSON (${(error as Error).message})`);
  }
}

function unwrap(value: unknown): unknown {
  if (!isRecord(value)) return value;
  if (isRecord(value.ContactFlow)) return unwrap(value.ContactFlow);
  if (value.Actions === undefined && value.Content !== undefined) {
    const content = value.Content;
    if (typeof content === "string") return parseJson(content, "Content");
    return content;
  }
  return value;
}

/**
 * Parses and unwraps a flow (text or already parsed value).
 * @throws FlowDocumentError when it is not JSON, or has no executable shape
 */
export function parseFlowDocument(input: unknown): FlowDocument {
  const parsed = typeof input === "string" ? parseJson(input, "the flow") : input;
  const document = unwrap(parsed);
  if (!isRecord(document)) throw new FlowDocumentError("the flow is not a JSON object");
  if (!Array.isArray(document.Actions)) throw new FlowDocumentError("the flow has no Actions list");
  if (typeof document.StartAction !== "string") throw new FlowDocumentError("the flow has no StartAction");
  document.Actions.forEach((action: unknown, index) => {
    if (!isRecord(action) || typeof action.Identifier !== "string" || typeof action.Type !== "string") {
      throw new FlowDocumentError(`Actions[${index}] has no string Identifier and Type`);
    }
  });
  return document as unknown as FlowDocument;
}

/** A flow ready to run: its actions by Identifier. */
export interface CompiledFlow {
  /** A name for traces (the flow's ARN, id or a label given by the caller). */
  readonly name: string;
  readonly document: FlowDocument;
  readonly actions: ReadonlyMap<string, FlowAction>;
}

export function compileFlow(document: FlowDocument, name: string): CompiledFlow {
  const actions = new Map<string, FlowAction>();
  for (const action of document.Actions) {
    if (actions.has(action.Identifier)) {
      throw new FlowDocumentError(`flow ${name}: duplicate action Identifier "${action.Identifier}"`);
    }
    actions.set(action.Identifier, action);
  }
  return { name, document, actions };
}
