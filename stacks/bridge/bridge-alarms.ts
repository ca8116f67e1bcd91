import { Construct } from "constructs";
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { BridgeConfig } from "../../config/schema/bridge";
import { Metric, METRIC_NAMESPACE } from "../../functions/shared/metrics";
import { KitContext } from "../context";

export interface BridgeAlarmsProps {
  readonly config: BridgeConfig["alarms"];
  /** Functions whose Lambda `Errors` raise an alarm. */
  readonly functionNames: Readonly<Record<string, string>>;
  /** Functions that call Bedrock, by their metric dimension (the kit's function name). */
  readonly bedrockCallers: readonly string[];
  /** The async worker's failure queue, when the poll strategy is in use. */
  readonly failureQueueName?: string;
}

/**
 * Alarms on the bridge: function errors, records in the worker's failure queue, and Bedrock throttles
 * seen by the functions (they emit BedrockThrottles; retries hide throttles from customers until
 * they run out). Optionally an encrypted SNS topic with email subscriptions receives them.
 */
export class BridgeAlarms extends Construct {
  readonly topicArn?: string;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: BridgeAlarmsProps) {
    super(scope, id);
    const context = KitContext.of(this);
    if (props.config.createTopic) {
      const topic = new SnsTopic(this, "topic", { name: context.name("bridge-alarms"), kmsMasterKeyId: "alias/aws/sns" });
      this.topicArn = topic.arn;
      props.config.emails.forEach(
        (email, index) => new SnsTopicSubscription(this, `email-${index}`, { topicArn: topic.arn, protocol: "email", endpoint: email }),
      );
    }
    const common = {
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      evaluationPeriods: 1,
      period: 300,
      statistic: "Sum",
      treatMissingData: "notBreaching",
      alarmActions: this.topicArn ? [this.topicArn] : undefined,
      okActions: this.topicArn ? [this.topicArn] : undefined,
    } satisfies Partial<CloudwatchMetricAlarmConfig>;
    for (const [key, functionName] of Object.entries(props.functionNames)) {
      this.add(`${key}-errors`, {
        ...common,
        alarmName: context.name(`${key}-errors`),
        alarmDescription: `${key} returned errors (unhandled failures or timeouts)`,
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: functionName },
        threshold: key === "bedrock-worker" ? props.config.workerErrorThreshold : 1,
      });
    }
    if (props.failureQueueName) {
      this.add("worker-failures", {
        ...common,
        alarmName: context.name("bridge-worker-failures"),
        alarmDescription: "async worker events were dropped to the failure queue (crash, timeout or event too old)",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: props.failureQueueName },
        statistic: "Maximum",
        threshold: 1,
      });
    }
    for (const caller of props.bedrockCallers) {
      this.add(`${caller}-bedrock-throttles`, {
        ...common,
        alarmName: context.name(`${caller}-bedrock-throttles`),
        alarmDescription: `Bedrock throttled ${caller}; raise the model's quota or use a cross-region profile`,
        namespace: METRIC_NAMESPACE,
        metricName: Metric.BedrockThrottles,
        dimensions: { Environment: context.env.name, Function: caller },
        threshold: props.config.throttleThreshold,
      });
    }
  }

  private add(id: string, config: CloudwatchMetricAlarmConfig): void {
    this.alarms.push(new CloudwatchMetricAlarm(this, id, config));
  }
}
