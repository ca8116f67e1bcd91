/**
 * The interpreter: runs one contact through a flow, action by action, on a virtual clock, and builds its
 * trace. See index.ts for the overview.
 */
import { ACTION_HANDLERS } from "./actions";
import { VirtualClock } from "./clock";
import { evaluateCondition } from "./conditions";
import type { ActionOutcome, Branch, ContactState, ResolvedOptions, RunContext, TranscriptInput } from "./context";
import {
  type CustomerEvent,
  type CustomerScript,
  type CustomerScriptEntry,
  type CustomerView,
  ScriptedCustomer,
  toCustomerScript,
} from "./customer";
import { type CompiledFlow, type ContactChannel, type FlowAction, type FlowDocument, compileFlow, parseFlowDocument } from "./flow-document";
import { ReferenceResolver, toText } from "./references";
import { DEFAULTS, type IdleReason, type SimulationOptions, type SimulatorRuntime } from "./runtime";
import type {
  ContactOutcome,
  ContactTrace,
  LambdaCallRecord,
  LexCallRecord,
  StepRecord,
  TranscriptEntry,
  TurnSummary,
  ViewRecord,
} from "./trace";

/** The contact a simulation starts with. */
export interface SimulatedContact {
  readonly contactId: string;
  /** Default: contactId. */
  readonly initialContactId?: string;
  readonly channel: ContactChannel;
  /** `$.CustomerEndpoint.Address` (a phone number on voice); the type defaults to TELEPHONE_NUMBER. */
  readonly customerEndpoint?: string | { readonly address: string; readonly type?: string };
  /** Contact attributes at the start (e.g. StartChatContact's attributes). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** `$.LanguageCode` and the Lex locale until UpdateContactData changes it. Default en_US. */
  readonly languageCode?: string;
  readonly instanceArn?: string;
  /** Default API on chat, INBOUND on voice. */
  readonly initiationMethod?: string;
}

export interface SimulationInput {
  /** A flow document, its JSON text, or a `{Content}` / `{ContactFlow}` wrapper. */
  readonly flow: FlowDocument | string | unknown;
  /** A name for the trace (e.g. the flow's ARN). Default "main". */
  readonly flowName?: string;
  readonly contact: SimulatedContact;
  readonly customer?: CustomerScript | readonly CustomerScriptEntry[];
  readonly runtime?: SimulatorRuntime;
  readonly options?: SimulationOptions;
}

export interface AgentUiSimulationInput {
  /** The agent UI flow (what the DefaultAgentUI hook names). */
  readonly flow: FlowDocument | string | unknown;
  readonly flowName?: string;
  /** The customer contact the agent got; its attributes (or `attributes`) are what the view flow reads. */
  readonly contact: SimulatedContact;
  /** The customer contact's attributes at transfer (default: contact.attributes). */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly runtime?: SimulatorRuntime;
  readonly options?: SimulationOptions;
  /** When the agent got the contact (virtual ms of the customer contact). Default 0. */
  readonly startAtMs?: number;
}

function resolveOptions(options: SimulationOptions = {}): ResolvedOptions {
  return {
    ...options,
    stepBudget: options.stepBudget ?? DEFAULTS.stepBudget,
    detectRunawayLoops: options.detectRunawayLoops ?? true,
    lexChatTimeoutMs:
      options.lexChatTimeoutMs ?? (options.messageStreaming ? DEFAULTS.lexChatStreamingTimeoutMs : DEFAULTS.lexChatTimeoutMs),
    lambdaRetries: Math.max(0, Math.floor(options.lambdaRetries ?? 0)),
    chatDurationMs: options.chatDurationMs ?? DEFAULTS.chatDurationMs,
    voiceNoInputMs: options.voiceNoInputMs ?? DEFAULTS.voiceNoInputMs,
    runAgentUi: options.runAgentUi ?? true,
  };
}

