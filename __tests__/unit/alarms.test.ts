import { parseEnvironment } from "../../config/load";
import devInput from "../../config/environments/dev";
import type { EnvironmentInput } from "../../config/schema/environment";
import { defaultEnvironment, referenceTo, resourceAt, resourcesOfType, synthEnvironment, type TerraformJson } from "../support/synth";

const dev = synthEnvironment(defaultEnvironment("dev"));
const stg = synthEnvironment(defaultEnvironment("stg"));
const prod = synthEnvironment(defaultEnvironment("prod"));

const EXISTING_TOPIC = "arn:aws:sns:ap-northeast-1:111122223333:oncall-contact-center";
/** Both channels on the bridge (chat poll, voice synchronous), no Q in Connect, an existing topic, one override. */
const bridgeOnly = synthEnvironment(
  parseEnvironment(
    {
      ...(structuredClone(devInput) as EnvironmentInput),
      channels: { chat: { engine: "bedrock-bridge", strategy: "poll" }, voice: { engine: "bedrock-bridge" } },
      qInConnect: undefined,
      alarms: { topic: { arn: EXISTING_TOPIC }, overrides: { syncFailures: { percent: 50, minimumRequests: 5, evaluationPeriods: 5, datapointsToAlarm: 3 } } },
    },
    "test (bridge only)",
  ),
);

