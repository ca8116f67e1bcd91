import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type { Channel, Engine } from "../../config/schema/common";
import type { ChatStrategy } from "../../config/schema/environment";
import { Metric, METRIC_NAMESPACE, type MetricName } from "../../functions/shared/metrics";
import { KitContext } from "../context";
import { lexAliasQuery } from "../lex/bot-alarms";
import type { ILexBotAlias } from "../lex/self-service-bot";

// ---------------------------------------------------------------------------------------------
// The dashboard body as typed JSON (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html)

/** Rendering options of one line of a metric widget. */
export interface MetricOptions {
  readonly stat?: string;
  readonly label?: string;
  readonly period?: number;
  readonly yAxis?: "left" | "right";
  readonly id?: string;
  readonly visible?: boolean;
}

/** `[namespace, metricName, dimName, dimValue, ..., options]` (a metric) or `[{expression, ...}]` (math or a Metrics Insights query). */
export type MetricLine = readonly (string | MetricOptions)[] | readonly [{ readonly expression: string; readonly label: string; readonly id: string; readonly period?: number }];

export interface MetricWidgetProperties {
  readonly title: string;
  readonly region: string;
  readonly view: "timeSeries";
  readonly stacked: boolean;
  readonly period: number;
  readonly stat: string;
  readonly metrics: readonly MetricLine[];
  readonly yAxis?: { readonly left?: { readonly min?: number; readonly label?: string }; readonly right?: { readonly min?: number; readonly label?: string } };
}

export type DashboardWidget =
  | { readonly type: "metric"; readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly properties: MetricWidgetProperties }
  | { readonly type: "text"; readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly properties: { readonly markdown: string } }
  | {
      readonly type: "alarm";
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
      readonly properties: { readonly title: string; readonly alarms: readonly string[]; readonly sortBy?: "stateUpdatedTimestamp"; readonly states?: readonly string[] };
    };

export interface DashboardBody {
  readonly start?: string;
  readonly periodOverride?: "auto" | "inherit";
  readonly widgets: readonly DashboardWidget[];
}

/** A kit metric line: `[namespace, name, "Environment", env, "Function", fn, options]`. */
export function kitMetric(environment: string, fn: string, metric: MetricName, options: MetricOptions = {}): MetricLine {
  return [METRIC_NAMESPACE, metric, "Environment", environment, "Function", fn, { label: `${fn} ${metric}`, ...options }];
}

// ---------------------------------------------------------------------------------------------
// What the environment deploys, and the widgets for it

/** One of the kit's Lambda functions: its label and deployed name. */
export interface DashboardFunction {
  /** The kit's name for it ("lex-fulfillment"). */
  readonly label: string;
  /** The deployed function name (may be a token). */
  readonly functionName: string;
}

export interface DashboardProps {
  /** Engine and (chat) strategy of each channel. */
  readonly channels: { readonly chat: { readonly engine: Engine; readonly strategy: ChatStrategy }; readonly voice: { readonly engine: Engine } };
  /** The bridge's pieces, when it is deployed. */
  readonly bridge?: {
    /** Whether the poll strategy (worker, poller, failure queue) is deployed. */
    readonly poll: boolean;
    /** Whether lex-fulfillment answers synchronously. */
    readonly synchronous: boolean;
    /** Functions that call Bedrock (kit names). */
    readonly bedrockCallers: readonly string[];
    readonly failureQueueName?: string;
  };
  /** Whether Q in Connect (and qconnect-session) is deployed. */
  readonly qInConnect: boolean;
  /** The bots, one per engine in use. */
  readonly bots: readonly ILexBotAlias[];
  /** Every Lambda function of the kit in the stack. */
  readonly functions: readonly DashboardFunction[];
  /** ARNs of the alarms to show in the alarm status widget. */
  readonly alarmArns: readonly string[];
}

const WIDTH = 12;
const HEIGHT = 6;
const PERIOD = 300;