function initialState(contact: SimulatedContact, extra: { relatedContactId?: string } = {}): ContactState {
  const endpoint =
    contact.customerEndpoint === undefined
      ? undefined
      : typeof contact.customerEndpoint === "string"
        ? { address: contact.customerEndpoint, type: "TELEPHONE_NUMBER" }
        : { address: contact.customerEndpoint.address, type: contact.customerEndpoint.type ?? "TELEPHONE_NUMBER" };
  return {
    contactId: contact.contactId,
    initialContactId: contact.initialContactId ?? contact.contactId,
    ...(extra.relatedContactId !== undefined ? { relatedContactId: extra.relatedContactId } : {}),
    channel: contact.channel,
    ...(endpoint ? { customerEndpoint: endpoint } : {}),
    instanceArn: contact.instanceArn ?? DEFAULTS.instanceArn,
    initiationMethod: contact.initiationMethod ?? (contact.channel === "CHAT" ? "API" : "INBOUND"),
    languageCode: contact.languageCode ?? DEFAULTS.languageCode,
    attributes: { ...(contact.attributes ?? {}) },
    external: {},
    lex: {},
    lexSessions: new Map(),
    flowAttributes: {},
    views: { ViewResultData: {} },
    hooks: {},
    loopCounters: new Map(),
    queued: false,
    settings: { contactData: {} },
  };
}

/** The object `$` stands for. Absent values are left out, so references to them are reported unresolved. */
function referenceRoot(state: ContactState): Record<string, unknown> {
  const region = state.instanceArn.split(":")[3];
  const lastSegment = (value: string) => value.split("/").pop() ?? value;
  return {
    ContactId: state.contactId,
    InitialContactId: state.initialContactId,
    PreviousContactId: state.initialContactId,
    ...(state.relatedContactId !== undefined ? { RelatedContactId: state.relatedContactId } : {}),
    Channel: state.channel,
    LanguageCode: state.languageCode,
    InstanceARN: state.instanceArn,
    ...(region ? { AwsRegion: region } : {}),
    InitiationMethod: state.initiationMethod,
    ...(state.customerEndpoint ? { CustomerEndpoint: { Address: state.customerEndpoint.address, Type: state.customerEndpoint.type } } : {}),
    Attributes: state.attributes,
    External: state.external,
    Lex: state.lex,
    FlowAttributes: state.flowAttributes,
    Views: state.views,
    Wisdom: state.wisdomSessionArn !== undefined ? { SessionArn: state.wisdomSessionArn } : {},
    Queue: state.queue ? { ARN: state.queue.id, Id: lastSegment(state.queue.id) } : {},
    LambdaInvocation: state.lambdaInvocationId !== undefined ? { InvocationId: state.lambdaInvocationId } : {},
    ...(state.settings.textToSpeech?.TextToSpeechVoice !== undefined
      ? { TextToSpeechVoiceId: state.settings.textToSpeech.TextToSpeechVoice }
      : {}),
  };
}

/** Everything an action can read or change: equal fingerprints at the same action mean the same future. */
function fingerprint(flow: string, actionId: string, state: ContactState): string {
  return JSON.stringify([
    flow,
    actionId,
    state.attributes,
    state.external,
    state.lex,
    [...state.lexSessions.entries()].sort(),
    state.flowAttributes,
    state.views,
    state.wisdomSessionArn ?? null,
    state.queue ?? null,
    state.hooks,
    [...state.loopCounters.entries()].sort(),
    state.lambdaInvocationId ?? null,
    state.languageCode,
    state.queued,
    state.settings,
  ]);
}

const SUMMARY_TEXT_MAX = 200;

function summarize(value: unknown): unknown {
  if (typeof value === "string") return value.length > SUMMARY_TEXT_MAX ? `${value.slice(0, SUMMARY_TEXT_MAX)}…` : value;
  if (Array.isArray(value)) return value.map(summarize);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, summarize(item)]));
  }
  return value;
}

interface Transition {
  readonly label: string;
  readonly next?: string;
  readonly failure?: string;
}

