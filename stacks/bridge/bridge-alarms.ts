import { Construct } from "constructs";
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { type AlarmsConfig, failureRateFor } from "../../config/schema/alarms";
import { Metric } from "../../functions/shared/metrics";
import { KitContext } from "../context";
import { countAlarm, failureRateAlarm, type KitMetric } from "../observability/metric-alarms";

/** The bridge functions by their metric dimension (the kit's function name). */
export type BridgeFunction = "lex-fulfillment" | "bedrock-worker" | "answer-poller";

export interface BridgeAlarmsProps {
  /** The environment's `alarms` section. */
  readonly config: AlarmsConfig;
  /** Physical names of the deployed bridge functions, by kit function name. */
  readonly functionNames: Readonly<Partial<Record<BridgeFunction, string>>>;
  /** Functions that call Bedrock. */
  readonly bedrockCallers: readonly BridgeFunction[];
  /** Whether lex-fulfillment answers turns synchronously (voice, chat streaming/standard). */
  readonly synchronous: boolean;
  /** The async worker's failure queue, when the poll strategy is in use. */
  readonly failureQueueName?: string;
  /** lex-fulfillment's Lambda timeout in seconds. */
  readonly fulfillmentTimeoutSeconds: number;
}

/** Seconds below the Lambda timeout at which an invocation counts as having run out of time. */
const TIMEOUT_MARGIN_SECONDS = 1;

/**
 * Alarms on the bridge. The functions are built never to throw (a customer always gets an answer or an
 * apology), so Lambda's Errors hardly ever move: what pages is the rate at which customers fail, from the
 * metrics the functions emit (stacks/observability/metric-alarms.ts explains the rate expression):
 *
 * - `<caller>-bedrock-errors`, `<caller>-bedrock-throttles`: failed / throttled Bedrock calls per call made
 *   (answers attempted plus retries): access denied or a model not enabled is ~100 % at once;
 * - `sync-failures`: synchronous turns answered with the apology;
 * - `poll-failures`: chat turns the poller ended FAILED or EXPIRED, per turn result (READY, FAILED,
 *   EXPIRED; PENDING is not a result, the flow polls again);
 * - `worker-invoke-errors`: chat turns whose worker could not be started;
 * - `answers-failed`: chat turns the worker stored as FAILED;
 *
 * and absolute alarms where any occurrence is wrong: `store-errors` (DynamoDB errors storing turns),
 * `worker-failures` (events in the worker's failure queue), `<function>-errors` (Lambda errors: a crash or
 * a timeout, which the handlers are built never to reach) and `lex-fulfillment-timeouts` (an invocation
 * that ran to within a second of its timeout: Lex has already given that customer its timeout message).
 *
 * The construct ids of the alarms that existed before (`<function>-errors`, `worker-failures`,
 * `<caller>-bedrock-throttles`) are Terraform addresses in users' states: keep them.
 */
