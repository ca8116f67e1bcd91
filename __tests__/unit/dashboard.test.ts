import { parseEnvironment } from "../../config/load";
import devInput from "../../config/environments/dev";
import type { EnvironmentInput } from "../../config/schema/environment";
import type { DashboardBody, DashboardWidget, MetricLine } from "../../stacks/observability/dashboard";
import { defaultEnvironment, referenceTo, resourcesOfType, synthEnvironment, type SynthesizedStack, type TerraformJson } from "../support/synth";

const dev = synthEnvironment(defaultEnvironment("dev"));
const stg = synthEnvironment(defaultEnvironment("stg"));
const prod = synthEnvironment(defaultEnvironment("prod"));
/** Both channels on the bridge (chat poll, voice synchronous), no Q in Connect. */
const bridgeOnly = synthEnvironment(
  parseEnvironment(
    {
      ...(structuredClone(devInput) as EnvironmentInput),
      channels: { chat: { engine: "bedrock-bridge", strategy: "poll" }, voice: { engine: "bedrock-bridge" } },
      qInConnect: undefined,
    },
    "test (bridge only)",
  ),
);

function dashboardOf(stack: SynthesizedStack): { name: string; body: DashboardBody } {
  const dashboards = Object.values(resourcesOfType(stack.json, "aws_cloudwatch_dashboard"));
  expect(dashboards).toHaveLength(1);
  return { name: dashboards[0].dashboard_name, body: JSON.parse(dashboards[0].dashboard_body) as DashboardBody };
}

type MetricWidget = Extract<DashboardWidget, { type: "metric" }>;
const metricWidgets = (body: DashboardBody) => body.widgets.filter((w): w is MetricWidget => w.type === "metric");
const titles = (body: DashboardBody) => metricWidgets(body).map((w) => w.properties.title);
const widget = (body: DashboardBody, title: string | RegExp) => {
  const found = metricWidgets(body).filter((w) => (typeof title === "string" ? w.properties.title === title : title.test(w.properties.title)));
  expect(found).toHaveLength(1);
  return found[0]!.properties;
};
/** "Function Metric stat" of each kit metric line. */
const kitLines = (metrics: readonly MetricLine[]) =>
  metrics
    .filter((l) => l[0] === "ContactCenterKit/Bridge")
    .map((l) => `${l[5] as string} ${l[1] as string} ${(l[6] as { stat?: string } | undefined)?.stat ?? "-"}`);

