import { Annotations } from "cdktf";
import { Construct } from "constructs";
import type { ConnectLambdaFunctionAssociation } from "@cdktf/provider-aws/lib/connect-lambda-function-association";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import type { AlarmsConfig } from "../../config/schema/alarms";
import type { BridgeConfig } from "../../config/schema/bridge";
import type { ChatStrategy } from "../../config/schema/environment";
import { type BridgeSettings, SETTINGS_FILE } from "../../functions/shared/bridge-settings";
import type { IConnectInstance } from "../connect-instance";
import { allowConnectToInvoke } from "../connect-lambda";
import { KitContext } from "../context";
import type { PolicyStatement } from "../iam/service-role";
import { NodejsFunction } from "../lambda/nodejs-function";
import { BridgeAlarms } from "./bridge-alarms";
import { invokeModelStatements, knowledgeAndGuardrailStatements } from "./bedrock-access";
import { TurnTable } from "./turn-table";

/** The channels the bridge answers. */
export interface BridgeChannels {
  /** The chat strategy when the bridge answers chat. @default - the bridge does not answer chat */
  readonly chat?: ChatStrategy;
  /** Whether the bridge answers voice. */
  readonly voice: boolean;
}

export interface BedrockBridgeProps {
  /** The environment's `bridge` section. */
  readonly config: BridgeConfig;
  /** What the functions read at run time (`settings.json`), built from the environment by `buildBridgeSettings`. */
  readonly settings: BridgeSettings;
  readonly channels: BridgeChannels;
  /** The instance whose flows call the answer-poller. */
  readonly instance: IConnectInstance;
  /** The environment's `alarms` section (thresholds; the stack routes every alarm to its topic). */
  readonly alarms: AlarmsConfig;
}

/**
 * The synth warning for a poller reservation below the configured peak of waiting chats, if any. Only
 * advice: a smaller reservation is a valid choice (it protects the other functions; the chats beyond it
 * get their answers later).
 */
export function pollerConcurrencyWarning(poll: Pick<BridgeConfig["poll"], "reservedConcurrency" | "expectedWaitingChats">): string | undefined {
  const { reservedConcurrency: reserved, expectedWaitingChats: waiting } = poll;
  if (reserved === undefined || waiting === undefined || reserved >= waiting) return undefined;
  return (
    `bridge.poll.reservedConcurrency (${reserved}) is below bridge.poll.expectedWaitingChats (${waiting}): every chat waiting for an answer ` +
    `holds one answer-poller execution, so at that peak about ${waiting - reserved} chats at a time will find the poller throttled. ` +
    "The chat flow then waits 1-15 s and retries, so those answers arrive later rather than fail. To long-poll them all, raise " +
    `reservedConcurrency to ${waiting} (and the Region's Lambda concurrency quota to fit); see docs/scale-and-cost.md.`
  );
}

/** Seconds a worker keeps after the turn's deadline to store FAILED before Lambda stops it. */
const WORKER_GRACE_SECONDS = 5;
/** Seconds the fulfillment function keeps beyond its longest synchronous budget. */
const FULFILLMENT_GRACE_SECONDS = 3;

/**
 * The Bedrock bridge: `lex-fulfillment` (the Lex code hook), and for the chat poll strategy
 * `bedrock-worker` (invoked asynchronously, answers into DynamoDB) and `answer-poller` (called by the
 * chat flow, long-polls the turn), with the turn table, least-privilege roles, the worker's async
 * settings (no blind retries, short event age, failure queue) and alarms.
 */
export class BedrockBridge extends Construct {
  readonly table: TurnTable;
  /** The Lex code hook; the self-service bot grants its alias permission to invoke it. */
  readonly fulfillment: NodejsFunction;
  readonly worker?: NodejsFunction;
  readonly poller?: NodejsFunction;
  /** The poller's association with the instance (the chat flow depends on it). */
  readonly pollerAssociation?: ConnectLambdaFunctionAssociation;
  readonly failureQueue?: SqsQueue;
  readonly alarms: BridgeAlarms;
  /** lex-fulfillment's Lambda timeout in seconds. */
  readonly fulfillmentTimeoutSeconds: number;

