/**
 * What a simulated contact returns: every executed action, the transcript, the side-effect calls, the
 * outcome and per-customer-turn latency summaries. All times are virtual milliseconds since the start
 * of the (customer) contact.
 */
import type { ContactChannel } from "./flow-document";

export interface StepRecord {
  /** Order of the record among all records of the contact (steps, transcript, calls). */
  readonly seq: number;
  /** The flow's name (see `SimulatedFlow.name`). */
  readonly flow: string;
  /** When the action started. */
  readonly atMs: number;
  /** Virtual time the action took (side effects, waits, customer think time). */
  readonly durationMs: number;
  readonly actionId: string;
  readonly type: string;
  /**
   * The branch taken: `NextAction`, `Condition: Equals ContinueLooping`, `Error: NoMatchingError`,
   * `NoMatchingCondition -> NextAction`, `End` (the contact ended here) or `Failed` (the run failed here).
   */
  readonly branch: string;
  /** The action the contact goes to next (absent for the last action). */
  readonly nextAction?: string;
  /** The action's parameters after reference resolution (long texts shortened). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The result conditions were evaluated against, when the action has one. */
  readonly result?: unknown;
  /** References in the parameters that resolved to nothing. */
  readonly unresolved: readonly string[];
  /** Why an error branch was taken, or what was modelled (e.g. "lex chat timeout"). */
  readonly note?: string;
}

export type TranscriptRole =
  /** The scripted customer. */
  | "customer"
  /** Messages returned by the Lex bot (including voice progress updates). */
  | "bot"
  /** MessageParticipant texts and Lex block prompts. */
  | "flow"
  /** What the agent sees: ShowView output of the agent UI flow. */
  | "agent-view";

export interface TranscriptEntry {
  readonly seq: number;
  readonly atMs: number;
  readonly from: TranscriptRole;
  /** The text; for a view, its resource id; for SSML the raw SSML; for a prompt id `[prompt <id>]`. */
  readonly text: string;
  readonly kind: "text" | "ssml" | "prompt-id" | "media" | "progress" | "view";
  readonly flow?: string;
  readonly actionId?: string;
  /** ShowView: the resolved ViewData. */
  readonly data?: unknown;
  /** The prompt of a Lex block (said before the block listens for the customer's next message). */
  readonly prompt?: true;
}

export type LambdaCallOutcome = "ok" | "error" | "timeout" | "invalid-response";

export interface LambdaCallRecord {
  readonly seq: number;
  readonly flow: string;
  readonly actionId: string;
  readonly atMs: number;
  readonly functionArn: string;
  readonly invocationType: "SYNCHRONOUS" | "ASYNCHRONOUS";
  /** The resolved LambdaInvocationAttributes (the event's `Details.Parameters`). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly timeLimitMs: number;
  /** Virtual time the block took: the sum of the attempts, capped at the limit. */
  readonly durationMs: number;
  /** Durations the invoker reported, one per attempt. */
  readonly attemptDurationsMs: readonly number[];
  readonly outcome: LambdaCallOutcome;
  readonly result?: unknown;
  readonly error?: string;
  /** ASYNCHRONOUS: `$.LambdaInvocation.InvocationId`. */
  readonly invocationId?: string;
}

export type LexCallOutcome = "ok" | "error" | "chat-timeout";

export interface LexCallRecord {
  readonly seq: number;
  readonly flow: string;
  readonly actionId: string;
  readonly atMs: number;
  readonly aliasArn: string;
  readonly locale: string;
  readonly channel: ContactChannel;
  /** The customer's message; null when the customer said nothing (voice no-input). */
  readonly input: string | null;
  /** The session attributes sent (the Lex session merged with the block's LexSessionAttributes). */
  readonly sessionAttributes: Readonly<Record<string, string>>;
  /** What the model reported. */
  readonly reportedDurationMs: number;
  /** Virtual time the call took for the contact (capped at Connect's chat limit). */
  readonly durationMs: number;
  /** Connect's limit for this call (Infinity on voice). */
  readonly limitMs: number;
  readonly outcome: LexCallOutcome;
  readonly intentName?: string;
  readonly dialogAction?: string;
  readonly error?: string;
  /** Messages that never reached the customer (the chat limit expired first). */
  readonly droppedMessages: readonly string[];
}

