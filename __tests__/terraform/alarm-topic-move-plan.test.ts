import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type FakeAwsPlanEndpoint, startFakeAwsPlanEndpoint } from "../support/fake-aws-plan-endpoint";
import { planCounts } from "../support/plan-suite";
import { defaultEnvironment, synthEnvironment, type TerraformJson } from "../support/synth";
import { expectSuccess, prepareWorkdir, terraform, type TerraformResult, writeCliConfig } from "../support/terraform-harness";

/**
 * prod's alarm topic, planned by real Terraform after alarms became a top-level section. The state is
 * what the previous layout applied: the topic `cc-prod-bridge-alarms` (AWS managed key) and its email
 * subscription under `bedrock-bridge/alarms`, and the throttle alarm (a count then) at the address it
 * keeps. With the stacks/moves.ts entries the topic and the subscription move and stay: the topic is
 * updated in place (its new key), the confirmed subscription is untouched, the alarm becomes a rate in
 * place. Without them Terraform would destroy the topic and the subscription (the on-call address would
 * have to confirm again) and create new ones.
 *
 * Planned with -refresh=false (nothing to read from AWS) and targeted at the moved resources, the kept
 * alarm and the old addresses; the provider only calls STS on the loopback endpoint.
 */
const ACCOUNT = "111122223333";
const OLD_TOPIC = "aws_sns_topic.bedrock-bridge_alarms_topic_4D4D21C4";
const OLD_SUBSCRIPTION = "aws_sns_topic_subscription.bedrock-bridge_alarms_email-0_C5757130";
const ALARM = "aws_cloudwatch_metric_alarm.bedrock-bridge_alarms_bedrock-worker-bedrock-throttles_D7DAFD45";
const NEW_TOPIC = "aws_sns_topic.alarms_topic_CB6504A9";
const NEW_SUBSCRIPTION = "aws_sns_topic_subscription.alarms_email-0_D1719B51";

/** A Terraform v4 state with the resources the previous layout created in prod. */
function previousState(region: string, defaultTags: Record<string, string>): string {
  const topicArn = `arn:aws:sns:${region}:${ACCOUNT}:cc-prod-bridge-alarms`;
  const subscriptionArn = `${topicArn}:6a1f0c2e-8d4b-4e3a-9f21-0b7c5d9e1a34`;
  const feedback = Object.fromEntries(
    ["application", "firehose", "http", "lambda", "sqs"].flatMap((p) => [
      [`${p}_failure_feedback_role_arn`, ""],
      [`${p}_success_feedback_role_arn`, ""],
      [`${p}_success_feedback_sample_rate`, 0],
    ]),
  );
  const resource = (address: string, schemaVersion: number, attributes: Record<string, unknown>) => {
    const [type, name] = address.split(".");
    return {
      mode: "managed",
      type,
      name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: schemaVersion, attributes, sensitive_attributes: [] }],
    };
  };
  return JSON.stringify(
    {
      version: 4,
      terraform_version: "1.6.0",
      serial: 3,
      lineage: "8c0e5b1a-3f2d-4a6e-9b7c-1d2e3f4a5b6c",
      outputs: {},
      resources: [
        resource(OLD_TOPIC, 0, {
          id: topicArn,
          arn: topicArn,
          name: "cc-prod-bridge-alarms",
          name_prefix: "",
          display_name: "",
          kms_master_key_id: "alias/aws/sns",
          fifo_topic: false,
          fifo_throughput_scope: "",
          content_based_deduplication: false,
          archive_policy: "",
          beginning_archive_time: "",
          delivery_policy: "",
          owner: ACCOUNT,
          policy: JSON.stringify({ Version: "2008-10-17", Id: "__default_policy_ID", Statement: [] }),
          signature_version: 0,
          tracing_config: "",
          ...feedback,
          tags: {},
          tags_all: defaultTags,
        }),
        resource(OLD_SUBSCRIPTION, 0, {
          id: subscriptionArn,
          arn: subscriptionArn,
          topic_arn: topicArn,
          protocol: "email",
          endpoint: "contact-center-oncall@example.com",
          endpoint_auto_confirms: false,
          confirmation_timeout_in_minutes: 1,
          confirmation_was_authenticated: true,
          pending_confirmation: false,
          raw_message_delivery: false,
          filter_policy: "",
          filter_policy_scope: "",
          delivery_policy: "",
          redrive_policy: "",
          replay_policy: "",
          subscription_role_arn: "",
          owner_id: ACCOUNT,
        }),
        resource(ALARM, 1, {
          id: "cc-prod-bedrock-worker-bedrock-throttles",
          arn: `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:cc-prod-bedrock-worker-bedrock-throttles`,
          alarm_name: "cc-prod-bedrock-worker-bedrock-throttles",
          alarm_description: "Bedrock throttled bedrock-worker; raise the model's quota or use a cross-region profile",
          actions_enabled: true,
          alarm_actions: [topicArn],
          ok_actions: [topicArn],
          insufficient_data_actions: [],
          comparison_operator: "GreaterThanOrEqualToThreshold",
          datapoints_to_alarm: 0,
          dimensions: { Environment: "prod", Function: "bedrock-worker" },
          evaluate_low_sample_count_percentiles: "",
          evaluation_periods: 1,
          extended_statistic: "",
          metric_name: "BedrockThrottles",
          metric_query: [],
          namespace: "ContactCenterKit/Bridge",
          period: 300,
          statistic: "Sum",
          threshold: 5,
          threshold_metric_id: "",
          treat_missing_data: "notBreaching",
          unit: "",
          tags: {},
          tags_all: defaultTags,
        }),
      ],
      check_results: null,
    },
    null,
    2,
  );
}

