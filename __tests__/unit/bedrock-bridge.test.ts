import { parseEnvironment } from "../../config/load";
import type { ServiceRole } from "../../stacks/iam/service-role";
import { resolveInStack } from "../../stacks/resolve";
import { defaultEnvironment, referenceTo, resourceAt, synthEnvironment, type TerraformJson } from "../support/synth";

const dev = synthEnvironment(defaultEnvironment("dev"));
const stg = synthEnvironment(defaultEnvironment("stg"));
const prod = synthEnvironment(defaultEnvironment("prod"));

/** The role's statements by sid, with tokens rendered as in the synthesized JSON. */
const statementsOf = (role: ServiceRole | undefined) =>
  Object.fromEntries((role ? resolveInStack(role, role.policyStatements) : []).map((s) => [s.sid, s]));
const ref = referenceTo;

describe("bridge IAM: one role per function, least privilege", () => {
  const bridge = dev.stack.bridge!;
  const table = ref(dev.json, "aws_dynamodb_table", "turns/table", "arn");

  test("answer-poller may only read items of the turn table (and write its own logs)", () => {
    expect(statementsOf(bridge.poller?.role)).toEqual({
      WriteOwnLogs: { sid: "WriteOwnLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${ref(dev.json, "aws_cloudwatch_log_group", "poller/logs", "arn")}:*`] },
      TurnTable: { sid: "TurnTable", actions: ["dynamodb:GetItem"], resources: [table] },
    });
  });

  test("bedrock-worker: turn reads/updates, the chat model through its profile only, its failure queue", () => {
    const s = statementsOf(bridge.worker?.role);
    expect(Object.keys(s).sort()).toEqual(["InvokeConfiguredModels", "InvokeModelsThroughProfiles", "RecordFailedEvents", "TurnTable", "WriteOwnLogs"]);
    expect(s.TurnTable.actions).toEqual(["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"]);
    expect(s.TurnTable.resources).toEqual([table]);
    const profile = "arn:aws:bedrock:ap-northeast-1:${data.aws_caller_identity.caller-identity.account_id}:inference-profile/apac.anthropic.claude-sonnet-4-20250514-v1:0";
    expect(s.InvokeConfiguredModels).toEqual({ sid: "InvokeConfiguredModels", actions: ["bedrock:InvokeModel"], resources: [profile] });
    expect(s.InvokeModelsThroughProfiles).toEqual({
      sid: "InvokeModelsThroughProfiles",
      actions: ["bedrock:InvokeModel"],
      resources: ["arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0"],
      conditions: [{ test: "StringLike", variable: "bedrock:InferenceProfileArn", values: [profile] }],
    });
    expect(s.RecordFailedEvents).toEqual({ sid: "RecordFailedEvents", actions: ["sqs:SendMessage"], resources: [`\${aws_sqs_queue.${Object.keys(dev.json.resource.aws_sqs_queue)[0]}.arn}`] });
  });

  test("lex-fulfillment with chat on poll and voice on Q in Connect: turn writes and starting the worker, no Bedrock", () => {
    const s = statementsOf(bridge.fulfillment.role);
    expect(Object.keys(s).sort()).toEqual(["StartWorker", "TurnTable", "WriteOwnLogs"]);
    expect(s.TurnTable.actions).toEqual(["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]);
    expect(s.StartWorker).toEqual({ sid: "StartWorker", actions: ["lambda:InvokeFunction"], resources: [ref(dev.json, "aws_lambda_function", "worker/function", "arn")] });
  });

  test("lex-fulfillment answering voice synchronously (stg) may invoke the voice model; no worker or poller exists", () => {
    const s = statementsOf(stg.stack.bridge!.fulfillment.role);
    expect(s.StartWorker).toBeUndefined();
    expect(s.InvokeConfiguredModels.resources).toEqual([
      "arn:aws:bedrock:ap-northeast-1:${data.aws_caller_identity.caller-identity.account_id}:inference-profile/apac.anthropic.claude-3-5-sonnet-20241022-v2:0",
    ]);
    expect(stg.stack.bridge!.worker).toBeUndefined();
    expect(stg.stack.bridge!.poller).toBeUndefined();
    expect(stg.json.resource.aws_sqs_queue).toBeUndefined();
  });

  test("a knowledge base, a guardrail, an in-region model and a customer table key add exactly their statements", () => {
    const env = parseEnvironment(
      {
        ...defaultEnvironment("dev"),
        bridge: {
          ...defaultEnvironment("dev").bridge,
          models: { chat: "anthropic.claude-3-haiku-20240307-v1:0", voice: "apac.amazon.nova-lite-v1:0" },
          knowledgeBaseId: "KB12345678",
          guardrail: { id: "abcdefghijkl", version: "3" },
          table: { kmsKeyArn: "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
        },
      },
      "test",
    );
    const s = statementsOf(synthEnvironment(env).stack.bridge!.worker?.role);
    const account = "${data.aws_caller_identity.caller-identity.account_id}";
    expect(s.InvokeConfiguredModels.resources).toEqual(["arn:aws:bedrock:ap-northeast-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"]);
    expect(s.InvokeModelsThroughProfiles).toBeUndefined();
    expect(s.RetrieveFromKnowledgeBase).toEqual({ sid: "RetrieveFromKnowledgeBase", actions: ["bedrock:Retrieve"], resources: [`arn:aws:bedrock:ap-northeast-1:${account}:knowledge-base/KB12345678`] });
    expect(s.ApplyGuardrail).toEqual({ sid: "ApplyGuardrail", actions: ["bedrock:ApplyGuardrail"], resources: [`arn:aws:bedrock:ap-northeast-1:${account}:guardrail/abcdefghijkl`] });
    expect(s.TurnTableKey).toMatchObject({
      actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      resources: ["arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
      conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: ["dynamodb.ap-northeast-1.amazonaws.com"] }],
    });
  });
});

describe("bridge infrastructure", () => {
  test("worker async invocation: no retries, short event age, failures recorded in an encrypted queue", () => {
    const config = resourceAt(dev.json, "aws_lambda_function_event_invoke_config", "worker-async");
    expect(config).toMatchObject({
      function_name: ref(dev.json, "aws_lambda_function", "worker/function", "function_name"),
      maximum_retry_attempts: 0,
      maximum_event_age_in_seconds: 120,
      destination_config: { on_failure: { destination: ref(dev.json, "aws_sqs_queue", "worker-failures", "arn") } },
    });
    expect(resourceAt(dev.json, "aws_sqs_queue", "worker-failures")).toMatchObject({ name: "cc-dev-bridge-worker-failures", sqs_managed_sse_enabled: true });
  });

  test("turn table: on demand, pk/sk, TTL on expiresAt, encrypted, PITR and deletion protection from config", () => {
    const devTable = resourceAt(dev.json, "aws_dynamodb_table", "turns/table");
    expect(devTable).toMatchObject({
      name: "cc-dev-bridge-turns",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "pk",
      range_key: "sk",
      attribute: [{ name: "pk", type: "S" }, { name: "sk", type: "S" }],
      ttl: { attribute_name: "expiresAt", enabled: true },
      server_side_encryption: { enabled: true },
      point_in_time_recovery: { enabled: false },
      deletion_protection_enabled: false,
    });
    expect(resourceAt(prod.json, "aws_dynamodb_table", "turns/table")).toMatchObject({
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: true,
    });
  });

  test("functions: arm64, Node.js 22, own log group with the environment's retention, table and worker from env vars", () => {
    for (const [suffix, env] of [["fulfillment", "WORKER_FUNCTION_NAME"], ["worker", undefined], ["poller", undefined]] as const) {
      const fn = resourceAt(dev.json, "aws_lambda_function", `${suffix}/function`);
      expect(fn).toMatchObject({ architectures: ["arm64"], runtime: "nodejs22.x", handler: "index.handler" });
      expect(fn.environment.variables.TABLE_NAME).toBe(ref(dev.json, "aws_dynamodb_table", "turns/table", "name"));
      expect(fn.environment.variables.ENVIRONMENT_NAME).toBe("dev");
      if (env) expect(fn.environment.variables[env]).toBe(ref(dev.json, "aws_lambda_function", "worker/function", "function_name"));
      expect(fn.logging_config.log_group).toBe(ref(dev.json, "aws_cloudwatch_log_group", `${suffix}/logs`, "name"));
      expect(resourceAt(dev.json, "aws_cloudwatch_log_group", `${suffix}/logs`).retention_in_days).toBe(14);
    }
    expect(resourceAt(dev.json, "aws_lambda_function", "poller/function").timeout).toBe(9);
    expect(resourceAt(dev.json, "aws_lambda_function", "worker/function").timeout).toBe(95);
  });

  test("settings.json in the packages carries the environment's models, budgets and per-locale texts", () => {
    const settings = JSON.parse(dev.stack.bridge!.worker!.package.files["settings.json"].toString("utf8"));
    expect(settings).toMatchObject({
      version: 1,
      defaultLocale: "ja_JP",
      locales: ["ja_JP", "en_US"],
      chatStrategy: "poll",
      models: { chat: "apac.anthropic.claude-sonnet-4-20250514-v1:0", voice: "apac.anthropic.claude-3-haiku-20240307-v1:0" },
      budgets: { voiceMs: 58500, chatSyncMs: 8500, turnTimeoutMs: 90000, pollerBudgetMs: 6500, pollIntervalMs: 200 },
      ttlHours: 24,
    });
    expect(Object.keys(settings.messages)).toEqual(["ja_JP", "en_US"]);
    expect(settings.systemPrompts.ja_JP).toContain("HANDOFF");
    const stgSettings = JSON.parse(stg.stack.bridge!.fulfillment.package.files["settings.json"].toString("utf8"));
    expect(stgSettings.budgets.chatSyncMs).toBe(58500);
  });

  test("the chat flow's instance may invoke the answer-poller, nothing else may", () => {
    const permission = resourceAt(dev.json, "aws_lambda_permission", "poller-connect-invoke");
    expect(permission).toMatchObject({
      action: "lambda:InvokeFunction",
      principal: "connect.amazonaws.com",
      function_name: ref(dev.json, "aws_lambda_function", "poller/function", "function_name"),
      source_arn: ref(dev.json, "aws_connect_instance", "connect-instance/resource", "arn"),
      source_account: "${data.aws_caller_identity.caller-identity.account_id}",
    });
    expect(resourceAt(dev.json, "aws_connect_lambda_function_association", "poller-connect-association")).toMatchObject({
      instance_id: ref(dev.json, "aws_connect_instance", "connect-instance/resource", "id"),
      function_arn: ref(dev.json, "aws_lambda_function", "poller/function", "arn"),
    });
  });

  test("alarms: function errors, failure-queue depth and Bedrock throttles keep their addresses; every alarm notifies the environment's topic", () => {
    const alarm = (json: TerraformJson, suffix: string) => resourceAt(json, "aws_cloudwatch_metric_alarm", suffix);
    expect(alarm(dev.json, "bedrock-bridge/alarms/bedrock-worker-errors")).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      threshold: 3,
      dimensions: { FunctionName: ref(dev.json, "aws_lambda_function", "worker/function", "function_name") },
    });
    expect(alarm(dev.json, "worker-failures")).toMatchObject({ namespace: "AWS/SQS", metric_name: "ApproximateNumberOfMessagesVisible", threshold: 1 });
    // Throttles are a rate now (throttled calls per Bedrock call), at the same address and alarm name.
    expect(alarm(dev.json, "bedrock-worker-bedrock-throttles")).toMatchObject({ alarm_name: "cc-dev-bedrock-worker-bedrock-throttles", threshold: 20 });
    expect(alarm(dev.json, "bedrock-worker-bedrock-throttles").metric_query).toContainEqual(
      expect.objectContaining({ metric: expect.objectContaining({ namespace: "ContactCenterKit/Bridge", metric_name: "BedrockThrottles", dimensions: { Environment: "dev", Function: "bedrock-worker" } }) }),
    );
    const topic = ref(prod.json, "aws_sns_topic", "alarms/topic", "arn");
    expect(alarm(prod.json, "bedrock-worker-errors")).toMatchObject({ alarm_actions: [topic], ok_actions: [topic], actions_enabled: true });
    expect(alarm(dev.json, "bedrock-worker-errors")).toMatchObject({ alarm_actions: [ref(dev.json, "aws_sns_topic", "alarms/topic", "arn")], actions_enabled: false });
  });
});
