/**
 * What action handlers see of a running contact (implemented by the engine), and what they return.
 */
import type { VirtualClock } from "./clock";
import type { CustomerEvent } from "./customer";
import type { CompiledFlow, ContactChannel, FlowAction } from "./flow-document";
import type { IdleReason, SimulationOptions, SimulatorRuntime } from "./runtime";
import type {
  ContactOutcome,
  ContactTrace,
  FailureCode,
  LambdaCallRecord,
  LexCallRecord,
  QueueTarget,
  TranscriptEntry,
  ViewRecord,
} from "./trace";

/** The contact's data: what `$.…` references read and actions write. One per contact. */
export interface ContactState {
  readonly contactId: string;
  readonly initialContactId: string;
  readonly relatedContactId?: string;
  readonly channel: ContactChannel;
  readonly customerEndpoint?: { readonly address: string; readonly type: string };
  readonly instanceArn: string;
  readonly initiationMethod: string;
  languageCode: string;
  /** `$.Attributes` (reference §4.8). */
  attributes: Record<string, string>;
  /** `$.External`: the most recent successful synchronous Lambda result (reference §3). */
  external: Record<string, unknown>;
  /** `$.Lex`: IntentName, SessionAttributes, Slots and other outputs of the last Lex block. */
  lex: Record<string, unknown>;
  /** The Lex side of the conversation: session attributes per bot alias, kept across Lex blocks. */
  readonly lexSessions: Map<string, Record<string, string>>;
  /** `$.FlowAttributes` (UpdateFlowAttributes). */
  flowAttributes: Record<string, string>;
  /** `$.Views` (ShowView): Action and ViewResultData. */
  views: { Action?: string; ViewResultData: Record<string, unknown> };
  /** `$.Wisdom.SessionArn` (CreateWisdomSession). */
  wisdomSessionArn?: string;
  /** The working queue (UpdateContactTargetQueue); `$.Queue.ARN`. */
  queue?: QueueTarget;
  /** Event hook → flow (UpdateContactEventHooks). */
  readonly hooks: Record<string, string>;
  /** Loop counters by action Identifier (reference §4.6). */
  readonly loopCounters: Map<string, number>;
  /** `$.LambdaInvocation.InvocationId` of the last asynchronous Lambda. */
  lambdaInvocationId?: string;
  queued: boolean;
  settings: {
    flowLogging?: string;
    recording?: unknown;
    textToSpeech?: Record<string, unknown>;
    contactData: Record<string, unknown>;
  };
}

export type EndOutcome = Exclude<ContactOutcome, { kind: "failed" }>;

export type Branch =
  | { readonly kind: "next" }
  /** Evaluated against the action's Conditions; none true → NoMatchingCondition. */
  | { readonly kind: "result"; readonly value: unknown }
  | { readonly kind: "error"; readonly errorType: string }
  | { readonly kind: "end"; readonly outcome: EndOutcome }
  | { readonly kind: "fail"; readonly code: FailureCode; readonly message: string };

export interface ActionOutcome {
  readonly branch: Branch;
  readonly note?: string;
  /** Overrides the recorded parameters (default: all parameters, resolved). */
  readonly parameters?: Readonly<Record<string, unknown>>;
}

export type ResolvedOptions = Required<
  Pick<
    SimulationOptions,
    "stepBudget" | "detectRunawayLoops" | "lexChatTimeoutMs" | "lambdaRetries" | "chatDurationMs" | "voiceNoInputMs" | "runAgentUi"
  >
> &
  SimulationOptions;

export type TranscriptInput = Omit<TranscriptEntry, "seq" | "flow" | "atMs"> & { readonly atMs?: number };

export interface RunContext {
  readonly flow: CompiledFlow;
  readonly role: "customer" | "agent-ui";
  readonly state: ContactState;
  readonly clock: VirtualClock;
  readonly runtime: SimulatorRuntime;
  readonly options: ResolvedOptions;
  /** Absolute virtual time at which a chat ends by its maximum duration. */
  readonly chatDeadlineMs: number;
  /** Adds a transcript entry (at the current time unless `atMs` is given). */
  say(entry: TranscriptInput): void;
  /** Lets the clock jump to `toMs` while nothing runs (calls `runtime.onIdle` first). */
  idle(toMs: number, reason: IdleReason): Promise<void>;
  /** Voice: the time a prompt takes to play. */
  speak(text: string): Promise<void>;
  /** The scripted customer's next event for a listener from now until `limitMs` (absolute). */
  listen(limitMs: number | undefined): CustomerEvent;
  recordLambda(record: Omit<LambdaCallRecord, "seq" | "flow">): void;
  recordLex(record: Omit<LexCallRecord, "seq" | "flow">): void;
  recordView(record: Omit<ViewRecord, "seq" | "flow">): void;
  /** A deterministic id, unique in the contact (`<contactId>-<kind>-<n>`). */
  nextId(kind: string): string;
  /** Runs the agent UI flow found by `reference`, starting at `startAtMs`; undefined when not found. */
  runAgentUi(reference: string, startAtMs: number): Promise<ContactTrace | undefined>;
}

export type ActionHandler = (
  context: RunContext,
  action: FlowAction,
  parameters: Readonly<Record<string, unknown>>,
) => Promise<ActionOutcome> | ActionOutcome;
