/** Action types: refused names are errors; names off the allow-list are warnings (errors when strict). */
import { REAL_TYPES, REJECTED_TYPES } from "../catalogue";
import type { ActionRule } from "../context";

const byLowerCase = new Map([...REAL_TYPES].map((t) => [t.toLowerCase(), t]));

export const checkActionType: ActionRule = (action, { findings }) => {
  if (REAL_TYPES.has(action.type)) return;
  const instead = REJECTED_TYPES[action.type];
  if (instead) {
    findings.error("action-type-rejected", action.id, `type "${action.type}" is refused by the service (Invalid Action type)`, instead);
    return;
  }
  const spelled = byLowerCase.get(action.type.toLowerCase());
  if (spelled) {
    findings.error("action-type-rejected", action.id, `type "${action.type}" is spelled differently by the service (type names are exact)`, `use "${spelled}"`);
    return;
  }
  findings.strictError("action-type-unknown", action.id, `type "${action.type}" is not a known Flow language action type`, "check the exact type name in a console export; if it is real, add it to the validator's allow-list");
};
