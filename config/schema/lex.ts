import { z } from "zod";
import { MessageList, perLocale } from "./common";

/** Lex dialog actions allowed as the next step after fulfillment. */
export const NEXT_STEPS = ["CloseIntent", "ElicitIntent", "EndConversation", "FulfillIntent", "StartIntent"] as const;

const PostFulfillmentResponse = z.strictObject({
  /** 1-5 messages; each becomes one Lex message group. */
  messages: MessageList,
  allowInterrupt: z.boolean().default(true).describe("whether the customer may interrupt the message"),
  /** What Lex does next. Default: ElicitIntent, so the customer can ask again. */
  nextStep: z.enum(NEXT_STEPS).default("ElicitIntent"),
});

/**
 * Fulfillment progress updates and post-fulfillment responses (Lex `FulfillmentCodeHookSetting`).
 * Updates play only on streaming conversations (Connect voice); post-fulfillment responses play on both.
 */
export const FulfillmentSettings = z
  .strictObject({
    /** Turn progress updates on. With updates off, Lex waits at most 30 s for the fulfillment. */
    updatesActive: z.boolean().optional(),
    /** Fulfillment timeout in seconds when updates are active (Lex allows 1-900). */
    timeoutSeconds: z.number().int().min(1).max(900).optional(),
    start: z
      .strictObject({
        delaySeconds: z.number().int().min(1).max(900).describe("seconds after the fulfillment starts before the start response plays"),
        messages: MessageList,
        allowInterrupt: z.boolean().default(false).describe("whether the caller may interrupt the message"),
      })
      .optional()
      .describe("the response played once when the fulfillment takes a while"),
    update: z
      .strictObject({
        frequencySeconds: z.number().int().min(1).max(900).describe("seconds between update responses"),
        messages: MessageList,
        allowInterrupt: z.boolean().default(false).describe("whether the caller may interrupt the message"),
      })
      .optional()
      .describe("the response repeated while the fulfillment runs"),
    success: PostFulfillmentResponse.optional().describe("said after a successful fulfillment"),
    failure: PostFulfillmentResponse.optional().describe("said when the fulfillment failed"),
    timeout: PostFulfillmentResponse.optional().describe("said when the fulfillment timed out"),
  })
  .superRefine((s, ctx) => {
    const timeout = s.timeoutSeconds;
    if (timeout === undefined) return;
    if (s.start && s.start.delaySeconds >= timeout) {
      ctx.addIssue({
        code: "custom",
        path: ["start", "delaySeconds"],
        message: `the start response delay (${s.start.delaySeconds} s) must be shorter than timeoutSeconds (${timeout} s), or it never plays`,
      });
    }
    if (s.update && s.update.frequencySeconds >= timeout) {
      ctx.addIssue({
        code: "custom",
        path: ["update", "frequencySeconds"],
        message: `the update frequency (${s.update.frequencySeconds} s) must be shorter than timeoutSeconds (${timeout} s), or no update plays`,
      });
    }
  });
export type FulfillmentSettingsInput = z.input<typeof FulfillmentSettings>;
export type FulfillmentSettings = z.output<typeof FulfillmentSettings>;

/** Amazon Polly neural voices per locale. */
export const VoiceSettings = z.strictObject({
  voiceId: z.string().regex(/^[A-Z][a-zA-Z]+$/, "expected a Polly voice name such as Kazuha or Joanna").describe("Amazon Polly voice name"),
  engine: z.enum(["standard", "neural", "long-form", "generative"]).default("neural").describe("Amazon Polly engine of the voice"),
});

export const LexConfig = z.strictObject({
  /** Intent confidence below which Lex falls back (0-1). */
  nluConfidenceThreshold: z.number().min(0).max(1).default(0.4),
  /** Seconds of inactivity after which Lex forgets the session (60-86400). */
  idleSessionTtlSeconds: z.number().int().min(60).max(86400).default(300),
  /** Voice per locale. Default: Kazuha (ja_JP) and Joanna (en_US), neural. */
  voices: perLocale(VoiceSettings).default({}),
  /** Per engine, per locale overrides of the kit's default fulfillment settings. */
  fulfillment: z
    .strictObject({
      "bedrock-bridge": perLocale(FulfillmentSettings).default({}),
      "q-in-connect": perLocale(FulfillmentSettings).default({}),
    })
    .default({ "bedrock-bridge": {}, "q-in-connect": {} }),
  /** Write text conversation logs to a CloudWatch log group kept for `logRetentionDays`. */
  conversationLogs: z.boolean().default(true),
});
export type LexConfig = z.output<typeof LexConfig>;
