/**
 * The side effects a simulated contact needs, as interfaces an integration implements (fakes in unit
 * tests; the kit's real Lambda handlers, a Lex model and dynalite later), and the simulator's options.
 *
 * Every side effect gets the virtual time it starts at (`atMs`) and reports how long it took
 * (`durationMs`); the simulator advances its virtual clock by that amount, capped by the block's limit.
 * A side effect may compute the duration (a model: "Lex took 4,200 ms") or measure it (a real handler
 * run with a wall clock, possibly scaled). Functions may return a value or a promise.
 */
import type { ContactChannel, FlowAction, FlowDocument } from "./flow-document";
import type { TranscriptEntry } from "./trace";

type MaybePromise<T> = T | Promise<T>;

// ---------------------------------------------------------------------------------------------------
// Lambda (reference §4.4)

/** The event Connect sends to a flow Lambda (`ConnectContactFlowEvent` in @types/aws-lambda). */
export interface ContactFlowEvent {
  readonly Name: "ContactFlowEvent";
  readonly Details: {
    readonly ContactData: {
      readonly ContactId: string;
      readonly InitialContactId: string;
      readonly PreviousContactId: string;
      readonly Channel: ContactChannel;
      readonly LanguageCode: string;
      readonly InitiationMethod: string;
      readonly InstanceARN: string;
      readonly CustomerEndpoint: { readonly Address: string; readonly Type: string } | null;
      readonly SystemEndpoint: null;
      readonly Queue: { readonly ARN: string; readonly Name: string } | null;
      readonly Attributes: Readonly<Record<string, string>>;
      readonly MediaStreams: { readonly Customer: { readonly Audio: null } };
    };
    /** The block's resolved LambdaInvocationAttributes. */
    readonly Parameters: Readonly<Record<string, string>>;
  };
}

export interface LambdaInvocationRequest {
  readonly functionArn: string;
  readonly invocationType: "SYNCHRONOUS" | "ASYNCHRONOUS";
  readonly event: ContactFlowEvent;
  /** The time left of the block's InvocationTimeLimitSeconds for this attempt (a handler's remaining time). */
  readonly timeLimitMs: number;
  /** The block's ResponseValidation (STRING_MAP when absent). */
  readonly responseType: "STRING_MAP" | "JSON";
  /** 1 for the first call; retries (when enabled) count up. */
  readonly attempt: number;
  /** Virtual time at which this attempt starts. */
  readonly atMs: number;
  readonly contactId: string;
  readonly actionId: string;
  readonly flow: string;
}

/**
 * `function`: the handler failed (threw, returned an error); `throttled`: 429 / TooManyRequests;
 * `service`: a 5xx from the Lambda service. Only the last two are retried, and only when
 * `SimulationOptions.lambdaRetries` is set.
 */
export interface LambdaInvocationError {
  readonly kind: "function" | "throttled" | "service";
  readonly message: string;
}

export type LambdaInvocationResponse =
  | { readonly result: unknown; readonly durationMs: number; readonly requestId?: string }
  | { readonly error: LambdaInvocationError; readonly durationMs: number; readonly requestId?: string };

/** Invokes a flow Lambda. A rejected promise counts as a `function` error that took no time. */
export type LambdaInvoker = (request: LambdaInvocationRequest) => MaybePromise<LambdaInvocationResponse>;

// ---------------------------------------------------------------------------------------------------
// Lex (reference §4.3; runtime facts §0-§1 for the chat time limit)

export interface LexRequest {
  /** `LexV2Bot.AliasArn` after reference resolution; for a classic `LexBot` `lex-v1:<Region>:<Name>:<Alias>`. */
  readonly aliasArn: string;
  readonly botVersion: "V2" | "V1";
  /** From `$.LanguageCode` (UpdateContactData may change it), default the contact's language. */
  readonly locale: string;
  readonly channel: ContactChannel;
  /** Lex's session id: Connect uses the contact id. */
  readonly sessionId: string;
  readonly contactId: string;
  /** The Lex session's attributes (kept across Lex blocks) merged with the block's LexSessionAttributes. */
  readonly sessionAttributes: Readonly<Record<string, string>>;
  /** The block's prompt (already sent to the customer), if any. */
  readonly prompt?: string;
  /** The customer's message; null when the customer said nothing (voice no-input). */
  readonly input: string | null;
  /** Lex's inputMode: Text on chat, Speech on voice (a voice utterance arrives as its transcription). */
  readonly inputMode: "Text" | "Speech";
  /**
   * Request attributes Connect sends: on chat `x-amz-lex:channels:platform: "Connect Chat"` (the kit's
   * flow contract, functions/shared/flow-contract.ts); none on voice.
   */
  readonly requestAttributes: Readonly<Record<string, string>>;
  /** 1 for the first customer message of this block; more when the bot keeps the dialog open. */
  readonly turnInBlock: number;
  readonly atMs: number;
  readonly actionId: string;
  readonly flow: string;
}