describe("the CloudWatch dashboard", () => {
  test.each([
    ["dev", dev],
    ["stg", stg],
    ["prod", prod],
  ])("%s: one dashboard named <prefix>-<env>-contact-center whose body parses, on a 24-column grid, in the environment's region", (name, stack) => {
    const { name: dashboardName, body } = dashboardOf(stack);
    expect(dashboardName).toBe(`cc-${name}-contact-center`);
    for (const w of body.widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      if (w.type === "metric") expect(w.properties.region).toBe("ap-northeast-1");
    }
    for (const line of metricWidgets(body).flatMap((w) => w.properties.metrics)) {
      if (line[0] === "ContactCenterKit/Bridge") expect(line.slice(2, 4)).toEqual(["Environment", name]);
    }
  });

  test("dev (chat: bridge poll, voice: Q in Connect): poll turns, answer and poller times, failure queue, Bedrock, agent selection, Lex per bot, functions", () => {
    const { body } = dashboardOf(dev);
    expect(titles(body)).toEqual([
      "chat (bridge, poll): turns and outcomes",
      "chat (bridge, poll): answer time",
      "chat (bridge, poll): poller waits",
      "Worker failure queue depth",
      "Bedrock throttles and errors",
      "voice (Q in Connect): agent selection (qconnect-session)",
      "chat: Lex requests and errors (bedrock-bridge bot, live alias)",
      "voice: Lex requests and errors (q-in-connect bot, live alias)",
      "Lambda errors (every kit function)",
      "Lambda duration p95",
      "Lambda duration max (a timeout shows as the function's timeout)",
    ]);
    expect(kitLines(widget(body, "chat (bridge, poll): turns and outcomes").metrics)).toEqual([
      "lex-fulfillment TurnsStarted -",
      "lex-fulfillment WorkerInvokeErrors -",
      "lex-fulfillment WorkerInvokeUnconfirmed -",
      "lex-fulfillment TurnsAbandoned -",
      "answer-poller PollReady -",
      "answer-poller PollFailed -",
      "answer-poller PollExpired -",
      "bedrock-worker AnswersStored -",
      "bedrock-worker AnswersFailed -",
      "bedrock-worker IncompleteHandoffs -",
    ]);
    expect(kitLines(widget(body, "chat (bridge, poll): answer time").metrics)).toEqual(["bedrock-worker AnswerLatencyMs p50", "bedrock-worker AnswerLatencyMs p95"]);
    expect(kitLines(widget(body, "chat (bridge, poll): poller waits").metrics)).toEqual(["answer-poller PollWaitMs p50", "answer-poller PollWaitMs p95", "answer-poller PollReads Sum"]);
    expect(widget(body, "Worker failure queue depth").metrics).toEqual([
      ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", referenceTo(dev.json, "aws_sqs_queue", "bedrock-bridge/worker-failures", "name"), { label: "messages" }],
    ]);
    expect(kitLines(widget(body, "Bedrock throttles and errors").metrics)).toEqual(["bedrock-worker BedrockThrottles -", "bedrock-worker BedrockErrors -", "bedrock-worker BedrockRetries -"]);
    expect(kitLines(widget(body, /agent selection/).metrics)).toEqual([
      "qconnect-session AgentSelected -",
      "qconnect-session AgentSelectionFailed -",
      "qconnect-session InvalidEvents -",
      "qconnect-session AgentSelectionMs p95",
    ]);
  });

  test("stg (chat: Q in Connect, voice: bridge): synchronous bridge widgets only, agent selection for chat", () => {
    const { body } = dashboardOf(stg);
    const all = titles(body);
    expect(all).toEqual(expect.arrayContaining(["voice (bridge, synchronous): turns and outcomes", "voice (bridge, synchronous): answer time", "chat (Q in Connect): agent selection (qconnect-session)"]));
    expect(all.filter((t) => /poll|failure queue/.test(t))).toEqual([]);
    expect(kitLines(widget(body, "voice (bridge, synchronous): turns and outcomes").metrics)).toEqual([
      "lex-fulfillment SyncAnswers -",
      "lex-fulfillment SyncFailures -",
      "lex-fulfillment InputRejected -",
      "lex-fulfillment TurnsAbandoned -",
      "lex-fulfillment IncompleteHandoffs -",
    ]);
    expect(kitLines(widget(body, "Bedrock throttles and errors").metrics)).toEqual(["lex-fulfillment BedrockThrottles -", "lex-fulfillment BedrockErrors -", "lex-fulfillment BedrockRetries -"]);
  });

  test("without Q in Connect: no agent-selection or Q in Connect bot widget; both bridge paths, both Bedrock callers", () => {
    const { body } = dashboardOf(bridgeOnly);
    const all = titles(body);
    expect(all.filter((t) => /Q in Connect|q-in-connect/.test(t))).toEqual([]);
    expect(all).toEqual(expect.arrayContaining(["chat (bridge, poll): turns and outcomes", "voice (bridge, synchronous): turns and outcomes", "chat + voice: Lex requests and errors (bedrock-bridge bot, live alias)"]));
    expect(kitLines(widget(body, "Bedrock throttles and errors").metrics).map((l) => l.split(" ")[0])).toEqual([
      "bedrock-worker",
      "bedrock-worker",
      "bedrock-worker",
      "lex-fulfillment",
      "lex-fulfillment",
      "lex-fulfillment",
    ]);
  });

  test("function errors and durations cover every kit function of the stack, by its deployed name", () => {
    const { body } = dashboardOf(dev);
    const functions = Object.entries(resourcesOfType(dev.json, "aws_lambda_function")).map(
      ([name, fn]: [string, TerraformJson]) => [String(fn.function_name).replace("cc-dev-", ""), `\${aws_lambda_function.${name}.function_name}`] as const,
    );
    expect(functions.length).toBe(6);
    for (const [title, stat] of [
      ["Lambda errors (every kit function)", "Sum"],
      ["Lambda duration p95", "p95"],
      [/^Lambda duration max/, "Maximum"],
    ] as const) {
      const lines = widget(body, title).metrics;
      expect(lines.map((l) => [l[3], (l[4] as { label: string }).label]).sort()).toEqual(functions.map(([label, ref]) => [ref, label]).sort());
      for (const l of lines) expect(l.slice(0, 3)).toEqual(["AWS/Lambda", title === "Lambda errors (every kit function)" ? "Errors" : "Duration", "FunctionName"]);
      for (const l of lines) expect((l[4] as { stat: string }).stat).toBe(stat);
    }
  });

  test("Lex widgets query the bot's live alias with Metrics Insights, requests grouped by operation", () => {
    const { body } = dashboardOf(dev);
    const [requests, errors] = widget(body, /bedrock-bridge bot/).metrics as readonly [{ expression: string; id: string }][];
    expect(requests![0].expression).toMatch(/^SELECT SUM\(RuntimeRequestCount\) FROM "AWS\/Lex" WHERE BotId = '\$\{jsondecode\(.*\)\.Id\}' AND BotAliasId = '\$\{jsondecode\(.*\)\.BotAliasId\}' GROUP BY Operation$/);
    expect(errors![0].expression).toMatch(/^SELECT SUM\(RuntimeSystemErrors\) FROM "AWS\/Lex" WHERE BotId = /);
    expect(requests![0].id).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  test("the alarm widget shows every alarm of the stack", () => {
    const { body } = dashboardOf(prod);
    const alarmWidget = body.widgets.find((w) => w.type === "alarm");
    const arns = Object.keys(resourcesOfType(prod.json, "aws_cloudwatch_metric_alarm")).map((name) => `\${aws_cloudwatch_metric_alarm.${name}.arn}`);
    expect(alarmWidget?.type === "alarm" && [...alarmWidget.properties.alarms].sort()).toEqual(arns.sort());
  });
});
