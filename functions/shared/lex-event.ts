import { LAST_RESORT_MESSAGE, LEX_MAX_MESSAGES, LEX_SESSION_ATTRIBUTES_MAX_BYTES, boundField, splitMessages, utf8Bytes } from "./text";
import { BotIntent, type BridgeStatus, HANDOFF_FIELD_PLACEHOLDER, HANDOFF_FIELDS, SessionAttribute } from "./flow-contract";
import type { HandoffFields, ToolName } from "./turn-store";

/**
 * Lex V2 code-hook events and responses (https://docs.aws.amazon.com/lexv2/latest/dg/lambda.html).
 * Events are read defensively: every field may be missing or of the wrong type.
 */

/** The parts of a Lex V2 code-hook event the bridge reads. */
export interface LexV2Event {
  readonly messageVersion?: string;
  readonly invocationSource?: "FulfillmentCodeHook" | "DialogCodeHook" | string;
  readonly inputMode?: "Text" | "Speech" | "DTMF" | string;
  readonly sessionId?: string;
  readonly inputTranscript?: string;
  readonly bot?: { readonly id?: string; readonly name?: string; readonly localeId?: string; readonly aliasId?: string; readonly version?: string };
  readonly sessionState?: {
    readonly sessionAttributes?: Record<string, string>;
    readonly intent?: LexV2Intent;
  };
  readonly requestAttributes?: Record<string, string> | null;
}

export type IntentState = "Failed" | "Fulfilled" | "InProgress" | "ReadyForFulfillment" | "Waiting" | "FulfillmentInProgress";

export interface LexV2Intent {
  readonly name: string;
  readonly state: IntentState;
  readonly slots?: Record<string, unknown>;
  readonly confirmationState?: "Confirmed" | "Denied" | "None";
}

export interface LexV2Message {
  readonly contentType: "PlainText";
  readonly content: string;
}

export interface LexV2Response {
  readonly sessionState: {
    readonly dialogAction: { readonly type: "Close" | "Delegate" };
    readonly intent: LexV2Intent;
    readonly sessionAttributes: Record<string, string>;
  };
  readonly messages?: LexV2Message[];
}

/** The event reduced to checked values. */
export interface LexRequest {
  readonly invocationSource: unknown;
  readonly inputMode: unknown;
  readonly sessionId: unknown;
  readonly inputTranscript: unknown;
  readonly localeId: unknown;
  readonly intent: LexV2Intent;
  /** Only the string-valued session attributes (Lex accepts nothing else). */
  readonly sessionAttributes: Record<string, string>;
  readonly requestAttributes: Record<string, string>;
}

/** The intent name used when the event carries none (the bridge serves Lex's built-in fallback intent). */
export const FALLBACK_INTENT = BotIntent.fallback;

const INTENT_NAME = /^[0-9A-Za-z_-]{1,100}$/;
const INTENT_STATES: readonly IntentState[] = ["Failed", "Fulfilled", "InProgress", "ReadyForFulfillment", "Waiting", "FulfillmentInProgress"];

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringsOnly(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  const source = record(value);
  if (!source) return result;
  for (const [key, entry] of Object.entries(source)) if (typeof entry === "string") result[key] = entry;
  return result;
}

/** Reads a Lex V2 event; undefined when it is not an object at all. */
export function readLexEvent(event: unknown): LexRequest | undefined {
  const e = record(event);
  if (!e) return undefined;
  const sessionState = record(e.sessionState);
  const intent = record(sessionState?.intent);
  const name = typeof intent?.name === "string" && INTENT_NAME.test(intent.name) ? intent.name : FALLBACK_INTENT;
  const state = INTENT_STATES.includes(intent?.state as IntentState) ? (intent?.state as IntentState) : "InProgress";
  const slots = record(intent?.slots);
  const confirmation = intent?.confirmationState;
  return {
    invocationSource: e.invocationSource,
    inputMode: e.inputMode,
    sessionId: e.sessionId,
    inputTranscript: e.inputTranscript,
    localeId: record(e.bot)?.localeId,
    intent: {
      name,
      state,
      ...(slots ? { slots } : {}),
      ...(confirmation === "Confirmed" || confirmation === "Denied" || confirmation === "None" ? { confirmationState: confirmation } : {}),
    },
    sessionAttributes: stringsOnly(sessionState?.sessionAttributes),
    requestAttributes: stringsOnly(e.requestAttributes),
  };
}