export interface LexMessage {
  readonly text: string;
  /**
   * Voice only: when the message is played, in ms after the call started (fulfillment progress updates:
   * "start" and "update" messages). Without it a message arrives with the response. On chat every message
   * arrives with the response (progress updates need the streaming conversation API, runtime facts §1).
   */
  readonly atMs?: number;
}

/** Lex V2 dialog actions: the block returns on `Close` (and Connect's other final states); others continue the dialog inside the block. */
export type LexDialogAction = "Close" | "ElicitSlot" | "ElicitIntent" | "ConfirmIntent" | "Delegate";

export interface LexAnswer {
  readonly intentName: string;
  readonly sessionAttributes?: Readonly<Record<string, string>>;
  readonly slots?: Readonly<Record<string, string | null>>;
  readonly messages?: readonly LexMessage[];
  /** Default `Close`. `ElicitSlot`/`ElicitIntent`/`ConfirmIntent` keep the customer in the block. */
  readonly dialogAction?: LexDialogAction;
  /** Other `$.Lex.*` values (IntentConfidence, DialogState, SentimentResponse...), merged into `$.Lex`. */
  readonly lexAttributes?: Readonly<Record<string, unknown>>;
  readonly durationMs: number;
}

export interface LexFailure {
  readonly error: string;
  readonly durationMs: number;
}

export type LexResponse = LexAnswer | LexFailure;

/** The bot. A rejected promise counts as an error that took no time. */
export type LexModel = (request: LexRequest) => MaybePromise<LexResponse>;

// ---------------------------------------------------------------------------------------------------
// Other side effects

export interface WisdomSessionRequest {
  readonly assistantArn: string;
  readonly contactId: string;
  readonly atMs: number;
}

export type WisdomSessionResponse =
  | { readonly sessionArn: string; readonly durationMs?: number }
  | { readonly error: string; readonly durationMs?: number };

export interface QueueTransferRequest {
  readonly queue: { readonly id: string; readonly kind: "queue" | "agent" };
  readonly contactId: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly hooks: Readonly<Record<string, string>>;
  readonly atMs: number;
}

export interface QueueTransferResponse {
  /** Take the QueueAtCapacity branch (reference §4.13). */
  readonly atCapacity?: boolean;
  /** Take the NoMatchingError branch. */
  readonly error?: string;
  /** When an agent accepts the contact, after the transfer (the agent UI flow starts then); default 0. */
  readonly agentConnectsAfterMs?: number;
}

export interface ShowViewRequest {
  readonly viewResource: unknown;
  /** ViewData after recursive reference resolution. */
  readonly data: unknown;
  readonly timeLimitMs: number;
  /** The condition operands the flow branches on (the view actions it expects), in order. */
  readonly expectedActions: readonly string[];
  readonly contactId: string;
  readonly actionId: string;
  readonly atMs: number;
}

export type ShowViewResponse =
  /** The agent picked `action` (`$.Views.Action`) after `afterMs`, returning `resultData` (`$.Views.ViewResultData`). */
  | { readonly action?: string; readonly resultData?: Readonly<Record<string, unknown>>; readonly afterMs?: number }
  /** The agent does nothing: TimeLimitExceeded after InvocationTimeLimitSeconds. */
  | { readonly noResponse: true }
  | { readonly error: string };

export interface CustomActionRequest {
  readonly action: FlowAction;
  /** The action's parameters after reference resolution. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly contactId: string;
  readonly channel: ContactChannel;
  readonly attributes: Readonly<Record<string, string>>;
  readonly atMs: number;
}

export interface CustomActionResponse {
  /** Evaluated against the action's conditions; without it the action takes NextAction. */
  readonly result?: unknown;
  /** Take this error branch (e.g. NoMatchingError). */
  readonly errorType?: string;
  /** Attributes to merge into `$.Attributes`. */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly durationMs?: number;
  readonly note?: string;
}

/** Executes an action type the simulator does not implement (an extension point; unknown types fail otherwise). */
export type CustomActionHandler = (request: CustomActionRequest) => MaybePromise<CustomActionResponse>;

/** Why the clock moves while no side effect runs. */
export type IdleReason = "customer-think" | "wait" | "input-timeout" | "view" | "speech" | "chat-duration";

