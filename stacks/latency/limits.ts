import { FlowLimits } from "../../functions/shared/flow-contract";

/**
 * Time limits of the paths a customer's message takes, in seconds (sources: Amazon Connect feature
 * specifications and flow block reference, Lex V2 developer guide; see ../shared/reference/runtime-facts.md).
 */
export const CHANNEL_LIMITS = {
  /** Connect chat -> Lex bot, standard chat (hard limit). */
  chatLexStandard: 10,
  /** Connect chat -> Lex bot with message streaming (instance attribute MESSAGE_STREAMING). */
  chatLexStreaming: 60,
  /** Lex waits this long for a fulfillment code hook without progress updates. */
  lexFulfillmentWithoutUpdates: 30,
  /** Longest Lex fulfillment timeout with progress updates. */
  lexFulfillmentMax: 900,
  /** Invoke AWS Lambda block, synchronous. */
  flowLambdaSync: FlowLimits.syncLambdaMaxSeconds,
  /** Invoke AWS Lambda block, asynchronous (with a Wait for "Lambda returned"). */
  flowLambdaAsync: FlowLimits.asyncLambdaMaxSeconds,
  /** Loop block iterations. */
  flowLoopMax: FlowLimits.loopMax,
} as const;

/** Time around the model call itself: Connect and Lex processing, a Lambda cold start, DynamoDB writes. */
export const PLATFORM_OVERHEAD_SECONDS = 1.5;

/** Bedrock knowledge base retrieval before a bridge answer. */
export const BRIDGE_RETRIEVAL_SECONDS = 0.7;

/**
 * Share of a model's typical answer time that the Q in Connect pre-processing call takes: its output is
 * a short tool call. 0.5 reproduces the field report in the seeds (Claude Sonnet 4 pre-processing plus
 * Claude 3.5 Sonnet answer generation: about 11-13 s per chat turn).
 */
export const PRE_PROCESSING_SHARE = 0.5;

/** Connect's invocation of a warm Lambda function and the return of its result. */
export const POLLER_INVOKE_OVERHEAD_SECONDS = 0.5;
