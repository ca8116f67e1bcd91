/** Lex, DTMF input and views: mode rules, timers and their condition values. */
import { FLOW_LIMITS } from "../../limits";
import type { ActionRule } from "../context";
import { asObject, asString, isWholeInRange, numberValue, show } from "../values";
import { checkEqualsOnly } from "./conditions";
import { applyErrorSpec, storesInput } from "./error-branches";

export const checkLex: ActionRule = (action, context) => {
  if (action.type !== "ConnectParticipantWithLexBot") return;
  checkEqualsOnly(action, context, "the intent name");
  const timer = asObject(action.parameters.LexTimeoutSeconds);
  if (action.parameters.LexTimeoutSeconds === undefined) return;
  const seconds = numberValue(timer?.Text);
  const { min, max } = FLOW_LIMITS.lexTimeoutSeconds;
  if (!timer || seconds.kind === "missing" || seconds.kind === "invalid") {
    context.findings.error("lex-timeout", action.id, `LexTimeoutSeconds is ${show(action.parameters.LexTimeoutSeconds)}`, `write {"Text": "<seconds>"}, e.g. {"Text": "300"}`);
  } else if (seconds.kind === "number" && !isWholeInRange(seconds.value, min, max)) {
    // 10 s literals were refused in a third-party publish test; the console offers 1 minute to 7 days.
    context.findings.warning("lex-timeout", action.id, `LexTimeoutSeconds.Text is ${show(timer.Text)}; the console offers ${min}-${max} seconds and shorter values were refused in publish tests`, `use ${min} seconds or more`);
  }
};

const DTMF = /^[0-9*#]$/;

export const checkGetParticipantInput: ActionRule = (action, context) => {
  if (action.type !== "GetParticipantInput") return;
  const { findings } = context;
  const p = action.parameters;
  const store = storesInput(action);
  const storeInput = asString(p.StoreInput);
  if (p.StoreInput === undefined) {
    findings.warning("get-input-mode", action.id, "GetParticipantInput has no StoreInput; it is read as a menu (\"False\")", 'write "StoreInput": "False" (menu) or "True" (stored digits)');
  } else if (storeInput !== "True" && storeInput !== "False") {
    findings.error("get-input-mode", action.id, `StoreInput is ${show(p.StoreInput)}`, 'write "True" or "False" (strings, not booleans)');
  }
  const limit = numberValue(p.InputTimeLimitSeconds);
  if ((limit.kind === "number" && !(Number.isInteger(limit.value) && limit.value > 0)) || limit.kind === "invalid" || limit.kind === "path") {
    findings.error("parameter-value", action.id, `InputTimeLimitSeconds is ${show(p.InputTimeLimitSeconds)}`, 'give a static whole number of seconds > 0, e.g. "5"');
  }
  const cancelKey = asObject(p.DTMFConfiguration)?.DisableCancelKey;
  if (cancelKey !== undefined && cancelKey !== "True" && cancelKey !== "False") {
    findings.error("parameter-value", action.id, `DTMFConfiguration.DisableCancelKey is ${show(cancelKey)}`, 'write "True" or "False" (a boolean is refused)');
  }
  if (store) {
    if (p.InputValidation === undefined) {
      findings.error("get-input-mode", action.id, "GetParticipantInput stores input but has no InputValidation", 'add "InputValidation": {"CustomValidation": {"MaximumLength": "<digits>"}} (or PhoneNumberValidation)');
    }
    if ((action.transitions.Conditions ?? []).length > 0) {
      findings.error("get-input-mode", action.id, "GetParticipantInput stores input but has conditions; stored input has no result to branch on", "remove the conditions and compare $.StoredCustomerInput with a Compare action");
    }
    const phone = asObject(p.InputValidation)?.PhoneNumberValidation !== undefined;
    applyErrorSpec(action, { required: ["NoMatchingError"], optional: phone ? ["InvalidPhoneNumber"] : [], rejected: ["InputTimeLimitExceeded", "NoMatchingCondition"] }, findings, " (stored input)");
  } else {
    checkEqualsOnly(action, context, "the key pressed", (o) => DTMF.test(o), "single keys 0-9, * or #");
    applyErrorSpec(action, { required: ["InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"] }, findings, " (menu)");
  }
};

export const checkShowView: ActionRule = (action, context) => {
  if (action.type !== "ShowView") return;
  const p = action.parameters;
  const id = asObject(p.ViewResource)?.Id;
  if (p.ViewResource !== undefined && typeof id !== "string") {
    context.findings.error("parameter-value", action.id, `ViewResource is ${show(p.ViewResource)}`, 'write {"Id": "<view ARN>:$LATEST"}');
  }
  const limit = numberValue(p.InvocationTimeLimitSeconds);
  if (limit.kind === "invalid" || (limit.kind === "number" && !(Number.isInteger(limit.value) && limit.value > 0))) {
    context.findings.error("parameter-value", action.id, `InvocationTimeLimitSeconds is ${show(p.InvocationTimeLimitSeconds)}`, 'give a whole number of seconds as a string, e.g. "300"');
  }
  if (p.ViewData !== undefined && asObject(p.ViewData) === undefined) {
    context.findings.error("parameter-value", action.id, `ViewData is ${show(p.ViewData)}`, "write ViewData as an object ({} when the view needs no input)");
  }
  checkEqualsOnly(action, context, "the view action");
};

export const checkHoursOfOperation: ActionRule = (action, context) => {
  if (action.type !== "CheckHoursOfOperation") return;
  checkEqualsOnly(action, context, "the in-hours result", (o) => o === "True" || o === "False", '"True" and "False"');
};
