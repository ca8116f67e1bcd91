/**
 * Envelope and shape checks. They turn arbitrary JSON into a {@link CheckedFlow} whose actions the
 * other rules can read without re-checking types; malformed parts are reported here once and left out.
 */
import { FLOW_LIMITS, PLACEHOLDER_ESTIMATED_CHARACTERS } from "../limits";
import { placeholdersIn } from "../placeholders";
import { FLOW_LANGUAGE_VERSION, type FlowConditionBranch, type FlowErrorBranch, type FlowTransitions, type JsonObject } from "../wire";
import type { FindingCollector } from "./findings";

export interface CheckedAction {
  /** Position in Actions. */
  readonly index: number;
  readonly id: string;
  readonly type: string;
  /** `{}` when the export left Parameters out. */
  readonly parameters: JsonObject;
  /** Only well-formed branches; `{}` when the export left Transitions out. */
  readonly transitions: FlowTransitions;
}

export interface CheckedFlow {
  readonly startAction: string | undefined;
  readonly actions: readonly CheckedAction[];
  readonly hasSettings: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function checkTransitions(raw: unknown, id: string, findings: FindingCollector): FlowTransitions {
  if (raw === undefined) return {};
  if (!isRecord(raw)) {
    findings.error("transition-shape", id, `Transitions is ${JSON.stringify(raw)}, not an object`, "write Transitions as an object ({} for terminal actions)");
    return {};
  }
  const result: { NextAction?: string; Conditions?: FlowConditionBranch[]; Errors?: FlowErrorBranch[] } = {};
  if (raw.NextAction !== undefined) {
    if (typeof raw.NextAction === "string") result.NextAction = raw.NextAction;
    else findings.error("transition-shape", id, `NextAction is ${JSON.stringify(raw.NextAction)}, not a string`, "set NextAction to the Identifier of the next action");
  }
  if (raw.Conditions !== undefined) {
    if (!Array.isArray(raw.Conditions)) {
      findings.error("transition-shape", id, "Conditions is not a list", "write Conditions as a list of {NextAction, Condition: {Operator, Operands}}");
    } else {
      result.Conditions = raw.Conditions.filter((c, i): c is FlowConditionBranch => {
        const ok =
          isRecord(c) &&
          typeof c.NextAction === "string" &&
          isRecord(c.Condition) &&
          typeof c.Condition.Operator === "string" &&
          Array.isArray(c.Condition.Operands) &&
          c.Condition.Operands.every((o) => typeof o === "string");
        if (!ok) {
          findings.error("transition-shape", id, `Conditions[${i}] is ${JSON.stringify(c)}`, 'write each condition as {"NextAction": "<id>", "Condition": {"Operator": "Equals", "Operands": ["<value>"]}}');
        }
        return ok;
      });
    }
  }
  if (raw.Errors !== undefined) {
    if (!Array.isArray(raw.Errors)) {
      findings.error("transition-shape", id, "Errors is not a list", "write Errors as a list of {NextAction, ErrorType}");
    } else {
      result.Errors = raw.Errors.filter((e, i): e is FlowErrorBranch => {
        const ok = isRecord(e) && typeof e.NextAction === "string" && typeof e.ErrorType === "string" && e.ErrorType.length > 0;
        if (!ok) findings.error("transition-shape", id, `Errors[${i}] is ${JSON.stringify(e)}`, 'write each error branch as {"NextAction": "<id>", "ErrorType": "NoMatchingError"}');
        return ok;
      });
    }
  }
  return result;
}

function checkAction(raw: unknown, index: number, findings: FindingCollector): CheckedAction | undefined {
  if (!isRecord(raw) || typeof raw.Identifier !== "string" || typeof raw.Type !== "string") {
    const id = isRecord(raw) && typeof raw.Identifier === "string" ? raw.Identifier : undefined;
    findings.error("action-shape", id, `Actions[${index}] has no string Identifier and Type`, 'write each action as {"Identifier": "<id>", "Type": "<type>", "Parameters": {...}, "Transitions": {...}}');
    return undefined;
  }
  const id = raw.Identifier;
  let parameters: JsonObject = {};
  if (raw.Parameters !== undefined) {
    if (isRecord(raw.Parameters)) parameters = raw.Parameters as JsonObject;
    else findings.error("action-shape", id, `Parameters is ${JSON.stringify(raw.Parameters)}, not an object`, "write Parameters as an object ({} when there are none)");
  }
  return { index, id, type: raw.Type, parameters, transitions: checkTransitions(raw.Transitions, id, findings) };
}

function checkContentSize(content: string, findings: FindingCollector): void {
  const max = FLOW_LIMITS.maxContentCharacters;
  const fix = "split the flow into flow modules (InvokeFlowModule) or shorten texts and view data";
  if (content.length > max) {
    findings.error("content-size", undefined, `the content has ${content.length} characters; at most ${max} are allowed`, fix);
    return;
  }
  // Placeholders are shorter than the ARNs that replace them; warn when the resolved text may not fit.
  const placeholders = placeholdersIn(content);
  const estimate = content.length + placeholders.reduce((sum, p) => sum + Math.max(0, PLACEHOLDER_ESTIMATED_CHARACTERS - p.length), 0);
  if (estimate > max) {
    findings.warning("content-size", undefined, `the content has ${content.length} characters with ${placeholders.length} placeholders; resolved, it may reach ${estimate} (limit ${max})`, fix);
  }
}

/** Checks the envelope; returns the readable part of the flow, or undefined when nothing can be read. */
export function checkEnvelope(document: unknown, content: string, findings: FindingCollector): CheckedFlow | undefined {
  if (!isRecord(document)) {
    findings.error("envelope", undefined, `the content is ${Array.isArray(document) ? "a list" : JSON.stringify(document)?.slice(0, 40)}, not a JSON object`, "give the flow document: {Version, StartAction, Actions}");
    return undefined;
  }
  if (document.Actions === undefined && (typeof document.Content === "string" || isRecord(document.ContactFlow))) {
    findings.error("envelope", undefined, "the input is a wrapper ({Content} or {ContactFlow}), not a flow document", "unwrap it first (readFlow) and validate its Content");
    return undefined;
  }
  if (document.Version !== FLOW_LANGUAGE_VERSION) {
    findings.error("version", undefined, `Version is ${document.Version === undefined ? "missing" : JSON.stringify(document.Version)}`, `set Version to "${FLOW_LANGUAGE_VERSION}", the only version the service accepts`);
  }
  checkContentSize(content, findings);
  if (!Array.isArray(document.Actions) || document.Actions.length === 0) {
    findings.error("actions-missing", undefined, `Actions is ${Array.isArray(document.Actions) ? "an empty list" : JSON.stringify(document.Actions) ?? "missing"}`, "give at least one action");
    return undefined;
  }
  if (document.Actions.length > FLOW_LIMITS.maxActions) {
    findings.error("action-count", undefined, `the flow has ${document.Actions.length} actions; at most ${FLOW_LIMITS.maxActions} are allowed`, "move parts of the flow into flow modules (InvokeFlowModule) or separate flows (TransferToFlow)");
  }
  const actions = document.Actions.map((a, i) => checkAction(a, i, findings)).filter((a): a is CheckedAction => a !== undefined);
  const startAction = typeof document.StartAction === "string" ? document.StartAction : undefined;
  if (startAction === undefined || startAction.length === 0) {
    findings.error("start-action", undefined, `StartAction is ${JSON.stringify(document.StartAction) ?? "missing"}`, "set StartAction to the Identifier of the first action");
  } else if (!actions.some((a) => a.id === startAction)) {
    findings.error("start-action", undefined, `StartAction "${startAction}" names no action`, "set StartAction to the Identifier of an action in Actions");
  }
  return { startAction, actions, hasSettings: document.Settings !== undefined && document.Settings !== null };
}
