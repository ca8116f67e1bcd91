/** Parameter names (required, refused, unknown), message sources and empty strings. */
import { KNOWN_PARAMETERS, MESSAGE_KEYS, REJECTED_PARAMETERS } from "../catalogue";
import type { ActionRule } from "../context";
import type { JsonValue } from "../../wire";
import { asObject, show } from "../values";

/** Parameters the service requires, per type (with the example the fix shows). */
const REQUIRED: Readonly<Record<string, readonly (readonly [name: string, example: string])[]>> = {
  InvokeLambdaFunction: [
    ["LambdaFunctionARN", '"arn:aws:lambda:<region>:<account>:function:<name>"'],
    ["InvocationTimeLimitSeconds", '"8"'],
  ],
  Compare: [["ComparisonValue", '"$.External.status"']],
  Loop: [["LoopCount", '"3"']],
  UpdateContactAttributes: [["Attributes", '{"key": "value"}']],
  ShowView: [
    ["ViewResource", '{"Id": "<view ARN>:$LATEST"}'],
    ["InvocationTimeLimitSeconds", '"300"'],
  ],
  CreateWisdomSession: [["WisdomAssistantArn", '"arn:aws:wisdom:<region>:<account>:assistant/<id>"']],
  UpdateFlowLoggingBehavior: [["FlowLoggingBehavior", '"Enabled"']],
  UpdateContactRecordingBehavior: [["RecordingBehavior", '{"RecordedParticipants": ["Agent", "Customer"]}']],
  UpdateContactTextToSpeechVoice: [["TextToSpeechVoice", '"Joanna"']],
  GetParticipantInput: [["InputTimeLimitSeconds", '"5"']],
};

export const checkParameterNames: ActionRule = (action, { findings }) => {
  const p = action.parameters;
  for (const [name, example] of REQUIRED[action.type] ?? []) {
    if (p[name] === undefined) findings.error("parameter-missing", action.id, `${action.type} has no ${name}`, `add "${name}": ${example}`);
  }
  const rejected = REJECTED_PARAMETERS[action.type] ?? {};
  const known = KNOWN_PARAMETERS[action.type];
  for (const name of Object.keys(p)) {
    if (rejected[name]) {
      findings.error("parameter-rejected", action.id, `${action.type} has the parameter ${name}, which the service refuses (Invalid Action property name)`, rejected[name]);
    } else if (known && !known.includes(name) && !(action.type === "Wait" && name === "TimeoutSeconds")) {
      findings.strictError("parameter-unknown", action.id, `${action.type} declares no parameter ${name}`, `remove it; declared parameters: ${known.join(", ") || "none"}`);
    }
  }
  if (action.type === "ConnectParticipantWithLexBot" && p.LexV2Bot === undefined && p.LexBot === undefined) {
    findings.error("parameter-missing", action.id, "ConnectParticipantWithLexBot names no bot", 'add "LexV2Bot": {"AliasArn": "<bot alias ARN>"}');
  }
  if (action.type === "ConnectParticipantWithLexBot" && p.LexV2Bot !== undefined && typeof asObject(p.LexV2Bot)?.AliasArn !== "string") {
    findings.error("parameter-value", action.id, `LexV2Bot is ${show(p.LexV2Bot)}`, 'write "LexV2Bot": {"AliasArn": "<bot alias ARN>"}');
  }
};

/** Participant actions play at most one message; exports always have exactly one. */
export const checkMessageSource: ActionRule = (action, { findings }) => {
  if (!["MessageParticipant", "GetParticipantInput", "ConnectParticipantWithLexBot"].includes(action.type)) return;
  const keys: string[] = [...MESSAGE_KEYS, ...(action.type === "ConnectParticipantWithLexBot" ? ["LexInitializationData"] : [])];
  const given = keys.filter((k) => action.parameters[k] !== undefined);
  if (given.length > 1) {
    findings.error("message-source", action.id, `${action.type} gives ${given.join(" and ")}; only one message source may be defined`, `keep one of ${keys.join(", ")}`);
  } else if (given.length === 0) {
    findings.warning("message-source", action.id, `${action.type} has no message (${keys.join(", ")})`, "give the message to play or send");
  }
};

function emptyStrings(value: JsonValue | undefined, path: string, out: string[]): string[] {
  if (value === "") out.push(path);
  else if (Array.isArray(value)) value.forEach((v, i) => emptyStrings(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) emptyStrings(v, `${path}.${k}`, out);
  return out;
}

/**
 * The service refuses empty strings in Parameters. Exception: published AWS step-by-step guides carry
 * empty strings deep inside ShowView ViewData lists (e.g. a form field's DefaultValue), so those are
 * warnings on foreign flows; the refusal observed was for a top-level ViewData value.
 */
export const checkEmptyStrings: ActionRule = (action, { findings }) => {
  for (const path of emptyStrings(action.parameters, "Parameters", [])) {
    const fix = 'give a value (" " is accepted where a blank is meant) or leave the key out';
    const nestedViewData = action.type === "ShowView" && /^Parameters\.ViewData\.[^.[]+(\.|\[)/.test(path) && path.includes("[");
    if (nestedViewData) findings.strictError("empty-string", action.id, `${path} is an empty string`, fix);
    else findings.error("empty-string", action.id, `${path} is an empty string; the service refuses empty values`, fix);
  }
};