/** Which channels an engine (and, for the bridge, a way of answering) serves, for widget titles. */
function channelsServed(channels: DashboardProps["channels"], engine: Engine, poll?: boolean): Channel[] {
  const served: Channel[] = [];
  if (channels.chat.engine === engine && (poll === undefined || (channels.chat.strategy === "poll") === poll)) served.push("chat");
  if (channels.voice.engine === engine && poll !== true) served.push("voice");
  return served;
}

const title = (channels: readonly Channel[]) => channels.join(" + ");

/** The dashboard body for what the environment deploys: every widget has something behind it. */
export function dashboardBody(region: string, environment: string, props: DashboardProps): DashboardBody {
  const widgets: DashboardWidget[] = [];
  let cursor = { x: 0, y: 0 };
  const place = (width: number, height: number) => {
    if (cursor.x + width > 24) cursor = { x: 0, y: cursor.y + HEIGHT };
    const at = { x: cursor.x, y: cursor.y, width, height };
    cursor = { x: cursor.x + width, y: cursor.y };
    return at;
  };
  const metric = (name: string, metrics: readonly MetricLine[], stat = "Sum", extra: Partial<MetricWidgetProperties> = {}) =>
    widgets.push({ type: "metric", ...place(WIDTH, HEIGHT), properties: { title: name, region, view: "timeSeries", stacked: false, period: PERIOD, stat, metrics, ...extra } });
  const m = (fn: string, name: MetricName, options: MetricOptions = {}) => kitMetric(environment, fn, name, options);

  const engines = `chat: ${props.channels.chat.engine} (${props.channels.chat.strategy}), voice: ${props.channels.voice.engine}`;
  widgets.push({
    type: "text",
    ...place(WIDTH, HEIGHT),
    properties: {
      markdown: [
        `# Contact center: ${environment}`,
        "",
        engines,
        "",
        "Turns and outcomes per channel from the kit's own metrics (namespace `ContactCenterKit/Bridge`); failure-rate alarms page on these.",
        "Lex panels count per bot alias and Lex operation (chat: RecognizeText; voice: speech operations).",
      ].join("\n"),
    },
  });
  widgets.push({ type: "alarm", ...place(WIDTH, HEIGHT), properties: { title: "Alarms", alarms: props.alarmArns, sortBy: "stateUpdatedTimestamp" } });

  const bridge = props.bridge;
  if (bridge?.poll) {
    const chat = title(channelsServed(props.channels, "bedrock-bridge", true));
    metric(`${chat} (bridge, poll): turns and outcomes`, [
      m("lex-fulfillment", Metric.TurnsStarted),
      m("lex-fulfillment", Metric.WorkerInvokeErrors),
      m("lex-fulfillment", Metric.WorkerInvokeUnconfirmed),
      m("lex-fulfillment", Metric.TurnsAbandoned),
      m("answer-poller", Metric.PollReady),
      m("answer-poller", Metric.PollFailed),
      m("answer-poller", Metric.PollExpired),
      m("bedrock-worker", Metric.AnswersStored),
      m("bedrock-worker", Metric.AnswersFailed),
      m("bedrock-worker", Metric.IncompleteHandoffs),
    ]);
    metric(`${chat} (bridge, poll): answer time`, [
      m("bedrock-worker", Metric.AnswerLatencyMs, { stat: "p50", label: "answer p50" }),
      m("bedrock-worker", Metric.AnswerLatencyMs, { stat: "p95", label: "answer p95" }),
    ], "p50", { yAxis: { left: { min: 0, label: "ms" } } });
    metric(`${chat} (bridge, poll): poller waits`, [
      m("answer-poller", Metric.PollWaitMs, { stat: "p50", label: "wait p50" }),
      m("answer-poller", Metric.PollWaitMs, { stat: "p95", label: "wait p95" }),
      m("answer-poller", Metric.PollReads, { stat: "Sum", label: "reads", yAxis: "right" }),
    ], "p50", { yAxis: { left: { min: 0, label: "ms" }, right: { min: 0, label: "reads" } } });
    if (bridge.failureQueueName) {
      metric("Worker failure queue depth", [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", bridge.failureQueueName, { label: "messages" }]], "Maximum");
    }
  }
  if (bridge?.synchronous) {
    const sync = title(channelsServed(props.channels, "bedrock-bridge", false));
    metric(`${sync} (bridge, synchronous): turns and outcomes`, [
      m("lex-fulfillment", Metric.SyncAnswers),
      m("lex-fulfillment", Metric.SyncFailures),
      m("lex-fulfillment", Metric.InputRejected),
      m("lex-fulfillment", Metric.TurnsAbandoned),
      m("lex-fulfillment", Metric.IncompleteHandoffs),
    ]);
    metric(`${sync} (bridge, synchronous): answer time`, [
      m("lex-fulfillment", Metric.AnswerLatencyMs, { stat: "p50", label: "answer p50" }),
      m("lex-fulfillment", Metric.AnswerLatencyMs, { stat: "p95", label: "answer p95" }),
    ], "p50", { yAxis: { left: { min: 0, label: "ms" } } });
  }
  if (bridge && bridge.bedrockCallers.length) {
    metric(
      "Bedrock throttles and errors",
      bridge.bedrockCallers.flatMap((fn) => [m(fn, Metric.BedrockThrottles), m(fn, Metric.BedrockErrors), m(fn, Metric.BedrockRetries)]),
    );
  }
  if (props.qInConnect) {
    const served = title(channelsServed(props.channels, "q-in-connect"));
    metric(`${served} (Q in Connect): agent selection (qconnect-session)`, [
      m("qconnect-session", Metric.AgentSelected),
      m("qconnect-session", Metric.AgentSelectionFailed),
      m("qconnect-session", Metric.InvalidEvents),
      m("qconnect-session", Metric.AgentSelectionMs, { stat: "p95", label: "time p95", yAxis: "right" }),
    ], "Sum", { yAxis: { left: { min: 0, label: "calls" }, right: { min: 0, label: "ms" } } });
  }
  for (const bot of props.bots) {
    const served = title(channelsServed(props.channels, bot.engine));
    metric(`${served}: Lex requests and errors (${bot.engine} bot, live alias)`, [
      [{ expression: `${lexAliasQuery("RuntimeRequestCount", bot)} GROUP BY Operation`, label: "requests", id: `requests_${bot.engine.replace(/-/g, "_")}` }],
      [{ expression: lexAliasQuery("RuntimeSystemErrors", bot), label: "system errors", id: `errors_${bot.engine.replace(/-/g, "_")}` }],
    ]);
  }
  const lambda = (name: string, stat: string) =>
    props.functions.map((f): MetricLine => ["AWS/Lambda", name, "FunctionName", f.functionName, { label: f.label, stat }]);
  metric("Lambda errors (every kit function)", lambda("Errors", "Sum"));
  metric("Lambda duration p95", lambda("Duration", "p95"), "p95", { yAxis: { left: { min: 0, label: "ms" } } });
  metric("Lambda duration max (a timeout shows as the function's timeout)", lambda("Duration", "Maximum"), "Maximum", { yAxis: { left: { min: 0, label: "ms" } } });
  return { start: "-PT6H", periodOverride: "auto", widgets };
}

/** The environment's CloudWatch dashboard, `<prefix>-<env>-contact-center`. */
export class ContactCenterDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly body: DashboardBody;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const context = KitContext.of(this);
    this.body = dashboardBody(context.region, context.env.name, props);
    this.dashboard = new CloudwatchDashboard(this, "dashboard", { dashboardName: context.name("contact-center"), dashboardBody: JSON.stringify(this.body) });
  }
}
