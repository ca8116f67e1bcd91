/** Loop and Wait: counts, time limits, events and their fixed condition sets. */
import { FLOW_LIMITS } from "../../limits";
import type { ActionRule, RuleContext } from "../context";
import type { CheckedAction } from "../envelope";
import { conditionOperands, isWholeInRange, numberValue, show } from "../values";
import { checkEqualsOnly } from "./conditions";

/** The operands must be exactly `expected` (as a set, each once). */
function exactOperands(action: CheckedAction, expected: readonly string[]): boolean {
  const operands = conditionOperands(action.transitions);
  return operands.length === expected.length && expected.every((e) => operands.includes(e));
}

export const checkLoop: ActionRule = (action, context) => {
  if (action.type !== "Loop") return;
  const { findings } = context;
  const { min, max } = FLOW_LIMITS.loopCount;
  const count = numberValue(action.parameters.LoopCount);
  if (count.kind === "number" && !isWholeInRange(count.value, min, max)) {
    findings.error("loop-count", action.id, `LoopCount is ${show(action.parameters.LoopCount)}; allowed: ${min}-${max}`, `set LoopCount to a whole number from ${min} to ${max}; for more rounds, nest loops or keep a counter attribute`);
  } else if (count.kind === "invalid") {
    findings.error("loop-count", action.id, `LoopCount is ${show(action.parameters.LoopCount)}`, `give a whole number from ${min} to ${max}, or exactly one JSONPath reference`);
  }
  checkEqualsOnly(action, context, "the loop state");
  if (!exactOperands(action, ["ContinueLooping", "DoneLooping"])) {
    findings.error("loop-conditions", action.id, `Loop conditions are [${conditionOperands(action.transitions).join(", ")}]`, "give exactly two conditions: Equals ContinueLooping (the body) and Equals DoneLooping (after the last round)");
  }
};

export const checkWait: ActionRule = (action, context: RuleContext) => {
  if (action.type !== "Wait") return;
  const { findings } = context;
  const p = action.parameters;
  if (p.TimeoutSeconds !== undefined) {
    findings.error("wait-timeout-seconds", action.id, `Wait has TimeoutSeconds ${show(p.TimeoutSeconds)}; the service refuses that name although the reference documents it`, `use "TimeLimitSeconds": ${show(p.TimeoutSeconds)}`);
  }
  const { min, max } = FLOW_LIMITS.waitSeconds;
  const limit = numberValue(p.TimeLimitSeconds);
  if (limit.kind === "missing" && p.TimeoutSeconds === undefined) {
    findings.error("parameter-missing", action.id, "Wait has no TimeLimitSeconds", `add "TimeLimitSeconds": "<seconds, ${min}-${max}>"`);
  } else if ((limit.kind === "number" && !isWholeInRange(limit.value, min, max)) || limit.kind === "invalid") {
    findings.error("wait-time-limit", action.id, `TimeLimitSeconds is ${show(p.TimeLimitSeconds)}; allowed: ${min}-${max} seconds or one JSONPath reference`, `set a whole number of seconds from ${min} to ${max} (7 days)`);
  }
  const events = Array.isArray(p.Events) ? p.Events : p.Events === undefined ? [] : undefined;
  if (events === undefined || events.some((e) => e !== "CustomerReturned" && e !== "BotParticipantDisconnected")) {
    findings.error("parameter-value", action.id, `Wait Events is ${show(p.Events)}`, 'list only "CustomerReturned" and/or "BotParticipantDisconnected"');
  }
  checkEqualsOnly(action, context, "the wait result");
  const continueMode = String(p.ContinueExecution ?? "").toLowerCase() === "true";
  const expected = continueMode ? ["Continue", "WaitCompleted"] : ["WaitCompleted", ...(events ?? []).map(String)];
  if (!exactOperands(action, expected)) {
    findings.error("wait-conditions", action.id, `Wait conditions are [${conditionOperands(action.transitions).join(", ")}]; expected [${expected.join(", ")}]`, "give one Equals condition for WaitCompleted and one for each listed event (Continue and WaitCompleted in continue mode)");
  }
};
