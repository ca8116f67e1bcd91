/**
 * # Offline contact simulator
 *
 * Executes Amazon Connect contact flows (Flow language "2019-10-30" JSON, exactly as synthesized or
 * exported) for one contact, against pluggable side effects, on a virtual clock. Rules are cited from
 * /work/shared/reference/connect-flow-language.md ("reference §n") and runtime-facts.md.
 *
 * ```ts
 * const trace = await simulateContact({
 *   flow: chatFlowJson,                              // document, JSON text or {Content}/{ContactFlow} wrapper
 *   contact: { contactId: "c-1", channel: "CHAT", attributes: { customerName: "Ana" } },
 *   customer: [{ say: "Where is my parcel?", thinkMs: 3_000 }, { disconnect: true, thinkMs: 5_000 }],
 *   runtime: {
 *     lex: async (request) => ({ intentName: "FallbackIntent", sessionAttributes: { bridgeStatus: "PENDING" }, durationMs: 900 }),
 *     lambda: async (request) => ({ result: { status: "READY", answer: "Tomorrow." }, durationMs: 1_200 }),
 *     flows: flowCatalog({ [agentUiFlowArn]: agentUiFlow }),
 *   },
 *   options: { messageStreaming: false },
 * });
 * assertCompleted(trace);          // throws with the last steps when the run failed (unknown action, loop, budget)
 * trace.turns[0].answerLatencyMs;  // e.g. 2_100
 * ```
 *
 * ## Time: what is virtual, what would be real
 *
 * The simulator owns a virtual clock (ms since the contact started) and never reads the wall clock.
 * - Waits, think times, input time-outs, view response times and voice prompt playback **jump** the clock
 *   (before each jump `runtime.onIdle(from, to, reason)` is awaited; a virtual run leaves it out).
 * - Side effects (Lambda, Lex, Wisdom, custom actions) are awaited and **report their own duration**
 *   (`durationMs`); the clock advances by it, capped by the block's limit: a Lambda slower than
 *   InvocationTimeLimitSeconds takes the error branch at the limit; a chat Lex answer slower than 10 s
 *   (60 s with message streaming) takes the error branch at 10 s; its messages are dropped.
 * - Nothing runs concurrently with the flow in virtual time: ASYNCHRONOUS Lambda invocations are awaited
 *   for their record, but the contact does not wait for them.
 *
 * `./integration` runs an environment's synthesized flows with the kit's real handlers behind
 * `runtime.lambda` / `runtime.lex` (real timers, real network calls to dynalite and loopback servers): it
 * measures each call in scaled real time, implements `onIdle` as a scaled sleep (or a jump when no handler
 * runs), and warps the handlers' clocks by the same factor. See its index.ts for what that costs in
 * accuracy; `ContactRun.speed` records the scale of each run.
 *
 * ## Modelled
 *
 * - References (§3): the contact's system values, `$.Attributes` (dot and `['k']` forms), `$.External`
 *   (replaced wholesale by each successful synchronous Lambda), `$.Lex.IntentName|SessionAttributes|Slots`
 *   (and any other outputs the model returns), `$.Wisdom.SessionArn`, `$.Views.Action|ViewResultData`,
 *   `$.FlowAttributes`, `$.Queue.ARN`, `$.LambdaInvocation.InvocationId`. One-reference values resolve to
 *   the value, free text gets each reference replaced ("" when missing); each step lists what did not
 *   resolve.
 * - Actions: MessageParticipant, ConnectParticipantWithLexBot, InvokeLambdaFunction, Compare (8
 *   operators + KeyExists), Loop (counter per Identifier per contact, across re-entries), Wait (chat;
 *   CustomerReturned), UpdateContactAttributes (all-or-nothing, 32 KB), UpdateFlowAttributes,
 *   UpdateContactEventHooks, ShowView (agent UI flow), CreateWisdomSession, UpdateContactData,
 *   UpdateContactTargetQueue, TransferContactToQueue (QueueAtCapacity; then the DefaultAgentUI flow),
 *   DisconnectParticipant, EndFlowExecution, and the settings actions (logging, recording, text-to-speech).
 *   Other types: `runtime.customActions`, else the run fails naming the action.
 * - Branches (§2): first true condition; NoMatchingCondition → its entry, else NextAction; other errors →
 *   their entry, else NoMatchingError; a branch with no target fails the run (`no-transition`).
 * - Safety: a step budget (10,000 actions per contact) and runaway-loop detection (the same action in the
 *   same contact state twice with no customer message or time passing in between).
 *
 * ## Not modelled
 *
 * GetParticipantInput (DTMF), InvokeFlowModule, TransferToFlow, customer-queue/whisper/hold flows (hooks
 * are recorded, only DefaultAgentUI is run), Wait's Lambda-returned and BotParticipantDisconnected events
 * and "Load Lambda result", TargetContact "Related", Lex barge-in and DTMF, Connect's own per-block
 * latency (0 unless `actionLatencyMs` is set), chat messages sent while no block listens (they wait for
 * the next listener), publish-time validation (use the flow validator).
 */
export { VirtualClock } from "./clock";
export { CONDITION_OPERATORS, type ConditionOperator, evaluateCondition, isConditionOperator } from "./conditions";
export {
  type CustomerEvent,
  type CustomerScript,
  type CustomerScriptEntry,
  type CustomerStep,
  type CustomerView,
  ScriptedCustomer,
} from "./customer";
export {
  type AgentUiSimulationInput,
  type SimulatedContact,
  type SimulationInput,
  SimulationFailure,
  assertCompleted,
  simulateAgentUi,
  simulateContact,
  turnSummaries,
} from "./engine";
export {
  type CompiledFlow,
  type ContactChannel,
  type FlowAction,
  type FlowDocument,
  FlowDocumentError,
  type FlowTransitions,
  compileFlow,
  parseFlowDocument,
} from "./flow-document";
export { SIMULATED_ACTION_TYPES } from "./actions";
export { contactFlowEvent, invalidLambdaResult } from "./lambda";
export { ReferenceResolver, isReference, lookupPath, parseReference, toText } from "./references";
export {
  type ContactFlowEvent,
  type CustomActionHandler,
  type CustomActionRequest,
  type CustomActionResponse,
  DEFAULTS,
  type IdleReason,
  type LambdaInvocationError,
  type LambdaInvocationRequest,
  type LambdaInvocationResponse,
  type LambdaInvoker,
  type LexAnswer,
  type LexDialogAction,
  type LexFailure,
  type LexMessage,
  type LexModel,
  type LexRequest,
  type LexResponse,
  type QueueTransferRequest,
  type QueueTransferResponse,
  type ShowViewRequest,
  type ShowViewResponse,
  type SimulationOptions,
  type SimulatorRuntime,
  type WisdomSessionRequest,
  type WisdomSessionResponse,
  flowCatalog,
} from "./runtime";
export type {
  ContactOutcome,
  ContactSettings,
  ContactTrace,
  FailureCode,
  LambdaCallOutcome,
  LambdaCallRecord,
  LexCallOutcome,
  LexCallRecord,
  QueueTarget,
  StepRecord,
  TranscriptEntry,
  TranscriptRole,
  TurnSummary,
  ViewRecord,
} from "./trace";