/** Picks the transition for a branch (reference §2, Transitions and common error types). */
function transition(action: FlowAction, branch: Branch, resolver: ReferenceResolver): Transition {
  const transitions = action.Transitions ?? {};
  const byError = (errorType: string): Transition => {
    const own = transitions.Errors?.find((entry) => entry.ErrorType === errorType);
    if (own) return { label: `Error: ${errorType}`, next: own.NextAction };
    if (errorType === "NoMatchingCondition") {
      // NextAction runs "when no error and no condition is chosen" (reference §2).
      if (transitions.NextAction !== undefined) return { label: "NoMatchingCondition -> NextAction", next: transitions.NextAction };
    } else if (errorType !== "NoMatchingError") {
      // NoMatchingError: "an error happened and no other error entry matched" (reference §2).
      const fallback = transitions.Errors?.find((entry) => entry.ErrorType === "NoMatchingError");
      if (fallback) return { label: `Error: NoMatchingError (for ${errorType})`, next: fallback.NextAction };
    }
    return { label: `Error: ${errorType}`, failure: `${action.Type} "${action.Identifier}" took the ${errorType} branch, which has no transition` };
  };
  switch (branch.kind) {
    case "next":
      return transitions.NextAction !== undefined
        ? { label: "NextAction", next: transitions.NextAction }
        : { label: "NextAction", failure: `${action.Type} "${action.Identifier}" has no NextAction` };
    case "result":
      for (const entry of transitions.Conditions ?? []) {
        const operand = resolver.value(entry.Condition.Operands?.[0]);
        let matched: boolean;
        try {
          matched = evaluateCondition(branch.value, entry.Condition.Operator, operand);
        } catch (error) {
          return { label: "Condition", failure: `${action.Type} "${action.Identifier}": ${(error as Error).message}` };
        }
        if (matched) return { label: `Condition: ${entry.Condition.Operator} ${toText(operand)}`, next: entry.NextAction };
      }
      return byError("NoMatchingCondition");
    case "error":
      return byError(branch.errorType);
    case "end":
      return { label: "End" };
    case "fail":
      return { label: "Failed" };
  }
}

class ContactRun implements RunContext {
  readonly clock: VirtualClock;
  readonly chatDeadlineMs: number;
  private seq = 0;
  private ids = new Map<string, number>();
  private readonly customer: ScriptedCustomer;
  private readonly steps: StepRecord[] = [];
  private readonly transcript: TranscriptEntry[] = [];
  private readonly lambdaCalls: LambdaCallRecord[] = [];
  private readonly lexCalls: LexCallRecord[] = [];
  private readonly views: ViewRecord[] = [];
  private readonly startedAtMs: number;

  constructor(
    readonly flow: CompiledFlow,
    readonly role: "customer" | "agent-ui",
    readonly state: ContactState,
    readonly runtime: SimulatorRuntime,
    readonly options: ResolvedOptions,
    customer: CustomerScript,
    startAtMs: number,
  ) {
    this.clock = new VirtualClock(startAtMs);
    this.startedAtMs = startAtMs;
    this.chatDeadlineMs = startAtMs + options.chatDurationMs;
    this.customer = new ScriptedCustomer(customer);
  }

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  say(entry: TranscriptInput): void {
    this.transcript.push({ ...entry, seq: this.nextSeq(), atMs: entry.atMs ?? this.clock.nowMs, flow: this.flow.name });
  }

  async idle(toMs: number, reason: IdleReason): Promise<void> {
    if (toMs <= this.clock.nowMs) return;
    await this.runtime.onIdle?.(this.clock.nowMs, toMs, reason);
    this.clock.advanceTo(toMs);
  }

  async speak(text: string): Promise<void> {
    const ms = this.options.speechDurationMs?.(text) ?? 0;
    if (ms > 0) await this.idle(this.clock.nowMs + ms, "speech");
  }

  private customerView(): CustomerView {
    return { nowMs: this.clock.nowMs, transcript: sortTranscript(this.transcript), messagesSent: this.customer.messagesSent };
  }

  listen(limitMs: number | undefined): CustomerEvent {
    return this.customer.listen(this.clock.nowMs, limitMs, () => this.customerView());
  }