export interface ViewRecord {
  readonly seq: number;
  readonly flow: string;
  readonly actionId: string;
  readonly atMs: number;
  /** `ViewResource` (Id, Version) after reference resolution. */
  readonly viewResource: unknown;
  /** `ViewData` after recursive reference resolution. */
  readonly data: unknown;
  readonly timeLimitMs: number;
  /** The action the agent took (`$.Views.Action`), or undefined on time-out or error. */
  readonly action?: string;
  readonly resultData?: Readonly<Record<string, unknown>>;
}

export type FailureCode =
  /** An action type the simulator does not implement and the runtime has no handler for. */
  | "unknown-action-type"
  /** StartAction or a NextAction names no action of the flow. */
  | "missing-action"
  /** The branch taken has no target (e.g. an error with neither its own entry nor NoMatchingError). */
  | "no-transition"
  /** The contact executed more actions than the step budget allows. */
  | "step-budget"
  /** The flow came back to the same action in the same state without waiting on the customer or time. */
  | "runaway-loop"
  /** The flow needs a side effect the runtime does not provide (e.g. no Lex model). */
  | "missing-runtime"
  /** A parameter the simulator needs to execute the action is unusable. */
  | "invalid-parameter";

export type ContactOutcome =
  | { readonly kind: "disconnected"; readonly atMs: number; readonly actionId: string }
  | { readonly kind: "flow-ended"; readonly atMs: number; readonly actionId: string }
  | { readonly kind: "customer-disconnected"; readonly atMs: number; readonly actionId: string }
  | {
      readonly kind: "transferred";
      readonly atMs: number;
      readonly actionId: string;
      /** The working queue (or agent) set by UpdateContactTargetQueue. */
      readonly queue: QueueTarget;
      /** The contact attributes at transfer. */
      readonly attributes: Readonly<Record<string, string>>;
      /** Event hook → flow id/ARN, as set by UpdateContactEventHooks. */
      readonly hooks: Readonly<Record<string, string>>;
      /** The DefaultAgentUI flow's run, when the runtime resolved it. */
      readonly agentUi?: ContactTrace;
    }
  | { readonly kind: "chat-duration-exceeded"; readonly atMs: number; readonly actionId: string }
  | {
      readonly kind: "failed";
      readonly atMs: number;
      readonly code: FailureCode;
      readonly message: string;
      readonly actionId?: string;
      /** runaway-loop: the action ids of the cycle, first to last. */
      readonly cycle?: readonly string[];
    };

export interface QueueTarget {
  /** `QueueId` or `AgentId` as resolved (an id or an ARN). */
  readonly id: string;
  readonly kind: "queue" | "agent";
}

export interface TurnSummary {
  /** 1-based. */
  readonly index: number;
  readonly text: string;
  readonly sentAtMs: number;
  /** The first bot or flow message after the customer's message. */
  readonly firstResponseAtMs?: number;
  readonly firstResponseText?: string;
  /**
   * The turn's answer: the first message `SimulationOptions.isAnswer` accepts; without it the turn's last
   * bot or flow message (the kit's flows say the answer as the next Lex block's prompt, so prompts count).
   */
  readonly answerAtMs?: number;
  readonly answerText?: string;
  /** answerAtMs - sentAtMs. */
  readonly answerLatencyMs?: number;
  readonly lambdaInvocations: number;
  readonly lexCalls: number;
}

/** Settings actions recorded for the contact (last value wins). */
export interface ContactSettings {
  readonly flowLogging?: string;
  readonly recording?: unknown;
  readonly textToSpeech?: Readonly<Record<string, unknown>>;
  /** UpdateContactData fields (LanguageCode, WisdomSessionArn, Name, ...). */
  readonly contactData: Readonly<Record<string, unknown>>;
}

export interface ContactTrace {
  readonly contactId: string;
  readonly channel: ContactChannel;
  readonly role: "customer" | "agent-ui";
  readonly flow: string;
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly steps: readonly StepRecord[];
  /** Ordered by time (ties in the order they happened). */
  readonly transcript: readonly TranscriptEntry[];
  readonly lambdaCalls: readonly LambdaCallRecord[];
  readonly lexCalls: readonly LexCallRecord[];
  readonly views: readonly ViewRecord[];
  readonly outcome: ContactOutcome;
  readonly turns: readonly TurnSummary[];
  /** Contact attributes at the end. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly hooks: Readonly<Record<string, string>>;
  readonly settings: ContactSettings;
}