export interface SimulatorRuntime {
  /** Flow Lambdas (InvokeLambdaFunction). Required by flows that invoke one. */
  readonly lambda?: LambdaInvoker;
  /** The Lex bot(s) (ConnectParticipantWithLexBot). Required by flows that use one. */
  readonly lex?: LexModel;
  /** CreateWisdomSession; default: a deterministic session ARN under the assistant, no delay. */
  readonly createWisdomSession?: (request: WisdomSessionRequest) => MaybePromise<WisdomSessionResponse>;
  /** TransferContactToQueue; default: accepted, an agent connects at once. */
  readonly transferToQueue?: (request: QueueTransferRequest) => MaybePromise<QueueTransferResponse>;
  /**
   * Flow lookup by ARN or id (event hooks such as DefaultAgentUI name flows). See `flowCatalog`.
   */
  readonly flows?: (reference: string) => FlowDocument | undefined;
  /** The agent in front of a ShowView; default: the first condition's operand (else NextAction), at once. */
  readonly agent?: (request: ShowViewRequest) => MaybePromise<ShowViewResponse>;
  /** Handlers for action types the simulator does not implement, by `Type`. */
  readonly customActions?: Readonly<Record<string, CustomActionHandler>>;
  /**
   * Fault injection: return an ErrorType to make an action take that branch instead of running
   * (e.g. NoMatchingError from UpdateContactAttributes).
   */
  readonly fault?: (action: FlowAction, flow: string) => string | undefined;
  /**
   * Called before the clock jumps forward while nothing runs (waits, think times, time-outs). A virtual run
   * leaves it out; an integration whose real handlers need real time to pass (e.g. an asynchronous worker
   * writing the answer the next Lambda reads) sleeps here, for the whole span or a scaled share of it.
   */
  readonly onIdle?: (fromMs: number, toMs: number, reason: IdleReason) => MaybePromise<void>;
}

export interface SimulationOptions {
  /** Actions per contact before the run stops with `step-budget`. Default 10,000. */
  readonly stepBudget?: number;
  /** Fail with `runaway-loop` when an action repeats in the same state with no time passing. Default true. */
  readonly detectRunawayLoops?: boolean;
  /**
   * MESSAGE_STREAMING on the instance: the chat Lex limit is 60 s instead of 10 s (runtime facts §0.1).
   */
  readonly messageStreaming?: boolean;
  /** Overrides the chat Lex limit (default 10,000 ms, or 60,000 ms with messageStreaming). */
  readonly lexChatTimeoutMs?: number;
  /**
   * Connect's retry of throttled and 5xx Lambda calls within the block's time limit (reference §4.4;
   * runtime facts §0.2: "up to three times"): the number of retries. Default 0 (off).
   */
  readonly lambdaRetries?: number;
  /** Maximum chat duration (reference §5: default 25 h). */
  readonly chatDurationMs?: number;
  /** Voice: how long Lex listens before it reports no input (Lex V2's default start timeout, 4 s; an assumption). */
  readonly voiceNoInputMs?: number;
  /** Connect's own time per action, added to the clock (does not count as waiting). Default 0. */
  readonly actionLatencyMs?: number | ((action: FlowAction) => number);
  /** Voice: how long a prompt takes to play. Default 0 (prompts take no time). */
  readonly speechDurationMs?: (text: string) => number;
  /**
   * Picks a turn's answer among the bot and flow messages of the turn (e.g. not an interim "one moment" or
   * a fixed re-prompt); default: the turn's last one.
   */
  readonly isAnswer?: (entry: TranscriptEntry) => boolean;
  /** Run the DefaultAgentUI flow when the contact is transferred and `runtime.flows` resolves it. Default true. */
  readonly runAgentUi?: boolean;
}

export const DEFAULTS = {
  stepBudget: 10_000,
  lexChatTimeoutMs: 10_000,
  lexChatStreamingTimeoutMs: 60_000,
  chatDurationMs: 25 * 60 * 60 * 1000,
  voiceNoInputMs: 4_000,
  languageCode: "en_US",
  instanceArn: "arn:aws:connect:eu-west-2:111122223333:instance/00000000-0000-4000-8000-000000000000",
} as const;

/**
 * A `SimulatorRuntime.flows` lookup over known flows, keyed by ARN or id. A reference matches an entry
 * with the same text, or with the same last ARN segment (`…/contact-flow/<id>` matches `<id>`).
 */
export function flowCatalog(
  flows: Readonly<Record<string, FlowDocument>>,
): (reference: string) => FlowDocument | undefined {
  const lastSegment = (value: string) => value.split("/").pop() ?? value;
  return (reference) => {
    if (Object.prototype.hasOwnProperty.call(flows, reference)) return flows[reference];
    const wanted = lastSegment(reference);
    const key = Object.keys(flows)
      .sort()
      .find((candidate) => lastSegment(candidate) === wanted);
    return key === undefined ? undefined : flows[key];
  };
}