  recordLambda(record: Omit<LambdaCallRecord, "seq" | "flow">): void {
    this.lambdaCalls.push({ ...record, seq: this.nextSeq(), flow: this.flow.name });
  }

  recordLex(record: Omit<LexCallRecord, "seq" | "flow">): void {
    this.lexCalls.push({ ...record, seq: this.nextSeq(), flow: this.flow.name });
  }

  recordView(record: Omit<ViewRecord, "seq" | "flow">): void {
    this.views.push({ ...record, seq: this.nextSeq(), flow: this.flow.name });
  }

  nextId(kind: string): string {
    const n = (this.ids.get(kind) ?? 0) + 1;
    this.ids.set(kind, n);
    return `${this.state.contactId}-${kind}-${n}`;
  }

  async runAgentUi(reference: string, startAtMs: number): Promise<ContactTrace | undefined> {
    const document = this.runtime.flows?.(reference);
    if (!document) return undefined;
    const trace = await simulateAgentUiContact({
      flow: document,
      flowName: reference,
      parent: this.state,
      runtime: this.runtime,
      options: this.options,
      startAtMs,
    });
    // What the agent sees belongs to the customer contact's transcript too.
    for (const entry of trace.transcript) {
      if (entry.from === "agent-view") {
        const { seq: _seq, ...rest } = entry;
        this.transcript.push({ ...rest, seq: this.nextSeq() });
      }
    }
    return trace;
  }

  private async execute(action: FlowAction, parameters: Readonly<Record<string, unknown>>): Promise<ActionOutcome> {
    const fault = this.runtime.fault?.(action, this.flow.name);
    if (fault !== undefined) return { branch: { kind: "error", errorType: fault }, note: "fault injected by the runtime" };
    const handler = ACTION_HANDLERS[action.Type];
    if (handler) return handler(this, action, parameters);
    const custom = this.runtime.customActions?.[action.Type];
    if (!custom) {
      return {
        branch: {
          kind: "fail",
          code: "unknown-action-type",
          message: `action "${action.Identifier}" has type ${action.Type}, which the simulator does not execute (add runtime.customActions.${action.Type})`,
        },
      };
    }
    const response = await custom({
      action,
      parameters,
      contactId: this.state.contactId,
      channel: this.state.channel,
      attributes: { ...this.state.attributes },
      atMs: this.clock.nowMs,
    });
    this.clock.advanceBy(response.durationMs ?? 0);
    if (response.attributes) Object.assign(this.state.attributes, response.attributes);
    const note = response.note ?? `custom action ${action.Type}`;
    if (response.errorType !== undefined) return { branch: { kind: "error", errorType: response.errorType }, note };
    if (response.result !== undefined) return { branch: { kind: "result", value: response.result }, note };
    return { branch: { kind: "next" }, note };
  }

  private actionLatency(action: FlowAction): number {
    const latency = this.options.actionLatencyMs;
    return typeof latency === "function" ? latency(action) : (latency ?? 0);
  }

