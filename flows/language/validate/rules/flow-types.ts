/** Flow-type rules: which actions each flow type accepts, and Settings for modules. */
import type { FlowType } from "../../wire";
import type { ActionRule, RuleContext } from "../context";

const WHISPER: readonly FlowType[] = ["AGENT_WHISPER", "CUSTOMER_WHISPER", "OUTBOUND_WHISPER"];
const HOLD: readonly FlowType[] = ["CUSTOMER_HOLD", "AGENT_HOLD"];

interface TypeRule {
  readonly type: string;
  readonly refusedIn: (flowType: FlowType) => boolean;
  readonly fix: string;
  /** Known from documentation only, not from a publish test: a warning. */
  readonly documented?: boolean;
}

const RULES: readonly TypeRule[] = [
  { type: "EndFlowExecution", refusedIn: (t) => t === "CONTACT_FLOW", fix: "end a contact flow with DisconnectParticipant or a transfer" },
  { type: "DisconnectParticipant", refusedIn: (t) => WHISPER.includes(t) || HOLD.includes(t), fix: "end whisper and hold flows with EndFlowExecution" },
  {
    type: "TransferContactToQueue",
    refusedIn: (t) => !["CONTACT_FLOW", "AGENT_TRANSFER", "QUEUE_TRANSFER", "MODULE"].includes(t),
    fix: "transfer from the inbound (CONTACT_FLOW) or a transfer flow",
  },
  { type: "CompleteOutboundCall", refusedIn: (t) => t === "CONTACT_FLOW", fix: "use it in outbound flows only" },
  { type: "EndFlowModuleExecution", refusedIn: (t) => t !== "MODULE", fix: "end a flow with DisconnectParticipant or EndFlowExecution", documented: true },
  { type: "MessageParticipant", refusedIn: (t) => HOLD.includes(t), fix: "use MessageParticipantIteratively in hold flows", documented: true },
  { type: "ConnectParticipantWithLexBot", refusedIn: (t) => WHISPER.includes(t) || HOLD.includes(t), fix: "collect input in the inbound or customer queue flow", documented: true },
  {
    type: "UpdateContactTargetQueue",
    refusedIn: (t) => WHISPER.includes(t) || HOLD.includes(t) || t === "CUSTOMER_QUEUE",
    fix: "set the working queue in the inbound or a transfer flow",
    documented: true,
  },
  { type: "CheckHoursOfOperation", refusedIn: (t) => WHISPER.includes(t) || HOLD.includes(t), fix: "check hours in the inbound, transfer or customer queue flow", documented: true },
];

export const checkFlowTypeAction: ActionRule = (action, { flowType, findings }) => {
  if (!flowType) return;
  for (const rule of RULES) {
    if (rule.type !== action.type || !rule.refusedIn(flowType)) continue;
    const message = `${action.type} is not allowed in a ${flowType} flow`;
    if (rule.documented) findings.warning("flow-type-action", action.id, `${message} (per the action reference)`, rule.fix);
    else findings.error("flow-type-action", action.id, message, rule.fix);
  }
};

export function checkModuleSettings({ flow, flowType, findings }: RuleContext): void {
  if (!flowType) return;
  if (flowType === "MODULE" && !flow.hasSettings) {
    findings.error("module-settings", undefined, "the module content has no Settings; CreateContactFlowModule refuses it", "add Settings with the module's InputParameters, OutputParameters and Transitions");
  }
  if (flowType !== "MODULE" && flow.hasSettings) {
    findings.error("module-settings", undefined, `the ${flowType} content has Settings, which only flow modules have`, "remove Settings, or deploy the content as a flow module");
  }
}