/** Session attributes the bridge owns; they are cleared each turn so no stale value from an earlier turn survives. */
export const BRIDGE_SESSION_ATTRIBUTES: readonly string[] = [SessionAttribute.tool, SessionAttribute.bridgeStatus, SessionAttribute.bridgeTurnId, ...HANDOFF_FIELDS];

/** What one bridge turn tells the flow through session attributes. */
export interface BridgeTurnState {
  readonly status: BridgeStatus;
  readonly turnId?: string;
  readonly tool?: ToolName;
  readonly handoff?: HandoffFields;
}

/** UTF-8 bytes of session attributes, keys and values. */
export function sessionAttributeBytes(attributes: Record<string, string>): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(attributes)) bytes += utf8Bytes(key) + utf8Bytes(value);
  return bytes;
}

/**
 * The handoff fields cut so that they fit `availableBytes` together (UTF-8, cut at a character boundary):
 * fields that fit their fair share keep all of it, the longer ones share what is left equally. A field cut
 * to nothing becomes HANDOFF_FIELD_PLACEHOLDER's text if even that does not fit, never "" (the flow copies
 * them into contact attributes).
 */
export function fitHandoffFields(handoff: HandoffFields, availableBytes: number): HandoffFields {
  const sizes = HANDOFF_FIELDS.map((field) => ({ field, bytes: utf8Bytes(handoff[field]) }));
  if (sizes.reduce((sum, { bytes }) => sum + bytes, 0) <= availableBytes) return handoff;
  const result = { ...handoff } as Record<(typeof HANDOFF_FIELDS)[number], string>;
  let left = Math.max(0, availableBytes);
  const ordered = [...sizes].sort((a, b) => a.bytes - b.bytes);
  ordered.forEach(({ field, bytes }, index) => {
    const share = Math.floor(left / (ordered.length - index));
    const kept = bytes <= share ? handoff[field] : boundField(handoff[field], Number.MAX_SAFE_INTEGER, share);
    result[field] = kept || HANDOFF_FIELD_PLACEHOLDER;
    left -= utf8Bytes(result[field]);
  });
  return result;
}

/**
 * The event's session attributes without the bridge's, plus this turn's bridge attributes. Handoff fields
 * are cut so that all session attributes stay within LEX_SESSION_ATTRIBUTES_MAX_BYTES (12,000 UTF-8 bytes,
 * Lex V1's documented limit, kept until Lex V2's is confirmed).
 */
export function withBridgeAttributes(previous: Record<string, string>, state: BridgeTurnState): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(previous)) if (!BRIDGE_SESSION_ATTRIBUTES.includes(key)) result[key] = value;
  result[SessionAttribute.bridgeStatus] = state.status;
  if (state.turnId) result[SessionAttribute.bridgeTurnId] = state.turnId;
  if (state.tool) result[SessionAttribute.tool] = state.tool;
  if (state.handoff) {
    const keys = HANDOFF_FIELDS.reduce((sum, field) => sum + utf8Bytes(field), 0);
    Object.assign(result, fitHandoffFields(state.handoff, LEX_SESSION_ATTRIBUTES_MAX_BYTES - sessionAttributeBytes(result) - keys));
  }
  return result;
}

/** Lex messages for texts, each cut to Lex's 1,000-character limit, at most 10 in all. */
export function toLexMessages(texts: readonly string[]): LexV2Message[] {
  const contents = texts.flatMap((text) => splitMessages(text)).slice(0, LEX_MAX_MESSAGES);
  // Lex needs something to say after Close; an empty answer must not produce an empty response.
  if (!contents.length) contents.push(...splitMessages(LAST_RESORT_MESSAGE));
  return contents.map((content) => ({ contentType: "PlainText" as const, content }));
}

/** Ends the intent with messages for the customer. Always "Fulfilled": the flow routes on `bridgeStatus`. */
export function closeResponse(intentName: string, sessionAttributes: Record<string, string>, texts: readonly string[]): LexV2Response {
  return {
    sessionState: { dialogAction: { type: "Close" }, intent: { name: intentName, state: "Fulfilled" }, sessionAttributes },
    messages: toLexMessages(texts),
  };
}

/** Hands control back to Lex (dialog code hook): the intent and session attributes as received. */
export function delegateResponse(intent: LexV2Intent, sessionAttributes: Record<string, string>): LexV2Response {
  return { sessionState: { dialogAction: { type: "Delegate" }, intent, sessionAttributes } };
}
