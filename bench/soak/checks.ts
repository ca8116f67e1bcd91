/**
 * What a valid answer looks like to the callers of the kit's handlers, as plain functions returning the
 * problems found (none: valid), shared by the soak and the fuzzer:
 *
 * - Lex V2 code hook responses (https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html):
 *   a `sessionState` with a dialog action Lex knows, an intent with a valid name and state, string-only
 *   session attributes (within the kit's 12,000-byte bound), and for Close 1-10 non-empty messages of at
 *   most 1,000 characters; Delegate carries none.
 * - Connect flow Lambda results (Invoke AWS Lambda function, STRING_MAP): a flat object of string values,
 *   below 32 KB, with the keys the flow reads.
 */
import { FlowLimits } from "../../functions/shared/flow-contract";

const DIALOG_ACTIONS = ["Close", "Delegate", "ElicitIntent", "ElicitSlot", "ConfirmIntent"];
const INTENT_STATES = ["Failed", "Fulfilled", "InProgress", "ReadyForFulfillment", "Waiting", "FulfillmentInProgress"];
const INTENT_NAME = /^[0-9A-Za-z_-]{1,100}$/;
const CONTENT_TYPES = ["PlainText", "SSML", "CustomPayload", "ImageResponseCard"];
/** The kit's bound for all session attributes (lex-event.ts, LEX_SESSION_ATTRIBUTES_MAX_BYTES). */
const SESSION_ATTRIBUTES_MAX_BYTES = 12_000;
const MESSAGE_MAX_CHARS = 1_000;
const MAX_MESSAGES = 10;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** UTF-8 bytes of the string-valued session attributes of a Lex event or response (keys and values). */
export function sessionAttributeBytes(message: unknown): number {
  const state = isRecord(message) ? message.sessionState : undefined;
  const attributes = isRecord(state) ? state.sessionAttributes : undefined;
  let bytes = 0;
  if (isRecord(attributes)) for (const [key, value] of Object.entries(attributes)) if (typeof value === "string") bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  return bytes;
}

/** Room the bridge's own attributes (status, turn id, tool, placeholders for cut handoff fields) may add to an oversized map. */
const BRIDGE_ATTRIBUTE_ALLOWANCE_BYTES = 512;

/**
 * Problems of a Lex V2 code hook response; empty when Lex would accept it. Session attributes must stay
 * within 12,000 bytes, unless the event's own were already near or over that (a handler returns what Lex
 * sent it): then the response may not grow them by more than the bridge's own few attributes.
 */
export function lexResponseProblems(response: unknown, event?: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(response)) return [`not an object: ${JSON.stringify(response)?.slice(0, 80)}`];
  try {
    JSON.stringify(response);
  } catch (error) {
    return [`not serializable: ${(error as Error).message}`];
  }
  const state = response.sessionState;
  if (!isRecord(state)) return ["sessionState missing"];
  const action = state.dialogAction;
  const type = isRecord(action) ? action.type : undefined;
  if (typeof type !== "string" || !DIALOG_ACTIONS.includes(type)) problems.push(`dialogAction.type ${JSON.stringify(type)}`);
  const intent = state.intent;
  if (!isRecord(intent)) problems.push("intent missing");
  else {
    if (typeof intent.name !== "string" || !INTENT_NAME.test(intent.name)) problems.push(`intent.name ${JSON.stringify(intent.name)}`);
    if (typeof intent.state !== "string" || !INTENT_STATES.includes(intent.state)) problems.push(`intent.state ${JSON.stringify(intent.state)}`);
  }
  const attributes = state.sessionAttributes;
  if (attributes !== undefined) {
    if (!isRecord(attributes)) problems.push("sessionAttributes not an object");
    else {
      let bytes = 0;
      for (const [key, value] of Object.entries(attributes)) {
        if (typeof value !== "string") problems.push(`sessionAttributes.${key} is ${typeof value}`);
        else bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
      }
      const inherited = event === undefined ? 0 : sessionAttributeBytes(event) + BRIDGE_ATTRIBUTE_ALLOWANCE_BYTES;
      if (bytes > Math.max(SESSION_ATTRIBUTES_MAX_BYTES, inherited)) problems.push(`sessionAttributes ${bytes} bytes > ${SESSION_ATTRIBUTES_MAX_BYTES}${inherited ? ` (the event's: ${inherited - BRIDGE_ATTRIBUTE_ALLOWANCE_BYTES})` : ""}`);
    }
  }
  const messages = response.messages;
  if (type === "Close" || type === "ElicitIntent") {
    if (!Array.isArray(messages) || messages.length < 1 || messages.length > MAX_MESSAGES) problems.push(`${type} with ${Array.isArray(messages) ? messages.length : "no"} messages`);
  }
  if (type === "Delegate" && messages !== undefined) problems.push("Delegate with messages");
  if (Array.isArray(messages)) {
    messages.forEach((message, index) => {
      if (!isRecord(message)) {
        problems.push(`messages[${index}] not an object`);
        return;
      }
      if (typeof message.contentType !== "string" || !CONTENT_TYPES.includes(message.contentType)) problems.push(`messages[${index}].contentType ${JSON.stringify(message.contentType)}`);
      if (typeof message.content !== "string" || !message.content.trim()) problems.push(`messages[${index}].content empty`);
      else if (message.content.length > MESSAGE_MAX_CHARS) problems.push(`messages[${index}].content ${message.content.length} chars`);
    });
  }
  return problems;
}

/** Problems of a Connect flow Lambda result read as STRING_MAP; `keys`: the keys it must always carry. */
export function flatStringMapProblems(result: unknown, keys: readonly string[] = []): string[] {
  if (!isRecord(result)) return [`not an object: ${JSON.stringify(result)?.slice(0, 80)}`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(result)) if (typeof value !== "string") problems.push(`${key} is ${value === null ? "null" : typeof value}`);
  for (const key of keys) if (!(key in result)) problems.push(`${key} missing`);
  const bytes = Buffer.byteLength(JSON.stringify(result));
  if (bytes >= FlowLimits.lambdaResultMaxBytes) problems.push(`${bytes} bytes >= ${FlowLimits.lambdaResultMaxBytes}`);
  return problems;
}

/** The text of a Lex response's messages, joined. */
export function lexText(response: unknown): string {
  const messages = isRecord(response) && Array.isArray(response.messages) ? response.messages : [];
  return messages.map((message) => (isRecord(message) && typeof message.content === "string" ? message.content : "")).join(" ");
}

/** A Lex response's session attributes (string values only). */
export function lexAttributes(response: unknown): Record<string, string> {
  const state = isRecord(response) ? response.sessionState : undefined;
  const attributes = isRecord(state) ? state.sessionAttributes : undefined;
  const result: Record<string, string> = {};
  if (isRecord(attributes)) for (const [key, value] of Object.entries(attributes)) if (typeof value === "string") result[key] = value;
  return result;
}
