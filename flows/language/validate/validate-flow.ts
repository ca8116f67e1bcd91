/**
 * The flow validator: checks a Flow language document against the language reference, what the
 * service refused in publish tests, and the kit's conventions. Placeholders are opaque everywhere.
 */
import { type FlowChannel, FLOW_CHANNELS, type FlowType, isFlowType } from "../wire";
import type { ActionRule, RuleContext } from "./context";
import { checkEnvelope } from "./envelope";
import { FindingCollector, type FlowFinding, formatFinding } from "./findings";
import { checkActionType } from "./rules/action-types";
import { checkChannels } from "./rules/channels";
import { checkCompare } from "./rules/compare";
import { checkConditions } from "./rules/conditions";
import { checkAttributes, checkBehaviors, checkContactData, checkEventHooks, checkQueues } from "./rules/contact";
import { checkErrorBranches } from "./rules/error-branches";
import { checkFlowTypeAction, checkModuleSettings } from "./rules/flow-types";
import { checkIdentifiers, checkReachability, checkTargets, checkTerminalConventions } from "./rules/graph";
import { checkLambda } from "./rules/lambda";
import { checkLoop, checkWait } from "./rules/loop-wait";
import { checkEmptyStrings, checkMessageSource, checkParameterNames } from "./rules/parameters";
import { checkGetParticipantInput, checkHoursOfOperation, checkLex, checkShowView } from "./rules/participant";

export interface ValidateFlowOptions {
  /**
   * The channels the flow serves.
   * @default unknown: channel rules are skipped
   */
  readonly channels?: readonly FlowChannel[];
  /**
   * The flow type (`aws_connect_contact_flow.type`, or "MODULE"); other strings count as unknown.
   * @default unknown: flow-type rules are skipped
   */
  readonly flowType?: FlowType | string;
  /**
   * The kit's own flows: unreachable actions, unknown types, undeclared errors and parameters are
   * errors instead of warnings.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * The content text the size limit applies to (e.g. the file's text or a wrapper's Content).
   * @default JSON.stringify(document)
   */
  readonly content?: string;
}

const ACTION_RULES: readonly ActionRule[] = [
  checkActionType,
  checkErrorBranches,
  checkParameterNames,
  checkMessageSource,
  checkEmptyStrings,
  checkConditions,
  checkLoop,
  checkWait,
  checkLambda,
  checkCompare,
  checkLex,
  checkGetParticipantInput,
  checkShowView,
  checkHoursOfOperation,
  checkAttributes,
  checkEventHooks,
  checkContactData,
  checkQueues,
  checkBehaviors,
  checkChannels,
  checkFlowTypeAction,
];

/** Findings for a flow document, in a stable order: document-level first, then per action. */
export function validateFlow(document: unknown, options: ValidateFlowOptions = {}): FlowFinding[] {
  const findings = new FindingCollector(options.strict ?? false);
  const content = options.content ?? JSON.stringify(document) ?? "";
  const flow = checkEnvelope(document, content, findings);
  if (!flow) return findings.findings;
  const channels = options.channels?.filter((c) => (FLOW_CHANNELS as readonly string[]).includes(c));
  const context: RuleContext = {
    flow,
    findings,
    channels: channels && channels.length > 0 ? channels : undefined,
    flowType: options.flowType !== undefined && isFlowType(options.flowType) ? options.flowType : undefined,
    strict: findings.strict,
  };
  checkModuleSettings(context);
  checkIdentifiers(context);
  checkTargets(context);
  checkTerminalConventions(context);
  checkReachability(context);
  for (const action of flow.actions) for (const rule of ACTION_RULES) rule(action, context);
  return findings.findings;
}

/** The validator's errors, thrown by {@link assertValidFlow}. */
export class FlowValidationError extends Error {
  constructor(
    readonly flowName: string,
    readonly findings: readonly FlowFinding[],
  ) {
    const errors = findings.filter((f) => f.severity === "error");
    super(`flow "${flowName}" is not valid (${errors.length} error${errors.length === 1 ? "" : "s"}):\n${errors.map((f) => `  - ${formatFinding(f)}`).join("\n")}`);
    this.name = "FlowValidationError";
  }
}

/**
 * Validates and throws a {@link FlowValidationError} when there is any error; returns the warnings.
 * Synthesis calls this for every flow the kit writes (with `strict: true`).
 */
export function assertValidFlow(flowName: string, document: unknown, options: ValidateFlowOptions = {}): FlowFinding[] {
  const findings = validateFlow(document, options);
  if (findings.some((f) => f.severity === "error")) throw new FlowValidationError(flowName, findings);
  return findings;
}