/** The alarm topic's key policy document: [address name, block]. */
const keyPolicyOf = (json: TerraformJson): [string, TerraformJson] => {
  const found = Object.entries(json.data.aws_iam_policy_document as Record<string, TerraformJson>).filter(([, d]) => String(d["//"].metadata.path).endsWith("alarms/topic-key-policy"));
  expect(found).toHaveLength(1);
  return found[0]!;
};
const alarms = (json: TerraformJson) => resourcesOfType(json, "aws_cloudwatch_metric_alarm");
const alarmAt = (json: TerraformJson, path: string) => resourceAt(json, "aws_cloudwatch_metric_alarm", path);
const pathsOf = (json: TerraformJson) =>
  Object.values(alarms(json))
    .map((a) => String(a["//"].metadata.path).replace(/^contact-center-[a-z0-9]+\//, ""))
    .sort();
/** The metric queries of an alarm as {id: "Function Metric" | expression}. */
const queriesOf = (alarm: TerraformJson) =>
  Object.fromEntries(
    (alarm.metric_query as TerraformJson[]).map((q) => [q.id, q.expression ?? `${q.metric.dimensions.Function} ${q.metric.metric_name} ${q.metric.stat}/${q.metric.period}`]),
  );

describe("alarms: which exist per environment", () => {
  test("dev (chat: bridge poll, voice: Q in Connect)", () => {
    expect(pathsOf(dev.json)).toEqual([
      "bedrock-bridge-bot/alarms/lambda-errors",
      "bedrock-bridge-bot/alarms/system-errors",
      "bedrock-bridge/alarms/answer-poller-errors",
      "bedrock-bridge/alarms/answers-failed",
      "bedrock-bridge/alarms/bedrock-worker-bedrock-errors",
      "bedrock-bridge/alarms/bedrock-worker-bedrock-throttles",
      "bedrock-bridge/alarms/bedrock-worker-errors",
      "bedrock-bridge/alarms/lex-fulfillment-errors",
      "bedrock-bridge/alarms/lex-fulfillment-timeouts",
      "bedrock-bridge/alarms/poll-failures",
      "bedrock-bridge/alarms/store-errors",
      "bedrock-bridge/alarms/worker-failures",
      "bedrock-bridge/alarms/worker-invoke-errors",
      "q-in-connect-bot/alarms/system-errors",
      "q-in-connect/alarms/agent-selection",
      "q-in-connect/alarms/errors",
    ]);
  });

  test("stg (chat: Q in Connect streaming, voice: bridge): synchronous bridge alarms, no poll ones", () => {
    expect(pathsOf(stg.json)).toEqual([
      "bedrock-bridge-bot/alarms/lambda-errors",
      "bedrock-bridge-bot/alarms/system-errors",
      "bedrock-bridge/alarms/lex-fulfillment-bedrock-errors",
      "bedrock-bridge/alarms/lex-fulfillment-bedrock-throttles",
      "bedrock-bridge/alarms/lex-fulfillment-errors",
      "bedrock-bridge/alarms/lex-fulfillment-timeouts",
      "bedrock-bridge/alarms/store-errors",
      "bedrock-bridge/alarms/sync-failures",
      "q-in-connect-bot/alarms/system-errors",
      "q-in-connect/alarms/agent-selection",
      "q-in-connect/alarms/errors",
    ]);
  });

  test("without Q in Connect there is no qconnect-session or Q in Connect bot alarm; both Bedrock callers are alarmed", () => {
    const paths = pathsOf(bridgeOnly.json);
    expect(paths.filter((p) => p.startsWith("q-in-connect"))).toEqual([]);
    expect(paths).toEqual(
      expect.arrayContaining([
        "bedrock-bridge/alarms/bedrock-worker-bedrock-errors",
        "bedrock-bridge/alarms/lex-fulfillment-bedrock-errors",
        "bedrock-bridge/alarms/sync-failures",
        "bedrock-bridge/alarms/poll-failures",
      ]),
    );
  });

  test("the alarms that existed before keep their addresses (construct ids) and names", () => {
    const addresses = Object.keys(alarms(prod.json));
    expect(addresses).toEqual(
      expect.arrayContaining([
        "bedrock-bridge_alarms_answer-poller-errors_5677560A",
        "bedrock-bridge_alarms_bedrock-worker-bedrock-throttles_D7DAFD45",
        "bedrock-bridge_alarms_bedrock-worker-errors_16EBA33F",
        "bedrock-bridge_alarms_lex-fulfillment-errors_E7F508A9",
        "bedrock-bridge_alarms_worker-failures_E3CF471E",
      ]),
    );
    expect(alarms(stg.json)["bedrock-bridge_alarms_lex-fulfillment-bedrock-throttles_87D2BB7D"].alarm_name).toBe("cc-stg-lex-fulfillment-bedrock-throttles");
  });
});

describe("alarms: every one notifies the topic, treats missing data as fine", () => {
  test.each([
    ["dev", dev.json, false],
    ["stg", stg.json, true],
    ["prod", prod.json, true],
  ])("%s: ALARM and OK actions to its topic; actions enabled unless paging is off", (_name, json, enabled) => {
    const topic = referenceTo(json, "aws_sns_topic", "alarms/topic", "arn");
    const all = Object.values(alarms(json));
    expect(all.length).toBeGreaterThan(10);
    for (const alarm of all) {
      expect({ name: alarm.alarm_name, alarm: alarm.alarm_actions, ok: alarm.ok_actions, enabled: alarm.actions_enabled, missing: alarm.treat_missing_data }).toEqual({
        name: alarm.alarm_name,
        alarm: [topic],
        ok: [topic],
        enabled,
        missing: "notBreaching",
      });
    }
  });

  test("an existing topic by ARN: no topic, key or subscription is created; every alarm notifies that ARN", () => {
    expect(resourcesOfType(bridgeOnly.json, "aws_sns_topic")).toEqual({});
    expect(resourcesOfType(bridgeOnly.json, "aws_kms_key")).toEqual({});
    expect(resourcesOfType(bridgeOnly.json, "aws_sns_topic_subscription")).toEqual({});
    for (const alarm of Object.values(alarms(bridgeOnly.json))) {
      expect([alarm.alarm_actions, alarm.ok_actions, alarm.actions_enabled]).toEqual([[EXISTING_TOPIC], [EXISTING_TOPIC], true]);
    }
  });
});

describe("alarms: rates on the functions' metrics", () => {
  test("Bedrock errors: failed calls per Bedrock call made (answers attempted plus retries), 20 % in 2 of 3 periods of 5 min", () => {
    const alarm = alarmAt(prod.json, "bedrock-bridge/alarms/bedrock-worker-bedrock-errors");
    expect(alarm).toMatchObject({
      alarm_name: "cc-prod-bedrock-worker-bedrock-errors",
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 20,
      evaluation_periods: 3,
      datapoints_to_alarm: 2,
    });
    expect(alarm.namespace).toBeUndefined();
    expect(queriesOf(alarm)).toEqual({
      m0: "bedrock-worker BedrockErrors Sum/300",
      m1: "bedrock-worker AnswersStored Sum/300",
      m2: "bedrock-worker AnswersFailed Sum/300",
      m3: "bedrock-worker BedrockRetries Sum/300",
      failures: "FILL(m0, 0)",
      total: "SUM([FILL(m1, 0), FILL(m2, 0), FILL(m3, 0)])",
      rate: "IF(total >= 10, 100 * failures / total, IF(failures >= 3 AND failures >= total, 100, 0))",
    });
    const returned = (alarm.metric_query as TerraformJson[]).filter((q) => q.return_data);
    expect(returned.map((q) => q.id)).toEqual(["rate"]);
    for (const q of alarm.metric_query as TerraformJson[]) {
      if (q.metric) expect(q.metric).toMatchObject({ namespace: "ContactCenterKit/Bridge", dimensions: { Environment: "prod" } });
    }
  });

  test("the synchronous path's Bedrock calls are counted against its turns", () => {
    expect(queriesOf(alarmAt(stg.json, "lex-fulfillment-bedrock-throttles"))).toMatchObject({
      m0: "lex-fulfillment BedrockThrottles Sum/300",
      total: "SUM([FILL(m1, 0), FILL(m2, 0), FILL(m3, 0)])",
      m1: "lex-fulfillment SyncAnswers Sum/300",
      m2: "lex-fulfillment SyncFailures Sum/300",
      m3: "lex-fulfillment BedrockRetries Sum/300",
    });
  });

  test("synchronous failures: SyncFailures per SyncAnswers + SyncFailures; an override changes only its own alarm", () => {
    expect(queriesOf(alarmAt(stg.json, "sync-failures"))).toMatchObject({ m0: "lex-fulfillment SyncFailures Sum/300", m1: "lex-fulfillment SyncAnswers Sum/300", total: "SUM([FILL(m1, 0), FILL(m0, 0)])" });
    const overridden = alarmAt(bridgeOnly.json, "sync-failures");
    expect(overridden).toMatchObject({ threshold: 50, evaluation_periods: 5, datapoints_to_alarm: 3 });
    expect(queriesOf(overridden).rate).toBe("IF(total >= 5, 100 * failures / total, IF(failures >= 3 AND failures >= total, 100, 0))");
    expect(alarmAt(bridgeOnly.json, "poll-failures")).toMatchObject({ threshold: 20, evaluation_periods: 3 });
  });

  test("poll failures: FAILED + EXPIRED per turn result (PENDING is no result)", () => {
    const q = queriesOf(alarmAt(dev.json, "poll-failures"));
    expect(q).toMatchObject({
      m0: "answer-poller PollFailed Sum/300",
      m1: "answer-poller PollExpired Sum/300",
      m2: "answer-poller PollReady Sum/300",
      failures: "SUM([FILL(m0, 0), FILL(m1, 0)])",
      total: "SUM([FILL(m2, 0), FILL(m0, 0), FILL(m1, 0)])",
    });
    expect(Object.values(q).join(" ")).not.toContain("PollPending");
  });

  test("worker invoke errors and answers failed", () => {
    expect(queriesOf(alarmAt(dev.json, "worker-invoke-errors"))).toMatchObject({ m0: "lex-fulfillment WorkerInvokeErrors Sum/300", m1: "lex-fulfillment TurnsStarted Sum/300" });
    expect(queriesOf(alarmAt(dev.json, "answers-failed"))).toMatchObject({ m0: "bedrock-worker AnswersFailed Sum/300", m1: "bedrock-worker AnswersStored Sum/300" });
  });

  test("qconnect-session: calls that set no agent (failed, invalid event) per call", () => {
    const alarm = alarmAt(dev.json, "q-in-connect/alarms/agent-selection");
    expect(alarm.alarm_name).toBe("cc-dev-qconnect-session-agent-selection");
    expect(queriesOf(alarm)).toMatchObject({
      m0: "qconnect-session AgentSelectionFailed Sum/300",
      m1: "qconnect-session InvalidEvents Sum/300",
      m2: "qconnect-session AgentSelected Sum/300",
      failures: "SUM([FILL(m0, 0), FILL(m1, 0)])",
      total: "SUM([FILL(m2, 0), FILL(m0, 0), FILL(m1, 0)])",
    });
    expect(alarmAt(dev.json, "q-in-connect/alarms/errors")).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      threshold: 1,
      dimensions: { FunctionName: referenceTo(dev.json, "aws_lambda_function", "q-in-connect/session/function", "function_name") },
    });
  });
});