  async run(): Promise<ContactTrace> {
    let actionId: string = this.flow.document.StartAction;
    let executed = 0;
    const seen = new Map<string, number>();
    let sinceProgress: string[] = [];
    let progressMark = this.clock.progress;
    const fail = (code: Extract<ContactOutcome, { kind: "failed" }>["code"], message: string, extra: { actionId?: string; cycle?: string[] } = {}) =>
      this.finish({ kind: "failed", atMs: this.clock.nowMs, code, message, ...extra });

    for (;;) {
      const action = this.flow.actions.get(actionId);
      if (!action) return fail("missing-action", `flow ${this.flow.name}: no action "${actionId}"`, { actionId });
      if (executed >= this.options.stepBudget) {
        return fail("step-budget", `the contact executed ${executed} actions (step budget ${this.options.stepBudget}) without ending`, { actionId });
      }
      if (this.options.detectRunawayLoops) {
        if (this.clock.progress !== progressMark) {
          seen.clear();
          sinceProgress = [];
          progressMark = this.clock.progress;
        }
        const key = fingerprint(this.flow.name, actionId, this.state);
        const first = seen.get(key);
        if (first !== undefined) {
          const cycle = [...sinceProgress.slice(first), actionId];
          return fail(
            "runaway-loop",
            `the flow loops without waiting on the customer or time: ${cycle.join(" -> ")} (same state, no time passed)`,
            { actionId, cycle },
          );
        }
        seen.set(key, sinceProgress.length);
        sinceProgress.push(actionId);
      }
      executed += 1;

      const seq = this.nextSeq();
      const atMs = this.clock.nowMs;
      this.clock.advanceBy(this.actionLatency(action), false);
      const resolver = new ReferenceResolver(referenceRoot(this.state));
      const parameters = (resolver.value(action.Parameters ?? {}) ?? {}) as Record<string, unknown>;
      const outcome = await this.execute(action, parameters);
      const result = outcome.branch.kind === "result" ? outcome.branch.value : undefined;
      const chosen = transition(action, outcome.branch, resolver);
      this.steps.push({
        seq,
        flow: this.flow.name,
        atMs,
        durationMs: this.clock.nowMs - atMs,
        actionId,
        type: action.Type,
        branch: chosen.label,
        ...(chosen.next !== undefined ? { nextAction: chosen.next } : {}),
        parameters: summarize(outcome.parameters ?? parameters) as Record<string, unknown>,
        ...(outcome.branch.kind === "result" ? { result } : {}),
        unresolved: [...resolver.unresolved],
        ...(outcome.note !== undefined ? { note: outcome.note } : {}),
      });
      if (outcome.branch.kind === "end") return this.finish(outcome.branch.outcome);
      if (outcome.branch.kind === "fail") return fail(outcome.branch.code, outcome.branch.message, { actionId });
      if (chosen.failure !== undefined || chosen.next === undefined) {
        return fail("no-transition", chosen.failure ?? `${action.Type} "${actionId}" has no next action`, { actionId });
      }
      actionId = chosen.next;
    }
  }

  private finish(outcome: ContactOutcome): ContactTrace {
    const transcript = sortTranscript(this.transcript);
    return {
      contactId: this.state.contactId,
      channel: this.state.channel,
      role: this.role,
      flow: this.flow.name,
      startedAtMs: this.startedAtMs,
      endedAtMs: this.clock.nowMs,
      steps: this.steps,
      transcript,
      lambdaCalls: this.lambdaCalls,
      lexCalls: this.lexCalls,
      views: this.views,
      outcome,
      turns: turnSummaries(transcript, this.lambdaCalls, this.lexCalls, this.options.isAnswer),
      attributes: { ...this.state.attributes },
      hooks: { ...this.state.hooks },
      settings: {
        ...(this.state.settings.flowLogging !== undefined ? { flowLogging: this.state.settings.flowLogging } : {}),
        ...(this.state.settings.recording !== undefined ? { recording: this.state.settings.recording } : {}),
        ...(this.state.settings.textToSpeech !== undefined ? { textToSpeech: this.state.settings.textToSpeech } : {}),
        contactData: { ...this.state.settings.contactData },
      },
    };
  }
}

function sortTranscript(entries: readonly TranscriptEntry[]): TranscriptEntry[] {
  return [...entries].sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
}

/**
 * One summary per customer message: the records that happened between it and the customer's next
 * message (by order of happening), their times and the Lambda and Lex calls among them.
 */
