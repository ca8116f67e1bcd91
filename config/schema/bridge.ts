import { z } from "zod";
import { BRIDGE_LIMITS, GUARDRAIL_ID_RE, GUARDRAIL_VERSION_RE, KNOWLEDGE_BASE_ID_RE } from "../../functions/shared/bridge-settings";
import { LegacyBridgeAlarms } from "./alarms";
import { KmsKeyArn, ModelIdField, perLocale } from "./common";

/** A customer-facing message, bounded as the functions' settings schema bounds it. */
const message = () => z.string().min(BRIDGE_LIMITS.messageChars.min).max(BRIDGE_LIMITS.messageChars.max);

/**
 * Messages the bridge sends to customers, per locale. Unset entries fall back to the kit's defaults.
 * The bounds here and below are the functions' own (BRIDGE_LIMITS in functions/shared/bridge-settings.ts,
 * whose schema validates the settings.json built from this section).
 */
export const BridgeMessages = z.strictObject({
  /** Sent at once on chat while the answer is being prepared (poll strategy). */
  interim: message().optional(),
  /** Sent when no answer could be produced (error, timeout), with an offer to reach an agent. */
  apology: message().optional(),
  /** Sent when the customer's message is empty. */
  emptyInput: message().optional(),
  /** Sent when the customer's message is longer than `maxUtteranceChars`. */
  tooLong: message().optional(),
  /** Sent when the poll window ran out before the answer arrived. */
  expired: message().optional(),
});

export const BridgeConfig = z.strictObject({
  /** Converse model per channel. Chat may use a slower model with the poll strategy. */
  models: z.strictObject({ chat: ModelIdField, voice: ModelIdField }),
  /** Bedrock knowledge base to retrieve passages from before answering. Default: no retrieval. */
  knowledgeBaseId: z.string().regex(KNOWLEDGE_BASE_ID_RE, "expected a Bedrock knowledge base id (10 upper-case letters or digits)").optional(),
  /** Passages retrieved per turn. */
  retrievalResults: z.number().int().min(BRIDGE_LIMITS.retrievalResults.min).max(BRIDGE_LIMITS.retrievalResults.max).default(4),
  /** Bedrock guardrail applied to every Converse call. Default: none. */
  guardrail: z
    .strictObject({
      id: z.string().regex(GUARDRAIL_ID_RE, "expected a Bedrock guardrail id (12 lower-case letters or digits)").describe("guardrail id"),
      version: z.string().regex(GUARDRAIL_VERSION_RE, "expected DRAFT or a version number").describe("guardrail version: DRAFT or a number"),
    })
    .optional(),
  maxTokens: z.number().int().min(BRIDGE_LIMITS.maxTokens.min).max(BRIDGE_LIMITS.maxTokens.max).default(700).describe("most output tokens per Converse call"),
  temperature: z.number().min(BRIDGE_LIMITS.temperature.min).max(BRIDGE_LIMITS.temperature.max).default(0.2).describe("sampling temperature of the Converse calls"),
  /** Earlier answered turns sent to the model as conversation history. */
  historyTurns: z.number().int().min(BRIDGE_LIMITS.historyTurns.min).max(BRIDGE_LIMITS.historyTurns.max).default(6),
  /** Longest customer message accepted; Connect chat caps inbound messages at 1,024 characters. */
  maxUtteranceChars: z.number().int().min(BRIDGE_LIMITS.maxUtteranceChars.min).max(BRIDGE_LIMITS.maxUtteranceChars.max).default(1024),
  /** Longest answer sent back, in characters; longer answers are cut at a sentence boundary. */
  maxAnswerChars: z.number().int().min(BRIDGE_LIMITS.maxAnswerChars.min).max(BRIDGE_LIMITS.maxAnswerChars.max).default(2400),
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
      /**
       * Reserved concurrency of answer-poller (Lambda `reserved_concurrent_executions`). Every chat waiting
       * for an answer holds one poller execution, so this caps how many chats long-poll at once and keeps
       * the rest of the Region's concurrency for the other functions (lex-fulfillment, bedrock-worker).
       * Chats beyond it are throttled; the flow waits 1-15 s and retries, so their answers arrive later.
       * Lambda keeps 100 of the account's concurrency unreserved. See docs/scale-and-cost.md. Default:
       * unreserved (the poller shares the account's concurrency with every other function).
       */
      reservedConcurrency: z
        .number()
        .int("reserved concurrency must be a whole number of executions")
        .min(1, "reserved concurrency must be at least 1 (0 would throttle every poller call); leave it out to keep the poller unreserved")
        .optional(),
      /**
       * Chats you expect to wait for an answer at the same moment at peak, for sizing only: with a
       * `reservedConcurrency` below it, synth warns (it does not fail) that the chats beyond it will be
       * throttled and get their answers later. Chats waiting at once ~ active chats x answer time /
       * (answer time + the customer's time to read and type); see docs/scale-and-cost.md. Default: none.
       */
      expectedWaitingChats: z.number().int().min(1).optional(),
    })
    .default({ intervalMs: 200, pollerBudgetMs: 6500, turnTimeoutSeconds: 90 })
    .describe("the chat poll strategy: answer-poller timing and the poll window of a turn"),
  table: z
    .strictObject({
      pointInTimeRecovery: z.boolean().default(false).describe("DynamoDB point-in-time recovery of the turn table"),
      /** Customer managed KMS key for the table. Default: the AWS owned DynamoDB key. */
      kmsKeyArn: KmsKeyArn.optional(),
      /** Hours a turn is kept before TTL removes it. */
      ttlHours: z.number().int().min(BRIDGE_LIMITS.ttlHours.min).max(BRIDGE_LIMITS.ttlHours.max).default(24),
      deletionProtection: z.boolean().default(false).describe("DynamoDB deletion protection of the turn table"),
    })
    .default({ pointInTimeRecovery: false, ttlHours: 24, deletionProtection: false })
    .describe("the DynamoDB table holding chat turns"),
  /** Seconds an async worker event may wait in Lambda's queue before it is dropped to the failure queue. */
  maxEventAgeSeconds: z.number().int().min(60).max(21600).default(120),
  alarms: LegacyBridgeAlarms,
});
export type BridgeConfig = z.output<typeof BridgeConfig>;