describe("alarms: absolute where a rate makes no sense", () => {
  test("store errors: any DynamoDB error storing turns, summed over the functions that store", () => {
    const alarm = alarmAt(dev.json, "store-errors");
    expect(alarm).toMatchObject({ threshold: 1, evaluation_periods: 3, datapoints_to_alarm: 2 });
    expect(queriesOf(alarm)).toEqual({ m0: "lex-fulfillment StoreErrors Sum/300", m1: "bedrock-worker StoreErrors Sum/300", count: "SUM([FILL(m0, 0), FILL(m1, 0)])" });
    expect(queriesOf(alarmAt(stg.json, "store-errors"))).toEqual({ m0: "lex-fulfillment StoreErrors Sum/300", count: "FILL(m0, 0)" });
  });

  test("lex-fulfillment timeouts: Duration maximum within a second of the function's timeout", () => {
    const fulfillment = resourceAt(stg.json, "aws_lambda_function", "bedrock-bridge/fulfillment/function");
    const alarm = alarmAt(stg.json, "lex-fulfillment-timeouts");
    expect(alarm).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Duration",
      statistic: "Maximum",
      threshold: (fulfillment.timeout - 1) * 1000,
      evaluation_periods: 1,
      dimensions: { FunctionName: referenceTo(stg.json, "aws_lambda_function", "bedrock-bridge/fulfillment/function", "function_name") },
    });
  });

  test("Lex errors per bot alias through Metrics Insights (every locale and operation); Lambda errors seen by Lex only for the bridge bot", () => {
    const bot = (engine: string, attribute: string, part: string) =>
      `\${jsondecode(${referenceTo(dev.json, "aws_cloudcontrolapi_resource", `${engine}-bot/${part}/resource`, "properties").slice(2, -1)}).${attribute}}`;
    const lambdaErrors = alarmAt(dev.json, "bedrock-bridge-bot/alarms/lambda-errors");
    expect(lambdaErrors.metric_query).toEqual([
      {
        id: "q",
        expression: `SELECT SUM(RuntimeLambdaErrors) FROM "AWS/Lex" WHERE BotId = '${bot("bedrock-bridge", "Id", "bot")}' AND BotAliasId = '${bot("bedrock-bridge", "BotAliasId", "alias")}'`,
        label: "count",
        period: 300,
        return_data: true,
      },
    ]);
    expect(lambdaErrors).toMatchObject({ threshold: 3, datapoints_to_alarm: 2, evaluation_periods: 3 });
    expect(alarmAt(dev.json, "q-in-connect-bot/alarms/system-errors").metric_query[0].expression).toMatch(/^SELECT SUM\(RuntimeSystemErrors\) FROM "AWS\/Lex" WHERE BotId = /);
  });
});

