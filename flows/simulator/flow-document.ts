/**
 * The flow documents the simulator executes (Flow language "2019-10-30", reference §1-§2), and a
 * reader for the shapes flows are published in: the document itself, a `{Name, Type, Content}`
 * wrapper (Content a JSON string or object) or `describe-contact-flow` output (`{ContactFlow: {...}}`).
 *
 * The reader checks only what execution needs (an `Actions` list of objects with an `Identifier` and a
 * `Type`, a `StartAction`); everything else is the flow validator's job.
 */

import { type FlowChannel, FlowReadError, readFlow } from "../language";
import type { FlowAction, FlowDocument } from "../language";

export type { FlowAction, FlowConditionBranch, FlowDocument, FlowErrorBranch, FlowTransitions } from "../language";

/** The channel of a simulated contact (`$.Channel`). */
export type ContactChannel = FlowChannel;

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

/**
 * Parses and unwraps a flow (text or already parsed value) with the flow language's reader.
 * @throws FlowDocumentError when it is not JSON, or has no executable shape
 */
export function parseFlowDocument(input: unknown): FlowDocument {
  let document: unknown;
  try {
    document = readFlow(input).document;
  } catch (error) {
    if (error instanceof FlowReadError) throw new FlowDocumentError(error.message);
    throw error;
  }
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