  constructor(scope: Construct, id: string, props: BedrockBridgeProps) {
    super(scope, id);
    const { config: bridge, settings, channels, instance } = props;
    const context = KitContext.of(this);
    const files = { [SETTINGS_FILE]: `${JSON.stringify(settings, null, 2)}\n` };
    const pollChat = channels.chat === "poll";
    const syncModels = [...(channels.voice ? [bridge.models.voice] : []), ...(channels.chat && !pollChat ? [bridge.models.chat] : [])];
    const extras = knowledgeAndGuardrailStatements(context, { knowledgeBaseId: bridge.knowledgeBaseId, guardrailId: bridge.guardrail?.id });

    this.table = new TurnTable(this, "turns", { config: bridge.table });

    if (pollChat) {
      this.failureQueue = new SqsQueue(this, "worker-failures", {
        name: context.name("bridge-worker-failures"),
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: 14 * 24 * 3600,
      });
      this.worker = new NodejsFunction(this, "worker", {
        source: "bedrock-worker",
        description: "Answers a chat turn with Bedrock and stores the answer (invoked asynchronously)",
        timeoutSeconds: Math.min(900, bridge.poll.turnTimeoutSeconds + WORKER_GRACE_SECONDS),
        memoryMb: 512,
        environment: { TABLE_NAME: this.table.tableName },
        files,
        statements: [
          ...this.table.grant("TurnTable", ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"]),
          ...invokeModelStatements(context, [bridge.models.chat]),
          ...extras,
          { sid: "RecordFailedEvents", actions: ["sqs:SendMessage"], resources: [this.failureQueue.arn] },
        ],
      });
      // Idempotency is ours (turns are claimed and moved only from PENDING): Lambda must not retry, and an
      // answer older than the poll window is useless, so events expire fast and land in the failure queue.
      new LambdaFunctionEventInvokeConfig(this, "worker-async", {
        functionName: this.worker.functionName,
        maximumRetryAttempts: 0,
        maximumEventAgeInSeconds: bridge.maxEventAgeSeconds,
        destinationConfig: { onFailure: { destination: this.failureQueue.arn } },
      });
      this.poller = new NodejsFunction(this, "poller", {
        source: "answer-poller",
        description: "Long-polls a chat turn for its answer (called by the chat flow, synchronous)",
        timeoutSeconds: Math.ceil(bridge.poll.pollerBudgetMs / 1000) + 2,
        memoryMb: 256,
        environment: { TABLE_NAME: this.table.tableName },
        files,
        statements: this.table.grant("TurnTable", ["dynamodb:GetItem"]),
        reservedConcurrency: bridge.poll.reservedConcurrency,
      });
      this.pollerAssociation = allowConnectToInvoke(this, "poller", instance, this.poller);
      const warning = pollerConcurrencyWarning(bridge.poll);
      if (warning) Annotations.of(this).addWarning(warning);
    } else if (bridge.poll.reservedConcurrency !== undefined) {
      Annotations.of(this).addWarning(
        `bridge.poll.reservedConcurrency (${bridge.poll.reservedConcurrency}) has no effect: answer-poller exists only when the bridge answers chat with the poll strategy.`,
      );
    }

    const longestSyncMs = Math.max(settings.budgets.voiceMs, settings.budgets.chatSyncMs);
    this.fulfillmentTimeoutSeconds = Math.min(900, Math.ceil(longestSyncMs / 1000) + FULFILLMENT_GRACE_SECONDS);
    const fulfillmentStatements: PolicyStatement[] = [
      ...this.table.grant("TurnTable", ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]),
      ...invokeModelStatements(context, syncModels),
      ...(syncModels.length ? extras : []),
      ...(this.worker ? [{ sid: "StartWorker", actions: ["lambda:InvokeFunction"], resources: [this.worker.functionArn] }] : []),
    ];
    this.fulfillment = new NodejsFunction(this, "fulfillment", {
      source: "lex-fulfillment",
      description: "Lex V2 fulfillment code hook of the Bedrock bridge bot",
      timeoutSeconds: this.fulfillmentTimeoutSeconds,
      memoryMb: 512,
      environment: { TABLE_NAME: this.table.tableName, ...(this.worker ? { WORKER_FUNCTION_NAME: this.worker.functionName } : {}) },
      files,
      statements: fulfillmentStatements,
    });

    this.alarms = new BridgeAlarms(this, "alarms", {
      config: props.alarms,
      functionNames: {
        "lex-fulfillment": this.fulfillment.functionName,
        ...(this.worker ? { "bedrock-worker": this.worker.functionName } : {}),
        ...(this.poller ? { "answer-poller": this.poller.functionName } : {}),
      },
      bedrockCallers: [...(this.worker ? (["bedrock-worker"] as const) : []), ...(syncModels.length ? (["lex-fulfillment"] as const) : [])],
      synchronous: syncModels.length > 0,
      failureQueueName: this.failureQueue?.name,
      fulfillmentTimeoutSeconds: this.fulfillmentTimeoutSeconds,
    });
  }
}