describe("the alarm topic", () => {
  test("created in every environment, encrypted with a key of its own that lets this environment's alarms publish", () => {
    for (const { json, name } of [
      { json: dev.json, name: "cc-dev-alarms" },
      { json: stg.json, name: "cc-stg-alarms" },
      { json: prod.json, name: "cc-prod-bridge-alarms" },
    ]) {
      const topic = resourceAt(json, "aws_sns_topic", "alarms/topic");
      expect(topic).toMatchObject({ name, kms_master_key_id: referenceTo(json, "aws_kms_key", "alarms/topic-key", "arn") });
      const [documentName] = keyPolicyOf(json);
      expect(resourceAt(json, "aws_kms_key", "alarms/topic-key")).toMatchObject({ enable_key_rotation: true, policy: `\${data.aws_iam_policy_document.${documentName}.json}` });
    }
    const [, policy] = keyPolicyOf(prod.json);
    const bySid = Object.fromEntries((policy.statement as TerraformJson[]).map((s) => [s.sid, s]));
    expect(Object.keys(bySid)).toEqual(["AccountAdministersKey", "AccountPublishesThroughSns", "CloudWatchAlarmsPublish"]);
    expect(bySid.CloudWatchAlarmsPublish).toMatchObject({
      principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      condition: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.caller-identity.account_id}"] },
        { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:aws:cloudwatch:ap-northeast-1:${data.aws_caller_identity.caller-identity.account_id}:alarm:cc-prod-*"] },
      ],
    });
    expect(bySid.AccountAdministersKey.actions).not.toContain("kms:Decrypt");
    expect(bySid.AccountPublishesThroughSns.condition).toEqual([{ test: "StringEquals", variable: "kms:ViaService", values: ["sns.ap-northeast-1.amazonaws.com"] }]);
  });

  test("email subscriptions from config; none configured, none created", () => {
    expect(Object.values(resourcesOfType(prod.json, "aws_sns_topic_subscription"))).toEqual([
      expect.objectContaining({ protocol: "email", endpoint: "contact-center-oncall@example.com", topic_arn: referenceTo(prod.json, "aws_sns_topic", "alarms/topic", "arn") }),
    ]);
    expect(resourcesOfType(dev.json, "aws_sns_topic_subscription")).toEqual({});
  });

  test("the topic the bridge created before, and its subscription, are moved to the stack's alarms, not replaced", () => {
    expect(prod.json.moved).toEqual(
      expect.arrayContaining([
        { from: "aws_sns_topic.bedrock-bridge_alarms_topic_4D4D21C4", to: referenceTo(prod.json, "aws_sns_topic", "alarms/topic", "arn").slice(2, -5) },
        {
          from: "aws_sns_topic_subscription.bedrock-bridge_alarms_email-0_C5757130",
          to: referenceTo(prod.json, "aws_sns_topic_subscription", "alarms/email-0", "arn").slice(2, -5),
        },
      ]),
    );
    // The same name as before, so the moved topic is updated in place (its key), not replaced.
    expect(resourceAt(prod.json, "aws_sns_topic", "alarms/topic").name).toBe("cc-prod-bridge-alarms");
    // prod is protected: the moved topic keeps prevent_destroy.
    expect(resourceAt(prod.json, "aws_sns_topic", "alarms/topic").lifecycle).toEqual({ prevent_destroy: true });
  });
});
