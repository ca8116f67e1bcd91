/** What every rule receives. */
import type { FlowChannel, FlowType } from "../wire";
import type { CheckedAction, CheckedFlow } from "./envelope";
import type { FindingCollector } from "./findings";

export interface RuleContext {
  readonly flow: CheckedFlow;
  readonly findings: FindingCollector;
  /** The channels the flow serves; undefined when unknown (channel rules are then skipped). */
  readonly channels: readonly FlowChannel[] | undefined;
  /** The flow type; undefined when unknown (flow-type rules are then skipped). */
  readonly flowType: FlowType | undefined;
  readonly strict: boolean;
}

/** A rule that looks at one action at a time. */
export type ActionRule = (action: CheckedAction, context: RuleContext) => void;
