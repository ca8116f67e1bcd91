/** InvokeLambdaFunction: timeout by invocation type, enums. */
import { FLOW_LIMITS } from "../../limits";
import { hasPlaceholder } from "../../placeholders";
import type { ActionRule } from "../context";
import { asObject, asString, isWholeInRange, numberValue, show } from "../values";

export const checkLambda: ActionRule = (action, { findings }) => {
  if (action.type !== "InvokeLambdaFunction") return;
  const p = action.parameters;
  const type = asString(p.InvocationType);
  if (p.InvocationType !== undefined && !(type !== undefined && (["SYNCHRONOUS", "ASYNCHRONOUS"].includes(type) || hasPlaceholder(type)))) {
    findings.error("parameter-value", action.id, `InvocationType is ${show(p.InvocationType)}`, 'use "SYNCHRONOUS" or "ASYNCHRONOUS"');
  }
  const responseType = asString(asObject(p.ResponseValidation)?.ResponseType);
  if (p.ResponseValidation !== undefined && !(responseType === "STRING_MAP" || responseType === "JSON")) {
    findings.error("parameter-value", action.id, `ResponseValidation is ${show(p.ResponseValidation)}`, 'write {"ResponseType": "STRING_MAP"} (flat string map) or {"ResponseType": "JSON"}');
  }
  const timeout = numberValue(p.InvocationTimeLimitSeconds);
  const asynchronous = type === "ASYNCHRONOUS";
  const { min, max } = asynchronous ? FLOW_LIMITS.lambdaAsynchronousSeconds : FLOW_LIMITS.lambdaSynchronousSeconds;
  const given = `InvocationTimeLimitSeconds is ${show(p.InvocationTimeLimitSeconds)}`;
  if (timeout.kind === "path" || timeout.kind === "invalid") {
    findings.error("lambda-timeout", action.id, `${given}; it must be a static number`, `give a whole number of seconds from ${min} to ${max}`);
  } else if (timeout.kind === "number" && !isWholeInRange(timeout.value, min, max)) {
    const message = `${given}; ${asynchronous ? "an asynchronous" : "a synchronous"} invocation allows ${min}-${max} seconds`;
    const fix = asynchronous
      ? `lower it to ${max} seconds at most`
      : `lower it to ${max} seconds at most; for longer work invoke ASYNCHRONOUS and wait for the result, or poll`;
    // The 60 s asynchronous limit is known only from a machine-translated block page.
    if (asynchronous) findings.warning("lambda-timeout", action.id, message, fix);
    else findings.error("lambda-timeout", action.id, message, fix);
  }
};
