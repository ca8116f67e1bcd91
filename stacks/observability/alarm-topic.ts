import { Aspects, type IAspect, TerraformStack } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { AlarmsConfig } from "../../config/schema/alarms";
import { KitContext } from "../context";
import { KeyPolicyDocument } from "../iam/key-policy";

/** Key administration delegated to the account's IAM policies; using the key is not among these. */
const KEY_ADMIN_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];
/** What a publisher to an encrypted topic needs on its key. */
const PUBLISH_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey*"];

export interface AlarmTopicProps {
  readonly config: AlarmsConfig;
}

/**
 * Where the environment's alarms notify: a topic the kit creates (encrypted with a KMS key of its own
 * whose policy lets this environment's CloudWatch alarms publish, plus email subscriptions) or an existing
 * topic by ARN. Every CloudWatch alarm of the stack, wherever it is defined, gets the topic as its ALARM
 * and OK action (an Aspect, so no alarm can be left out), with its actions off when `alarms.paging` is false.
 *
 * Why not the AWS managed key `alias/aws/sns`: its key policy cannot be changed and does not admit
 * `cloudwatch.amazonaws.com`, so CloudWatch cannot publish to a topic encrypted with it and alarm
 * notifications are dropped (the alarm history shows the failed action; nobody is paged).
 */
export class AlarmTopic extends Construct {
  readonly topicArn: string;
  /** The created topic (absent for an existing topic). */
  readonly topic?: SnsTopic;
  readonly key?: KmsKey;
  readonly subscriptions: readonly SnsTopicSubscription[];

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const context = KitContext.of(this);
    const { topic: topicConfig, paging } = props.config;
    if ("arn" in topicConfig) {
      this.topicArn = topicConfig.arn;
      this.subscriptions = [];
    } else {
      const account = context.accountId;
      const policy = new KeyPolicyDocument(this, "topic-key-policy", [
        {
          sid: "AccountAdministersKey",
          principal: { type: "AWS", identifiers: [`arn:${context.partition}:iam::${account}:root`] },
          actions: KEY_ADMIN_ACTIONS,
        },
        {
          // Operators may publish a test message; the key is usable through SNS only.
          sid: "AccountPublishesThroughSns",
          principal: { type: "AWS", identifiers: [`arn:${context.partition}:iam::${account}:root`] },
          actions: PUBLISH_ACTIONS,
          conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [`sns.${context.region}.amazonaws.com`] }],
        },
        {
          sid: "CloudWatchAlarmsPublish",
          principal: { type: "Service", identifiers: ["cloudwatch.amazonaws.com"] },
          actions: PUBLISH_ACTIONS,
          conditions: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [context.arn("cloudwatch", `alarm:${context.name("*")}`)] },
          ],
        },
      ]);
      this.key = new KmsKey(this, "topic-key", {
        description: `Encrypts ${context.name(topicConfig.name)}; CloudWatch alarms of ${context.env.name} may publish`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: policy.json,
      });
      new KmsAlias(this, "topic-key-alias", { name: `alias/${context.name(topicConfig.name)}`, targetKeyId: this.key.keyId });
      this.topic = new SnsTopic(this, "topic", { name: context.name(topicConfig.name), kmsMasterKeyId: this.key.arn });
      this.topicArn = this.topic.arn;
      this.subscriptions = topicConfig.emails.map(
        (email, index) => new SnsTopicSubscription(this, `email-${index}`, { topicArn: this.topicArn, protocol: "email", endpoint: email }),
      );
    }
    Aspects.of(TerraformStack.of(this)).add(new RouteAlarms(this.topicArn, paging));
  }
}

/** Gives every CloudWatch alarm the topic as ALARM and OK action; `enabled` false turns the actions off. */
export class RouteAlarms implements IAspect {
  constructor(
    private readonly topicArn: string,
    private readonly enabled: boolean,
  ) {}

  visit(node: IConstruct): void {
    if (!(node instanceof CloudwatchMetricAlarm)) return;
    node.alarmActions = [this.topicArn];
    node.okActions = [this.topicArn];
    node.actionsEnabled = this.enabled;
  }
}
