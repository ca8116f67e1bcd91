/**
 * The agent-UI flow: the flow a customer flow sets as the contact's `DefaultAgentUI` event hook, so the
 * agent workspace runs it as a step-by-step guide when the agent accepts a handed-over contact. It
 * shows the handoff summary view and ends; every branch disconnects the guide (a CONTACT_FLOW may not
 * use EndFlowExecution).
 */
import { type FlowDocument, FlowBuilder, type FlowNumber } from "../language";
import { HANDOFF_VIEW_KEYS } from "./view-template";

export interface AgentUiFlowOptions {
  /**
   * The view to show, version-qualified (`<view ARN>:<version>`, e.g. the ViewVersion's
   * ViewVersionArn, or `<view ARN>:$LATEST`); a token is fine. Written as given.
   */
  readonly viewArn: string;
  /** Seconds the view stays open (ShowView InvocationTimeLimitSeconds): config `flows.handoff.viewTimeoutSeconds`. */
  readonly timeoutSeconds: FlowNumber;
  /** Turn flow logs on for the guide first (the other flows of the kit log too). @default true */
  readonly logging?: boolean;
}

/** Identifiers of the flow's actions (for tests and diagrams). */
export const AGENT_UI_ACTIONS = { logging: "enable-flow-logs", show: "show-handoff-summary", end: "end-guide" } as const;

/**
 * The ShowView ViewData: every key the view reads, taken from the contact attribute of the same name.
 * The values are references only, never literal text, so none is an empty string.
 */
export function handoffViewData(): Record<string, string> {
  return Object.fromEntries(HANDOFF_VIEW_KEYS.map((key) => [key, `$.Attributes.${key}`]));
}

/** The agent-UI flow document (type CONTACT_FLOW). */
export function buildAgentUiFlow(options: AgentUiFlowOptions): FlowDocument {
  const flow = new FlowBuilder();
  const show = flow.ref(AGENT_UI_ACTIONS.show);
  const end = flow.ref(AGENT_UI_ACTIONS.end);
  if (options.logging ?? true) flow.updateFlowLoggingBehavior(AGENT_UI_ACTIONS.logging, { enabled: true, next: show });
  flow.showView(AGENT_UI_ACTIONS.show, {
    viewArn: options.viewArn,
    version: "as-given",
    timeoutSeconds: options.timeoutSeconds,
    viewData: handoffViewData(),
    onNoMatch: end,
    onTimeout: end,
    onError: end,
  });
  flow.disconnectParticipant(AGENT_UI_ACTIONS.end);
  return flow.toDocument();
}