export class BridgeAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  /** Functions whose Bedrock calls are alarmed. */
  readonly bedrockCallers: readonly BridgeFunction[];
  /** Whether lex-fulfillment answers synchronously. */
  readonly synchronous: boolean;

  constructor(scope: Construct, id: string, props: BridgeAlarmsProps) {
    super(scope, id);
    const context = KitContext.of(this);
    const { config } = props;
    this.bedrockCallers = props.bedrockCallers;
    this.synchronous = props.synchronous;
    const common = {
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      evaluationPeriods: 1,
      period: 300,
      statistic: "Sum",
      treatMissingData: "notBreaching",
    } satisfies Partial<CloudwatchMetricAlarmConfig>;
    for (const [fn, functionName] of Object.entries(props.functionNames) as [BridgeFunction, string][]) {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `${fn}-errors`, {
          ...common,
          alarmName: context.name(`${fn}-errors`),
          alarmDescription: `${fn} returned errors (unhandled failures or timeouts)`,
          namespace: "AWS/Lambda",
          metricName: "Errors",
          dimensions: { FunctionName: functionName },
          threshold: fn === "bedrock-worker" ? config.workerErrors : 1,
        }),
      );
    }
    if (props.failureQueueName) {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, "worker-failures", {
          ...common,
          alarmName: context.name("bridge-worker-failures"),
          alarmDescription: "async worker events were dropped to the failure queue (crash, timeout or event too old)",
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: props.failureQueueName },
          statistic: "Maximum",
          threshold: 1,
        }),
      );
    }

    const m = (fn: BridgeFunction, metric: KitMetric["metric"]): KitMetric => ({ function: fn, metric });
    /** Turns that reached Bedrock, per caller: what its Bedrock calls are counted against. */
    const attempted: Record<string, KitMetric[]> = {
      "bedrock-worker": [m("bedrock-worker", Metric.AnswersStored), m("bedrock-worker", Metric.AnswersFailed)],
      "lex-fulfillment": [m("lex-fulfillment", Metric.SyncAnswers), m("lex-fulfillment", Metric.SyncFailures)],
    };
    for (const caller of props.bedrockCallers) {
      const calls = [...attempted[caller], m(caller, Metric.BedrockRetries)];
      this.alarms.push(
        failureRateAlarm(this, `${caller}-bedrock-errors`, {
          alarmName: context.name(`${caller}-bedrock-errors`),
          description: `Bedrock refused or failed ${caller}'s calls (access denied, model not enabled, validation, 5xx, timeouts): check the model access and the logs`,
          failures: [m(caller, Metric.BedrockErrors)],
          total: calls,
          rule: failureRateFor(config, "bedrockErrors"),
        }),
        failureRateAlarm(this, `${caller}-bedrock-throttles`, {
          alarmName: context.name(`${caller}-bedrock-throttles`),
          description: `Bedrock throttled ${caller}'s calls; raise the model's quota or use a cross-region profile`,
          failures: [m(caller, Metric.BedrockThrottles)],
          total: calls,
          rule: failureRateFor(config, "bedrockThrottles"),
        }),
      );
    }
    if (props.synchronous) {
      this.alarms.push(
        failureRateAlarm(this, "sync-failures", {
          alarmName: context.name("bridge-sync-failures"),
          description: "customers got the apology instead of an answer on synchronous turns (voice, chat streaming/standard)",
          failures: [m("lex-fulfillment", Metric.SyncFailures)],
          total: [m("lex-fulfillment", Metric.SyncAnswers), m("lex-fulfillment", Metric.SyncFailures)],
          rule: failureRateFor(config, "syncFailures"),
        }),
      );
    }
    if (props.functionNames["answer-poller"]) {
      this.alarms.push(
        failureRateAlarm(this, "poll-failures", {
          alarmName: context.name("bridge-poll-failures"),
          description: "chat turns ended FAILED or EXPIRED instead of READY (the customer got the apology or the expired message)",
          failures: [m("answer-poller", Metric.PollFailed), m("answer-poller", Metric.PollExpired)],
          total: [m("answer-poller", Metric.PollReady), m("answer-poller", Metric.PollFailed), m("answer-poller", Metric.PollExpired)],
          rule: failureRateFor(config, "pollFailures"),
        }),
      );
    }
    if (props.functionNames["bedrock-worker"]) {
      this.alarms.push(
        failureRateAlarm(this, "worker-invoke-errors", {
          alarmName: context.name("bridge-worker-invoke-errors"),
          description: "lex-fulfillment could not start the worker for chat turns (Lambda Invoke failed): those customers got the apology",
          failures: [m("lex-fulfillment", Metric.WorkerInvokeErrors)],
          total: [m("lex-fulfillment", Metric.TurnsStarted), m("lex-fulfillment", Metric.WorkerInvokeErrors)],
          rule: failureRateFor(config, "workerInvokeErrors"),
        }),
        failureRateAlarm(this, "answers-failed", {
          alarmName: context.name("bridge-answers-failed"),
          description: "the worker stored chat turns as FAILED (Bedrock error, timeout, guardrail, malformed output)",
          failures: [m("bedrock-worker", Metric.AnswersFailed)],
          total: [m("bedrock-worker", Metric.AnswersStored), m("bedrock-worker", Metric.AnswersFailed)],
          rule: failureRateFor(config, "answersFailed"),
        }),
      );
    }
    const storing: BridgeFunction[] = ["lex-fulfillment", ...(props.functionNames["bedrock-worker"] ? (["bedrock-worker"] as const) : [])];
    this.alarms.push(
      countAlarm(this, "store-errors", {
        alarmName: context.name("bridge-store-errors"),
        description: "DynamoDB errors writing turns (throttling, KMS key, permissions): turns are lost or answered without history",
        metrics: storing.map((fn) => m(fn, Metric.StoreErrors)),
        threshold: config.storeErrors,
        rule: config.failureRate,
      }),
    );
    const fulfillmentName = props.functionNames["lex-fulfillment"];
    if (fulfillmentName) {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, "lex-fulfillment-timeouts", {
          alarmName: context.name("lex-fulfillment-timeouts"),
          alarmDescription:
            `lex-fulfillment ran out of time: an invocation lasted ${props.fulfillmentTimeoutSeconds - TIMEOUT_MARGIN_SECONDS} s or more of its ${props.fulfillmentTimeoutSeconds} s timeout. ` +
            "The handler stops itself seconds earlier, so this is a hang or a defect, and Lex has already given that customer its timeout or failure message",
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          namespace: "AWS/Lambda",
          metricName: "Duration",
          dimensions: { FunctionName: fulfillmentName },
          statistic: "Maximum",
          period: 60,
          evaluationPeriods: 1,
          threshold: (props.fulfillmentTimeoutSeconds - TIMEOUT_MARGIN_SECONDS) * 1000,
          treatMissingData: "notBreaching",
        }),
      );
    }
  }
}
