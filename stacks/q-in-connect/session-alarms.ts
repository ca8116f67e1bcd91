import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { type AlarmsConfig, failureRateFor } from "../../config/schema/alarms";
import { Metric } from "../../functions/shared/metrics";
import { KitContext } from "../context";
import { failureRateAlarm } from "../observability/metric-alarms";

export interface SessionAlarmsProps {
  readonly config: AlarmsConfig;
  /** The deployed qconnect-session function's name. */
  readonly functionName: string;
}

/**
 * Alarms on `qconnect-session`, which a Q in Connect flow calls to select the channel's AI agent. It never
 * throws (the flow goes on with the assistant's default agent), so its own metrics show failures:
 * `agent-selection` is the rate of calls that did not set the agent (AgentSelectionFailed plus
 * InvalidEvents, per call), `errors` the Lambda errors (crash or timeout) that should never happen.
 */
export class SessionAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: SessionAlarmsProps) {
    super(scope, id);
    const context = KitContext.of(this);
    const fn = "qconnect-session";
    const failed = [
      { function: fn, metric: Metric.AgentSelectionFailed },
      { function: fn, metric: Metric.InvalidEvents },
    ];
    this.alarms = [
      failureRateAlarm(this, "agent-selection", {
        alarmName: context.name("qconnect-session-agent-selection"),
        description:
          "qconnect-session could not set the channel's Q in Connect AI agent (UpdateSession failed or ran out of time, bad configuration, or the flow passes no usable session): those contacts run the assistant's default agent",
        failures: failed,
        total: [{ function: fn, metric: Metric.AgentSelected }, ...failed],
        rule: failureRateFor(props.config, "agentSelection"),
      }),
      new CloudwatchMetricAlarm(this, "errors", {
        alarmName: context.name("qconnect-session-errors"),
        alarmDescription: "qconnect-session returned errors (unhandled failures or timeouts); the flow took its error branch",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: props.functionName },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        treatMissingData: "notBreaching",
      }),
    ];
  }
}
