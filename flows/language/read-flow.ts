/**
 * Reads a flow from any of the shapes flows are published in: the flow document itself, a
 * `{Name, Type, Content: "<flow JSON>"}` wrapper, or `aws connect describe-contact-flow` output
 * (`{ContactFlow: {..., Content: "<flow JSON>"}}`). The document is returned unchecked: validate it.
 */

export type FlowFileShape = "flow" | "wrapper" | "describe";

export interface ReadFlowResult {
  /** The parsed flow document (not yet validated). */
  readonly document: unknown;
  /** The flow JSON text, as it would be uploaded (the 256,000-character limit applies to it). */
  readonly content: string;
  readonly shape: FlowFileShape;
  /** The wrapper's `Name`, when there is one. */
  readonly name?: string;
  /** The wrapper's `Type` (the flow type, e.g. "CONTACT_FLOW"), when there is one. */
  readonly flowType?: string;
}

/** The input is not JSON, or a wrapper's `Content` is not a flow JSON string. */
export class FlowReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlowReadError";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FlowReadError(`${what} is not JSON (${(error as Error).message})`);
  }
}

function unwrap(wrapper: Record<string, unknown>, shape: "wrapper" | "describe"): ReadFlowResult {
  const where = shape === "describe" ? "ContactFlow.Content" : "Content";
  const content = wrapper.Content;
  const name = typeof wrapper.Name === "string" ? wrapper.Name : undefined;
  const flowType = typeof wrapper.Type === "string" ? wrapper.Type : undefined;
  const meta = { ...(name !== undefined ? { name } : {}), ...(flowType !== undefined ? { flowType } : {}) };
  if (typeof content === "string") return { document: parse(content, where), content, shape, ...meta };
  if (isRecord(content)) return { document: content, content: JSON.stringify(content), shape, ...meta };
  throw new FlowReadError(`${where} is ${content === undefined ? "missing" : typeof content}; expected the flow JSON as a string`);
}

/**
 * @param input the file text, or an already parsed value
 * @throws FlowReadError when the text is not JSON or a wrapper holds no flow
 */
export function readFlow(input: unknown): ReadFlowResult {
  const text = typeof input === "string" ? input : undefined;
  const value = text !== undefined ? parse(text, "the input") : input;
  if (isRecord(value) && isRecord(value.ContactFlow)) return unwrap(value.ContactFlow, "describe");
  if (isRecord(value) && value.Actions === undefined && value.Content !== undefined) return unwrap(value, "wrapper");
  return { document: value, content: text ?? JSON.stringify(value), shape: "flow" };
}