export function turnSummaries(
  transcript: readonly TranscriptEntry[],
  lambdaCalls: readonly LambdaCallRecord[],
  lexCalls: readonly LexCallRecord[],
  isAnswer?: (entry: TranscriptEntry) => boolean,
): TurnSummary[] {
  const customer = transcript.filter((entry) => entry.from === "customer").sort((a, b) => a.seq - b.seq);
  return customer.map((message, index) => {
    const from = message.seq;
    const to = customer[index + 1]?.seq ?? Number.POSITIVE_INFINITY;
    const inTurn = (seq: number) => seq > from && seq < to;
    const responses = transcript
      .filter((entry) => inTurn(entry.seq) && (entry.from === "bot" || entry.from === "flow"))
      .sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    const first = responses[0];
    const answer = isAnswer ? responses.find(isAnswer) : responses[responses.length - 1];
    return {
      index: index + 1,
      text: message.text,
      sentAtMs: message.atMs,
      ...(first ? { firstResponseAtMs: first.atMs, firstResponseText: first.text } : {}),
      ...(answer ? { answerAtMs: answer.atMs, answerText: answer.text, answerLatencyMs: answer.atMs - message.atMs } : {}),
      lambdaInvocations: lambdaCalls.filter((call) => inTurn(call.seq)).length,
      lexCalls: lexCalls.filter((call) => inTurn(call.seq)).length,
    };
  });
}

/**
 * Runs a customer contact through a flow. Never throws for flow problems: an unknown action type, a
 * missing action, the step budget or a runaway loop end the run with a `failed` outcome (see
 * `assertCompleted`).
 * @throws FlowDocumentError when the flow is not a document the simulator can read
 */
export async function simulateContact(input: SimulationInput): Promise<ContactTrace> {
  const name = input.flowName ?? "main";
  const flow = compileFlow(parseFlowDocument(input.flow), name);
  const run = new ContactRun(
    flow,
    "customer",
    initialState(input.contact),
    input.runtime ?? {},
    resolveOptions(input.options),
    toCustomerScript(input.customer),
    0,
  );
  return run.run();
}

/**
 * Runs the agent UI flow (the DefaultAgentUI hook's flow) for a contact an agent got: a chat contact of
 * its own (reference §4.10) whose contact attributes are the customer contact's. Its ShowView actions
 * are what the agent sees.
 */
export async function simulateAgentUi(input: AgentUiSimulationInput): Promise<ContactTrace> {
  const parent = initialState({ ...input.contact, attributes: input.attributes ?? input.contact.attributes ?? {} });
  return simulateAgentUiContact({
    flow: input.flow,
    flowName: input.flowName ?? "agent-ui",
    parent,
    runtime: input.runtime ?? {},
    options: resolveOptions(input.options),
    startAtMs: input.startAtMs ?? 0,
  });
}

async function simulateAgentUiContact(input: {
  flow: unknown;
  flowName: string;
  parent: ContactState;
  runtime: SimulatorRuntime;
  options: ResolvedOptions;
  startAtMs: number;
}): Promise<ContactTrace> {
  const { parent } = input;
  const flow = compileFlow(parseFlowDocument(input.flow), input.flowName);
  const state = initialState(
    {
      contactId: `${parent.contactId}-agent-ui`,
      initialContactId: parent.initialContactId,
      channel: "CHAT",
      attributes: parent.attributes,
      languageCode: parent.languageCode,
      instanceArn: parent.instanceArn,
      initiationMethod: "API",
    },
    { relatedContactId: parent.contactId },
  );
  // The agent UI contact has no customer: its Waits run to their time limit.
  const run = new ContactRun(flow, "agent-ui", state, input.runtime, input.options, { steps: [], whenScriptEnds: "stay-silent" }, input.startAtMs);
  return run.run();
}

/** The run ended by a flow problem (unknown action, step budget, runaway loop...): an error naming it. */
export class SimulationFailure extends Error {
  constructor(readonly trace: ContactTrace) {
    const outcome = trace.outcome;
    const last = trace.steps
      .slice(-5)
      .map((step) => `  ${step.atMs} ms ${step.type} "${step.actionId}" ${step.branch}`)
      .join("\n");
    super(`${outcome.kind === "failed" ? `${outcome.code}: ${outcome.message}` : outcome.kind}\nlast steps:\n${last}`);
    this.name = "SimulationFailure";
  }
}

/** Throws SimulationFailure when the run failed; returns the trace otherwise. */
export function assertCompleted(trace: ContactTrace): ContactTrace {
  if (trace.outcome.kind === "failed") throw new SimulationFailure(trace);
  return trace;
}