describe("terraform plan: prod's alarm topic and subscription move to alarms/, nothing is destroyed", () => {
  const env = defaultEnvironment("prod");
  let endpoint: FakeAwsPlanEndpoint;
  let workdir: string;
  let cliConfig: string | undefined;
  let synthesized: TerraformJson;
  const targets = [NEW_TOPIC, NEW_SUBSCRIPTION, ALARM, OLD_TOPIC, OLD_SUBSCRIPTION].map((a) => `-target=${a}`);
  const plan = (out: string) => terraform(["plan", "-input=false", "-lock=false", "-refresh=false", ...targets, `-out=${out}`], workdir, cliConfig);
  const show = async (file: string) => JSON.parse(expectSuccess("show", await terraform(["show", "-json", file], workdir, cliConfig)).stdout) as TerraformJson;

  beforeAll(async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cc-topic-move-"));
    cliConfig = writeCliConfig(scratch);
    const stack = synthEnvironment(env, { outdir: path.join(scratch, "out") });
    synthesized = stack.json;
    endpoint = await startFakeAwsPlanEndpoint({ region: env.region, accountId: ACCOUNT });
    workdir = prepareWorkdir(stack.stackDir, { endpoint: endpoint.url, region: env.region });
    fs.writeFileSync(path.join(workdir, "terraform.tfstate"), previousState(env.region, synthesized.provider.aws[0].default_tags[0].tags));
    expectSuccess("init", await terraform(["init", "-input=false"], workdir, cliConfig));
  }, 600_000);

  afterAll(async () => {
    await endpoint?.close();
  });

  test("the stack carries the moved blocks of stacks/moves.ts", () => {
    expect(synthesized.moved).toEqual([
      { from: OLD_TOPIC, to: NEW_TOPIC },
      { from: OLD_SUBSCRIPTION, to: NEW_SUBSCRIPTION },
    ]);
  });

  test("with the moved blocks: topic updated in place (its key), subscription untouched, throttle alarm updated in place", async () => {
    const result: TerraformResult = await plan("moved.tfplan");
    if (result.code !== 0) throw new Error(`plan failed:\n${result.stderr}`);
    // A moved resource with changes is listed at its new address, "moved from" the old; one without, as moved.
    expect(result.stdout).toContain(`# ${NEW_TOPIC} will be updated in-place\n  # (moved from ${OLD_TOPIC})`);
    expect(result.stdout).toContain(`# ${OLD_SUBSCRIPTION} has moved to ${NEW_SUBSCRIPTION}`);
    expect(planCounts(result.stdout).destroy).toBe(0);
    const changes = (await show("moved.tfplan")).resource_changes as TerraformJson[];
    const at = (address: string) => changes.find((c) => c.address === address);
    expect(at(NEW_TOPIC)).toMatchObject({ previous_address: OLD_TOPIC, change: { actions: ["update"] } });
    expect(at(NEW_TOPIC)!.change.after).toMatchObject({ name: "cc-prod-bridge-alarms" });
    expect(at(NEW_TOPIC)!.change.after_unknown.kms_master_key_id).toBe(true);
    expect(at(NEW_SUBSCRIPTION)).toMatchObject({ previous_address: OLD_SUBSCRIPTION, change: { actions: ["no-op"] } });
    expect(at(ALARM)!.change.actions).toEqual(["update"]);
    expect(at(ALARM)!.change.after).toMatchObject({ alarm_name: "cc-prod-bedrock-worker-bedrock-throttles", threshold: 20, metric_name: null });
    expect(changes.some((c) => c.address === OLD_TOPIC || c.address === OLD_SUBSCRIPTION)).toBe(false);
    // Only the topic's new key (a dependency of the targeted topic) is created; nothing is destroyed or replaced.
    expect(changes.filter((c) => c.change.actions.includes("create")).map((c) => c.address)).toEqual(["aws_kms_key.alarms_topic-key_6C8B50ED"]);
    expect(changes.filter((c) => c.change.actions.includes("delete"))).toEqual([]);
    expect(endpoint.unknown).toEqual([]);
  }, 300_000);

  test("without the moved blocks the topic and the confirmed subscription would be destroyed and created anew", async () => {
    const withoutMoves = { ...synthesized };
    delete withoutMoves.moved;
    fs.writeFileSync(path.join(workdir, "cdk.tf.json"), JSON.stringify(withoutMoves, null, 2));
    const replaced = await plan("unmoved.tfplan");
    if (replaced.code !== 0) throw new Error(`plan failed:\n${replaced.stderr}`);
    expect(replaced.stdout).toContain(`# ${OLD_TOPIC} will be destroyed`);
    expect(replaced.stdout).toContain(`# ${OLD_SUBSCRIPTION} will be destroyed`);
    expect(replaced.stdout).toContain(`# ${NEW_TOPIC} will be created`);
    expect(planCounts(replaced.stdout).destroy).toBe(2);
  }, 300_000);
});
