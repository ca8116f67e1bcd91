import { z } from "zod";
import { LegacyBridgeAlarms } from "./alarms";
import { KmsKeyArn, ModelIdField, perLocale } from "./common";

/** Messages the bridge sends to customers, per locale. Unset entries fall back to the kit's defaults. */
export const BridgeMessages = z.strictObject({
  /** Sent at once on chat while the answer is being prepared (poll strategy). */
  interim: z.string().min(1).max(1000).optional(),
  /** Sent when no answer could be produced (error, timeout), with an offer to reach an agent. */
  apology: z.string().min(1).max(1000).optional(),
  /** Sent when the customer's message is empty. */
  emptyInput: z.string().min(1).max(1000).optional(),
  /** Sent when the customer's message is longer than `maxUtteranceChars`. */
  tooLong: z.string().min(1).max(1000).optional(),
  /** Sent when the poll window ran out before the answer arrived. */
  expired: z.string().min(1).max(1000).optional(),
});

export const BridgeConfig = z.strictObject({
  /** Converse model per channel. Chat may use a slower model with the poll strategy. */
  models: z.strictObject({ chat: ModelIdField, voice: ModelIdField }),
  /** Bedrock knowledge base to retrieve passages from before answering. Default: no retrieval. */
  knowledgeBaseId: z.string().regex(/^[0-9A-Z]{10}$/, "expected a Bedrock knowledge base id (10 upper-case letters or digits)").optional(),
  /** Passages retrieved per turn. */
  retrievalResults: z.number().int().min(1).max(20).default(4),
  /** Bedrock guardrail applied to every Converse call. Default: none. */
  guardrail: z
    .strictObject({
      id: z.string().regex(/^[a-z0-9]{12}$/, "expected a Bedrock guardrail id (12 lower-case letters or digits)").describe("guardrail id"),
      version: z.string().regex(/^(DRAFT|[1-9][0-9]{0,7})$/, "expected DRAFT or a version number").describe("guardrail version: DRAFT or a number"),
    })
    .optional(),
  maxTokens: z.number().int().min(64).max(4096).default(700).describe("most output tokens per Converse call"),
  temperature: z.number().min(0).max(1).default(0.2).describe("sampling temperature of the Converse calls"),
  /** Earlier answered turns sent to the model as conversation history. */
  historyTurns: z.number().int().min(0).max(20).default(6),
  /** Longest customer message accepted; Connect chat caps inbound messages at 1,024 characters. */
  maxUtteranceChars: z.number().int().min(16).max(4000).default(1024),
  /** Longest answer sent back, in characters; longer answers are cut at a sentence boundary. */
  maxAnswerChars: z.number().int().min(200).max(5000).default(2400),
  messages: perLocale(BridgeMessages).default({}).describe("customer-facing texts per locale; unset ones keep the kit's defaults (stacks/bridge/default-messages.ts)"),
  /** Extra system-prompt text per locale, appended to the kit's prompt template. */
  systemPromptAppendix: perLocale(z.string().max(8000)).default({}),
  poll: z
    .strictObject({
      /** Pause between strongly consistent reads of the turn, in milliseconds. */
      intervalMs: z.number().int().min(50).max(1000).default(200),
      /**
       * How long one answer-poller call waits before returning PENDING. Must stay below the flow's
       * synchronous Lambda limit (8 s) with room for the invocation itself.
       */
      pollerBudgetMs: z.number().int().min(500).max(7000).default(6500),
      /** A turn still PENDING this long after it started is reported as EXPIRED. */
      turnTimeoutSeconds: z.number().int().min(10).max(600).default(90),
    })
    .default({ intervalMs: 200, pollerBudgetMs: 6500, turnTimeoutSeconds: 90 })
    .describe("the chat poll strategy: answer-poller timing and the poll window of a turn"),
  table: z
    .strictObject({
      pointInTimeRecovery: z.boolean().default(false).describe("DynamoDB point-in-time recovery of the turn table"),
      /** Customer managed KMS key for the table. Default: the AWS owned DynamoDB key. */
      kmsKeyArn: KmsKeyArn.optional(),
      /** Hours a turn is kept before TTL removes it. */
      ttlHours: z.number().int().min(1).max(720).default(24),
      deletionProtection: z.boolean().default(false).describe("DynamoDB deletion protection of the turn table"),
    })
    .default({ pointInTimeRecovery: false, ttlHours: 24, deletionProtection: false })
    .describe("the DynamoDB table holding chat turns"),
  /** Seconds an async worker event may wait in Lambda's queue before it is dropped to the failure queue. */
  maxEventAgeSeconds: z.number().int().min(60).max(21600).default(120),
  alarms: LegacyBridgeAlarms,
});
export type BridgeConfig = z.output<typeof BridgeConfig>;
