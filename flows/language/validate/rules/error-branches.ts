/** Error branches: required ones present, refused ones absent, no undeclared or repeated types. */
import { ERROR_SPECS, type ErrorSpec } from "../catalogue";
import type { ActionRule } from "../context";
import type { CheckedAction } from "../envelope";
import type { FindingCollector } from "../findings";
import { asString } from "../values";

/** Applies an error spec; GetParticipantInput calls this with the spec of its mode. */
export function applyErrorSpec(action: CheckedAction, spec: ErrorSpec, findings: FindingCollector, why = ""): void {
  const declared = (action.transitions.Errors ?? []).map((e) => e.ErrorType);
  for (const type of spec.required ?? []) {
    if (!declared.includes(type)) {
      findings.error("error-branch-missing", action.id, `${action.type}${why} has no ${type} error branch; the service requires it`, `add {"ErrorType": "${type}", "NextAction": "<where the contact should go>"} to Errors`);
    }
  }
  for (const type of spec.expected ?? []) {
    if (!declared.includes(type)) {
      findings.warning("error-branch-missing", action.id, `${action.type}${why} has no ${type} error branch (consoles always write one)`, `add {"ErrorType": "${type}", "NextAction": "..."} so that failure has an explicit route`);
    }
  }
  const known = new Set([...(spec.required ?? []), ...(spec.expected ?? []), ...(spec.optional ?? [])]);
  const seen = new Set<string>();
  for (const type of declared) {
    if (seen.has(type)) findings.strictError("error-branch-duplicate", action.id, `${action.type} lists the ${type} error twice; only the first can be taken`, "remove the second entry");
    seen.add(type);
    if ((spec.rejected ?? []).includes(type) || (spec.othersRejected && !known.has(type))) {
      const allowed = [...known].join(", ") || "none";
      findings.error("error-branch-rejected", action.id, `${action.type}${why} has a ${type} error branch, which the service refuses (Invalid Action error)`, `remove it; allowed error types: ${allowed}`);
    } else if (!known.has(type)) {
      findings.strictError("error-branch-undeclared", action.id, `${action.type}${why} declares no ${type} error`, `remove it; declared error types: ${[...known].join(", ") || "none"}`);
    }
  }
}

export const checkErrorBranches: ActionRule = (action, { findings }) => {
  const spec = ERROR_SPECS[action.type];
  if (!spec) return;
  if (action.type === "UpdateContactRecordingAndAnalyticsBehavior" && action.parameters.ChatBehavior === undefined) {
    // In-flight redaction exists only for chat; a voice-only action declaring it is refused.
    applyErrorSpec(action, { ...spec, optional: [], rejected: ["InFlightRedactionConfigurationFailed"] }, findings, " without ChatBehavior");
    return;
  }
  const events = action.parameters.Events;
  if (action.type === "Wait" && !(Array.isArray(events) && events.includes("BotParticipantDisconnected"))) {
    // ParticipantNotFound belongs to the BotParticipantDisconnected event.
    applyErrorSpec(action, { ...spec, optional: [] }, findings);
    return;
  }
  applyErrorSpec(action, spec, findings);
};

/** True for GetParticipantInput in stored-input mode. */
export function storesInput(action: CheckedAction): boolean {
  return asString(action.parameters.StoreInput)?.toLowerCase() === "true";
}
