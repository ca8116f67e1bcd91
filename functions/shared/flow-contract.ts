/**
 * The names contact flows, stacks and Lambda handlers share: Lex session attributes, tool values,
 * the flow-facing parameters and results of answer-poller and qconnect-session, bot intents and the
 * alias name, contact attributes the flows write, and the Flow-language limits. Every flow, construct
 * and handler imports them from here, so renaming one is a compile error rather than a contact that
 * silently takes the wrong branch at run time.
 */

/** Lex session attributes the flows set before the bot runs and read after it returns. */
export const SessionAttribute = {
  /** Set by the flow from `$.ContactId`; the bridge's turn key. */
  contactId: "contactId",
  /** Set by the flow from `$.Channel` (CHAT or VOICE). */
  channel: "channel",
  /** Set by lex-fulfillment: where the turn's answer is (see `BridgeStatus`). */
  bridgeStatus: "bridgeStatus",
  /** Set by lex-fulfillment: the turn id the chat flow polls for. */
  bridgeTurnId: "bridgeTurnId",
  /** The tool the model chose; set by both engines (see `Tool`). */
  tool: "Tool",
} as const;

/** Summary fields for the agent, named as Amazon Q in Connect names them; both engines produce them. */
export const HANDOFF_FIELDS = ["customer_issue", "bot_response", "conversation_summary", "escalation_reason"] as const;
export type HandoffField = (typeof HANDOFF_FIELDS)[number];

/**
 * The value of a handoff field the model left out or left empty. A customer who asked for a person is
 * handed over with what is there; the flow copies every field into a contact attribute, and Connect may
 * refuse an empty attribute value, so a missing field gets this non-empty text instead of "".
 */
export const HANDOFF_FIELD_PLACEHOLDER = "(not provided)";

/** Values of the `bridgeStatus` session attribute. */
export const BridgeStatus = {
  /** The answer is being prepared asynchronously; the chat flow polls answer-poller with `bridgeTurnId`. */
  pending: "PENDING",
  /** Lex already said the answer (synchronous strategies, or a reply to rejected input). */
  ready: "READY",
  /** Lex already said an apology that offers an agent. */
  failed: "FAILED",
} as const;
export type BridgeStatus = (typeof BridgeStatus)[keyof typeof BridgeStatus];

/** Tool values the flows branch on; the same for both engines, so one handoff path serves both. */
export const Tool = {
  answer: "ANSWER",
  handoff: "HANDOFF",
  complete: "COMPLETE",
  /** Q in Connect's built-in escalation tool (its default prompts); treated like HANDOFF. */
  escalation: "ESCALATION",
} as const;

/** Tools the Bedrock bridge's model may call. */
export const BRIDGE_TOOLS = [Tool.answer, Tool.handoff, Tool.complete] as const;
export type BridgeTool = (typeof BRIDGE_TOOLS)[number];

/** Tools the kit's Q in Connect pre-processing prompts define (config/prompts/<locale>/self-service-pre-processing.yaml). */
export const Q_IN_CONNECT_TOOLS = [Tool.handoff, Tool.complete, "QUESTION", "CONVERSATION"] as const;

/** Tool values that end self-service and hand the contact to an agent. */
export const HANDOFF_TOOLS: readonly string[] = [Tool.handoff, Tool.escalation];

/** answer-poller, as the chat flow calls it (Invoke AWS Lambda function, synchronous). */
export const AnswerPoller = {
  /** Block parameters (`Details.Parameters`). */
  parameters: {
    /** The turn to wait for: `$.Lex.SessionAttributes.bridgeTurnId`. */
    turnId: "turnId",
    /** Polls of this turn so far (a contact attribute the flow keeps); the result carries it plus one. */
    pollCount: "pollCount",
  },
  /** Keys of the flat string map it returns (`$.External.<key>`), besides the handoff fields. */
  result: {
    status: "status",
    answer: "answer",
    tool: "Tool",
    /** The apology (FAILED) or the expired text (EXPIRED), both offering an agent. */
    message: "message",
    turnId: "turnId",
    waitedMs: "waitedMs",
    pollCount: "pollCount",
  },
  status: { ready: "READY", pending: "PENDING", failed: "FAILED", expired: "EXPIRED" },
} as const;
export type PollStatus = (typeof AnswerPoller.status)[keyof typeof AnswerPoller.status];

/** qconnect-session, as the Q in Connect flows call it right after creating the session. */
export const QConnectSession = {
  parameters: {
    /** `$.Wisdom.SessionArn`. */
    sessionArn: "sessionArn",
    /** `$.Channel`; optional, the contact's channel is used when it is empty. */
    channel: "channel",
  },
  result: { status: "status", channel: "channel", aiAgentId: "aiAgentId", message: "message" },
  status: { ok: "OK", error: "ERROR" },
  /** Its whole-call budget: UpdateSession with one retry, well inside the flow's limit. */
  budgetMs: 2_500,
  /** Seconds the flows give it (InvocationTimeLimitSeconds): the budget plus a cold start. */
  flowTimeoutSeconds: 4,
} as const;
export type SessionStatus = (typeof QConnectSession.status)[keyof typeof QConnectSession.status];

/** Intent names of the kit's bots. */
export const BotIntent = {
  /** The bridge bot's explicit request for a person: ends the bot turn without calling a model. */
  talkToAgent: "TalkToAgent",
  fallback: "FallbackIntent",
  qInConnect: "QInConnectIntent",
} as const;

/** The bot alias every flow uses; the same name in every environment. */
export const LIVE_ALIAS = "live";

/** Lex request attribute Connect sets on chat ("Connect Chat"). */
export const LEX_CHANNEL_PLATFORM_ATTRIBUTE = "x-amz-lex:channels:platform";

/** Values of `$.Channel` the flows and handlers see. */
export const ContactChannel = { chat: "CHAT", voice: "VOICE" } as const;

/** User-defined contact attributes the flows write (besides the handoff fields). */
export const ContactAttribute = {
  /** Why the contact was handed to an agent (see `HandoffSource`); the smoke test reads it. */
  handoffSource: "handoffSource",
  /** The customer's number (voice) or chat identity, shown to the agent. */
  customerEndpoint: "customer_endpoint",
  /** Chat only: the display name a chat client passes as a contact attribute in StartChatContact. */
  customerName: "customerName",
  /** Chat poll strategy: answer-poller calls of the current turn (reset at every turn). */
  pollCount: "bridgePollCount",
} as const;

/** Values of the `handoffSource` contact attribute. */
export const HandoffSource = {
  /** The engine chose HANDOFF (or Q in Connect's ESCALATION). */
  tool: "TOOL",
  /** The customer asked for a person (the bridge bot's TalkToAgent intent). */
  talkToAgent: "TALK_TO_AGENT",
  /** Self-service failed (bot or Lambda error): a person takes over. */
  error: "ERROR",
} as const;

/** Flow-language limits (Amazon Connect Flow language reference and block pages). */
export const FlowLimits = {
  /** Invoke AWS Lambda function, synchronous: 1-8 s. */
  syncLambdaMaxSeconds: 8,
  /** Invoke AWS Lambda function, asynchronous. */
  asyncLambdaMaxSeconds: 60,
  /** Loop block: 0-100 iterations. */
  loopMax: 100,
  /** Wait block: at most 7 days. */
  waitMaxSeconds: 604_800,
  /** Actions per flow. */
  actionsMax: 250,
  /** Characters of a flow's content. */
  contentMaxChars: 256_000,
  /** A flow Lambda's result must stay below 32 KB. */
  lambdaResultMaxBytes: 32 * 1024,
} as const;
