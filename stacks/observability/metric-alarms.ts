import type { Construct } from "constructs";
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmMetricQuery } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { FailureRate } from "../../config/schema/alarms";
import { METRIC_NAMESPACE, type MetricName } from "../../functions/shared/metrics";
import { KitContext } from "../context";

/**
 * Builders for the kit's CloudWatch alarms. Every alarm treats missing data as not breaching (no traffic
 * is not an outage) and gets its notification actions from AlarmTopic (stacks/observability/alarm-topic.ts),
 * which routes every alarm of the stack to the environment's topic.
 */

/** One of the kit's embedded metrics, as one function emits it (dimensions Environment + Function). */
export interface KitMetric {
  readonly metric: MetricName;
  /** The emitting function's name in the metrics (its source folder: "bedrock-worker"). */
  readonly function: string;
}

export interface FailureRateAlarmProps {
  readonly alarmName: string;
  readonly description: string;
  /** Metrics whose sum is the period's failures. */
  readonly failures: readonly KitMetric[];
  /** Metrics whose sum is the period's requests (failures included where they are requests too). */
  readonly total: readonly KitMetric[];
  readonly rule: FailureRate;
}

/**
 * A metric-math alarm on a failure percentage: per period,
 *
 *   IF(total >= minimumRequests, 100 * failures / total,
 *      IF(failures >= allFailingMinimum AND failures >= total, 100, 0))
 *
 * so a busy period alarms on its percentage, and a quiet one (the night) only when every request failed
 * (enough of them to rule out one unlucky contact). Each metric is FILLed with 0 and sums use the array
 * form, SUM([...]), so an outcome that never happened in a period (no successes during an outage: the
 * functions emit only what happened) does not blank the expression. `treat_missing_data = notBreaching`:
 * no traffic at all is no failure.
 */
export function failureRateAlarm(scope: Construct, id: string, props: FailureRateAlarmProps): CloudwatchMetricAlarm {
  const context = KitContext.of(scope);
  const { rule } = props;
  const ids = new Map<string, string>();
  const queries: CloudwatchMetricAlarmMetricQuery[] = [];
  const idOf = (m: KitMetric): string => {
    const key = `${m.function}/${m.metric}`;
    let queryId = ids.get(key);
    if (!queryId) {
      queryId = `m${ids.size}`;
      ids.set(key, queryId);
      queries.push({
        id: queryId,
        label: `${m.function} ${m.metric}`,
        returnData: false,
        metric: {
          namespace: METRIC_NAMESPACE,
          metricName: m.metric,
          dimensions: { Environment: context.env.name, Function: m.function },
          period: rule.periodSeconds,
          stat: "Sum",
        },
      });
    }
    return queryId;
  };
  const sum = (metrics: readonly KitMetric[]): string => {
    const filled = metrics.map((m) => `FILL(${idOf(m)}, 0)`);
    return filled.length === 1 ? filled[0] : `SUM([${filled.join(", ")}])`;
  };
  const failures = sum(props.failures);
  const total = sum(props.total);
  if (ids.size > 10) throw new Error(`alarm ${props.alarmName}: CloudWatch allows 10 metrics per alarm, ${ids.size} given`);
  queries.push(
    { id: "failures", expression: failures, label: "failures", returnData: false },
    { id: "total", expression: total, label: "requests", returnData: false },
    {
      id: "rate",
      expression:
        `IF(total >= ${rule.minimumRequests}, 100 * failures / total, ` +
        `IF(failures >= ${rule.allFailingMinimum} AND failures >= total, 100, 0))`,
      label: "failure %",
      returnData: true,
    },
  );
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: props.alarmName,
    alarmDescription:
      `${props.description}. ALARM when at least ${rule.datapointsToAlarm} of ${rule.evaluationPeriods} periods of ${rule.periodSeconds / 60} min ` +
      `reach ${rule.percent}% (with ${rule.minimumRequests}+ requests in the period; with fewer, when all of at least ${rule.allFailingMinimum} failed).`,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: rule.percent,
    evaluationPeriods: rule.evaluationPeriods,
    datapointsToAlarm: rule.datapointsToAlarm,
    treatMissingData: "notBreaching",
    metricQuery: queries,
  });
}

export interface CountAlarmProps {
  readonly alarmName: string;
  readonly description: string;
  /** Metrics whose sum per period is compared with the threshold. */
  readonly metrics: readonly KitMetric[];
  /** Count per period that makes the period count as failing. */
  readonly threshold: number;
  readonly rule: Pick<FailureRate, "periodSeconds" | "evaluationPeriods" | "datapointsToAlarm">;
}

/** An alarm on an absolute count of the kit's metrics (summed over functions), for what should never happen. */
export function countAlarm(scope: Construct, id: string, props: CountAlarmProps): CloudwatchMetricAlarm {
  const context = KitContext.of(scope);
  const { rule } = props;
  const queries: CloudwatchMetricAlarmMetricQuery[] = props.metrics.map((m, index) => ({
    id: `m${index}`,
    label: `${m.function} ${m.metric}`,
    returnData: false,
    metric: {
      namespace: METRIC_NAMESPACE,
      metricName: m.metric,
      dimensions: { Environment: context.env.name, Function: m.function },
      period: rule.periodSeconds,
      stat: "Sum",
    },
  }));
  const filled = queries.map((q) => `FILL(${q.id}, 0)`);
  queries.push({ id: "count", expression: filled.length === 1 ? filled[0] : `SUM([${filled.join(", ")}])`, label: "count", returnData: true });
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: props.alarmName,
    alarmDescription: `${props.description}. ALARM when at least ${rule.datapointsToAlarm} of ${rule.evaluationPeriods} periods of ${rule.periodSeconds / 60} min count ${props.threshold} or more.`,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: props.threshold,
    evaluationPeriods: rule.evaluationPeriods,
    datapointsToAlarm: rule.datapointsToAlarm,
    treatMissingData: "notBreaching",
    metricQuery: queries,
  });
}

export interface InsightsCountAlarmProps {
  readonly alarmName: string;
  readonly description: string;
  /** A CloudWatch Metrics Insights query returning one time series (no GROUP BY). */
  readonly query: string;
  readonly threshold: number;
  readonly rule: Pick<FailureRate, "periodSeconds" | "evaluationPeriods" | "datapointsToAlarm">;
}

/**
 * An alarm on a Metrics Insights query: for AWS metrics published under several dimension sets that the
 * kit cannot list ahead (Lex's by operation, locale and input mode). An alarm holds only that one query.
 */
export function insightsCountAlarm(scope: Construct, id: string, props: InsightsCountAlarmProps): CloudwatchMetricAlarm {
  const { rule } = props;
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: props.alarmName,
    alarmDescription: `${props.description}. ALARM when at least ${rule.datapointsToAlarm} of ${rule.evaluationPeriods} periods of ${rule.periodSeconds / 60} min count ${props.threshold} or more.`,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: props.threshold,
    evaluationPeriods: rule.evaluationPeriods,
    datapointsToAlarm: rule.datapointsToAlarm,
    treatMissingData: "notBreaching",
    metricQuery: [{ id: "q", expression: props.query, period: rule.periodSeconds, label: "count", returnData: true }],
  });
}
