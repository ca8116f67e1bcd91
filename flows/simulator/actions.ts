/**
 * Handlers for the action types the simulator executes, by `Type`. Each comment names the reference
 * section its rule comes from (connect-flow-language.md). Lex and Lambda are in lex.ts and lambda.ts.
 */
import type { ActionHandler, ActionOutcome, EndOutcome, RunContext } from "./context";
import type { FlowAction } from "./flow-document";
import { invokeLambdaFunction } from "./lambda";
import { connectParticipantWithLexBot } from "./lex";
import { toText } from "./references";

/** Contact attributes above this size fail the write (reference §5, contact record attributes ≤ 32 KB). */
const ATTRIBUTES_MAX_BYTES = 32 * 1024;
/** Wait: static positive integer ≤ 604,800 s (reference §4.7, §5). */
const WAIT_MAX_SECONDS = 604_800;
/** Loop: 0-100 (reference §4.6). */
const LOOP_MAX = 100;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** View data as the view gets it: a reference that resolved to nothing is the empty string. */
function blankMissing(value: unknown): unknown {
  if (value === undefined) return "";
  if (Array.isArray(value)) return value.map(blankMissing);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, blankMissing(item)]));
  return value;
}

const error = (errorType: string, note?: string): ActionOutcome => ({
  branch: { kind: "error", errorType },
  ...(note !== undefined ? { note } : {}),
});
const next = (note?: string): ActionOutcome => ({ branch: { kind: "next" }, ...(note !== undefined ? { note } : {}) });
const end = (context: RunContext, action: FlowAction, kind: EndOutcome["kind"]): ActionOutcome => ({
  branch: { kind: "end", outcome: { kind, atMs: context.clock.nowMs, actionId: action.Identifier } as EndOutcome },
});

/** MessageParticipant (reference §4.1, §6): Text on every channel; SSML and PromptId on voice only. */
const messageParticipant: ActionHandler = async (context, action, parameters) => {
  const chat = context.state.channel === "CHAT";
  const { Text: text, SSML: ssml, PromptId: promptId, Media: media } = parameters;
  if (chat && (ssml !== undefined || promptId !== undefined)) {
    return error("NoMatchingError", "SSML and PromptId are voice only (reference §4.1, §6)");
  }
  let spoken: string | undefined;
  if (text !== undefined) {
    spoken = toText(text);
    context.say({ from: "flow", text: spoken, kind: "text", actionId: action.Identifier });
  } else if (ssml !== undefined) {
    spoken = toText(ssml);
    context.say({ from: "flow", text: spoken, kind: "ssml", actionId: action.Identifier });
  } else if (promptId !== undefined) {
    spoken = `[prompt ${toText(promptId)}]`;
    context.say({ from: "flow", text: spoken, kind: "prompt-id", actionId: action.Identifier });
  } else if (media !== undefined) {
    context.say({ from: "flow", text: toText(isPlainObject(media) ? media.Uri : media), kind: "media", actionId: action.Identifier });
  } else {
    return next("no message to send");
  }
  if (!chat && spoken !== undefined) await context.speak(spoken);
  return next(spoken === "" ? "the message resolved to an empty text" : undefined);
};

/** Compare (reference §4.5): the result is the value of ComparisonValue (one reference, §3). */
const compare: ActionHandler = (_context, action, parameters) => {
  const raw = action.Parameters?.ComparisonValue;
  const single = typeof raw === "string" && /^\s*\$[.[]/.test(raw);
  const value = parameters.ComparisonValue;
  return {
    branch: { kind: "result", value: value === undefined ? "" : value },
    ...(single ? {} : { note: "ComparisonValue is not one reference (reference §4.5, §9.3): compared as written" }),
  };
};

/**
 * Loop (reference §4.6): the counter belongs to the action Identifier, per contact, and survives leaving
 * and re-entering the loop. Each run returns ContinueLooping `LoopCount` times, then DoneLooping once,
 * then the counter resets. With 0, DoneLooping on the first run.
 */
const loop: ActionHandler = (context, action, parameters) => {
  const count = Number(toText(parameters.LoopCount));
  if (!Number.isInteger(count) || count < 0 || count > LOOP_MAX) {
    return error("NoMatchingError", `LoopCount "${toText(parameters.LoopCount)}" is not 0-${LOOP_MAX}`);
  }
  const counters = context.state.loopCounters;
  const done = counters.get(action.Identifier) ?? 0;
  if (done < count) {
    counters.set(action.Identifier, done + 1);
    return { branch: { kind: "result", value: "ContinueLooping" }, note: `iteration ${done + 1} of ${count}` };
  }
  counters.delete(action.Identifier);
  return { branch: { kind: "result", value: "DoneLooping" }, note: `done after ${count}; counter reset` };
};

/**
 * Wait (reference §4.7, §6): chat only (voice takes the error branch, as the action page and older block
 * pages say). `TimeLimitSeconds` (exports' spelling; `TimeoutSeconds`, the doc's, is read too). Result
 * WaitCompleted after the time, or CustomerReturned when that event is listed and the customer writes
 * first (the message is used up by the Wait; BotParticipantDisconnected never fires here).
 */
const wait: ActionHandler = async (context, action, parameters) => {
  const raw = parameters.TimeLimitSeconds ?? parameters.TimeoutSeconds;
  const seconds = Number(toText(raw));
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > WAIT_MAX_SECONDS) {
    return error("NoMatchingError", `TimeLimitSeconds "${toText(raw)}" is not 1-${WAIT_MAX_SECONDS}`);
  }
  if (context.state.channel !== "CHAT") return error("NoMatchingError", "Wait is supported on chat only (reference §4.7, §6)");
  const { clock } = context;
  const waitEnd = clock.nowMs + seconds * 1000;
  const limit = Math.min(waitEnd, context.chatDeadlineMs);
  const events = Array.isArray(action.Parameters?.Events) ? (action.Parameters.Events as unknown[]) : [];
  if (events.includes("CustomerReturned")) {
    const event = context.listen(limit);
    if (event.kind === "message") {
      await context.idle(event.atMs, "wait");
      context.say({ from: "customer", text: event.text, kind: "text", atMs: event.sentAtMs, actionId: action.Identifier });
      clock.markProgress();
      return { branch: { kind: "result", value: "CustomerReturned" }, note: `customer returned after ${event.atMs - (waitEnd - seconds * 1000)} ms` };
    }
    if (event.kind === "disconnect") {
      await context.idle(event.atMs, "wait");
      return end(context, action, "customer-disconnected");
    }
  }
  await context.idle(limit, limit < waitEnd ? "chat-duration" : "wait");
  if (limit < waitEnd) return end(context, action, "chat-duration-exceeded");
  return { branch: { kind: "result", value: "WaitCompleted" } };
};

/**
 * UpdateContactAttributes (reference §4.8): values resolved; all-or-nothing (nothing is written when the
 * result would exceed 32 KB, §5). TargetContact "Related" is recorded but not modelled.
 */
const updateContactAttributes: ActionHandler = (context, _action, parameters) => {
  const values: Record<string, string> = {};
  if (isPlainObject(parameters.Attributes)) for (const [key, value] of Object.entries(parameters.Attributes)) values[key] = toText(value);
  if (toText(parameters.TargetContact) === "Related") return next("TargetContact Related: not modelled, nothing written");
  const merged = { ...context.state.attributes, ...values };
  const bytes = Buffer.byteLength(JSON.stringify(merged), "utf8");
  if (bytes > ATTRIBUTES_MAX_BYTES) return error("NoMatchingError", `attributes would be ${bytes} bytes (over 32 KB); nothing written`);
  context.state.attributes = merged;
  return next();
};

/** UpdateFlowAttributes (reference §9.3): `{FlowAttributes: {k: {Type, Value}}}` → `$.FlowAttributes.k`. */
const updateFlowAttributes: ActionHandler = (context, _action, parameters) => {
  if (!isPlainObject(parameters.FlowAttributes)) return error("NoMatchingError", "no FlowAttributes");
  for (const [key, value] of Object.entries(parameters.FlowAttributes)) {
    context.state.flowAttributes[key] = toText(isPlainObject(value) ? value.Value : value);
  }
  return next();
};

/** UpdateContactEventHooks (reference §4.9): records hook → flow id/ARN (DefaultAgentUI, CustomerQueue...). */
const updateContactEventHooks: ActionHandler = (context, _action, parameters) => {
  const hooks = isPlainObject(parameters.EventHooks) ? Object.entries(parameters.EventHooks) : [];
  if (hooks.length === 0) return error("NoMatchingError", "no EventHooks entry");
  const empty = hooks.find(([, flow]) => toText(flow) === "");
  if (empty) return error("NoMatchingError", `event hook ${empty[0]} resolved to an empty flow`);
  for (const [hook, flow] of hooks) context.state.hooks[hook] = toText(flow);
  return next();
};

/**
 * ShowView (reference §4.10): runs in the agent UI flow only (the flow the DefaultAgentUI hook names).
 * Records the view and its resolved data; the result is the agent's action (runtime.agent; default the
 * first condition's operand, else NextAction); TimeLimitExceeded when the agent does nothing within
 * InvocationTimeLimitSeconds. `$.Views.Action` and `$.Views.ViewResultData` hold what the view returned.
 */
const showView: ActionHandler = async (context, action, parameters) => {
  if (context.role !== "agent-ui") return error("NoMatchingError", "ShowView runs only in the agent UI flow (DefaultAgentUI)");
  const seconds = Number(toText(parameters.InvocationTimeLimitSeconds));
  if (!Number.isFinite(seconds) || seconds <= 0) {
    return error("NoMatchingError", `InvocationTimeLimitSeconds "${toText(parameters.InvocationTimeLimitSeconds)}" is not a positive number`);
  }
  const timeLimitMs = seconds * 1000;
  const { clock, state } = context;
  const startMs = clock.nowMs;
  const viewResource = parameters.ViewResource;
  const data = blankMissing(parameters.ViewData ?? {});
  const viewId = isPlainObject(viewResource) ? toText(viewResource.Id) : toText(viewResource);
  const expectedActions = (action.Transitions?.Conditions ?? []).map((condition) => toText(condition.Condition.Operands[0]));
  context.say({ from: "agent-view", text: viewId, kind: "view", data, actionId: action.Identifier });
  const response = context.runtime.agent
    ? await context.runtime.agent({ viewResource, data, timeLimitMs, expectedActions, contactId: state.contactId, actionId: action.Identifier, atMs: startMs })
    : expectedActions.length > 0
      ? { action: expectedActions[0] }
      : {};
  const record = { actionId: action.Identifier, atMs: startMs, viewResource, data, timeLimitMs };
  if ("noResponse" in response || ("afterMs" in response && (response.afterMs ?? 0) > timeLimitMs)) {
    await context.idle(startMs + timeLimitMs, "view");
    context.recordView(record);
    return error("TimeLimitExceeded", `the agent did not respond within ${seconds} s`);
  }
  if ("error" in response) {
    context.recordView(record);
    return error("NoMatchingError", `view error: ${response.error}`);
  }
  await context.idle(startMs + (response.afterMs ?? 0), "view");
  state.views = { ViewResultData: { ...(response.resultData ?? {}) }, ...(response.action !== undefined ? { Action: response.action } : {}) };
  context.recordView({ ...record, ...(response.action !== undefined ? { action: response.action } : {}), resultData: state.views.ViewResultData });
  return response.action === undefined ? next("no view action: NextAction") : { branch: { kind: "result", value: response.action } };
};

/** CreateWisdomSession (reference §4.11): `$.Wisdom.SessionArn` from the runtime (default: a deterministic ARN). */
const createWisdomSession: ActionHandler = async (context, _action, parameters) => {
  const assistantArn = toText(parameters.WisdomAssistantArn);
  if (assistantArn === "") return error("NoMatchingError", "no WisdomAssistantArn (unresolved reference?)");
  const { clock, state } = context;
  const response = context.runtime.createWisdomSession
    ? await context.runtime.createWisdomSession({ assistantArn, contactId: state.contactId, atMs: clock.nowMs })
    : { sessionArn: `${assistantArn.replace(":assistant/", ":session/")}/${context.nextId("session")}` };
  clock.advanceBy(response.durationMs ?? 0);
  if ("error" in response) return error("NoMatchingError", `wisdom: ${response.error}`);
  state.wisdomSessionArn = response.sessionArn;
  return next();
};

/**
 * UpdateContactData (reference §4.11, §9.3): records the fields; LanguageCode becomes `$.LanguageCode`
 * (and the Lex locale). A field that resolves to nothing takes the error branch.
 */
const updateContactData: ActionHandler = (context, action, parameters) => {
  const fields = Object.entries(parameters).filter(([key]) => key !== "TargetContact");
  if (fields.length === 0) return error("NoMatchingError", "no field to update (reference §9.3)");
  const missing = fields.find(([key, value]) => value === undefined && action.Parameters?.[key] !== undefined);
  if (missing) return error("NoMatchingError", `${missing[0]} resolved to nothing`);
  for (const [key, value] of fields) context.state.settings.contactData[key] = value;
  if (parameters.LanguageCode !== undefined) context.state.languageCode = toText(parameters.LanguageCode);
  return next();
};

/** UpdateContactTargetQueue (reference §4.12): QueueId or AgentId, never both. */
const updateContactTargetQueue: ActionHandler = (context, _action, parameters) => {
  const hasQueue = parameters.QueueId !== undefined;
  const hasAgent = parameters.AgentId !== undefined;
  if (hasQueue === hasAgent) return error("NoMatchingError", "exactly one of QueueId and AgentId is needed");
  const id = toText(hasQueue ? parameters.QueueId : parameters.AgentId);
  if (id === "") return error("NoMatchingError", "the queue resolved to nothing");
  context.state.queue = { id, kind: hasQueue ? "queue" : "agent" };
  return next();
};

/**
 * TransferContactToQueue (reference §4.13): needs the working queue; QueueAtCapacity when the runtime says
 * so; fails when the contact is already queued. Ends the flow: the contact is queued with its attributes
 * and hooks; the DefaultAgentUI flow runs when the agent gets it (if the runtime can find it).
 */
const transferContactToQueue: ActionHandler = async (context, action) => {
  const { state, clock } = context;
  if (!state.queue) return error("NoMatchingError", "no working queue (UpdateContactTargetQueue) was set");
  if (state.queued) return error("NoMatchingError", "the contact is already queued");
  const response = context.runtime.transferToQueue
    ? await context.runtime.transferToQueue({
        queue: state.queue,
        contactId: state.contactId,
        attributes: { ...state.attributes },
        hooks: { ...state.hooks },
        atMs: clock.nowMs,
      })
    : {};
  if (response.atCapacity) return error("QueueAtCapacity", "the queue is at capacity");
  if (response.error !== undefined) return error("NoMatchingError", `transfer: ${response.error}`);
  state.queued = true;
  const atMs = clock.nowMs;
  const agentUiFlow = state.hooks.DefaultAgentUI;
  let agentUi;
  let note: string | undefined;
  if (agentUiFlow !== undefined && context.options.runAgentUi) {
    agentUi = await context.runAgentUi(agentUiFlow, atMs + Math.max(0, response.agentConnectsAfterMs ?? 0));
    if (!agentUi) note = `DefaultAgentUI flow ${agentUiFlow} not found by runtime.flows`;
  }
  return {
    branch: {
      kind: "end",
      outcome: {
        kind: "transferred",
        atMs,
        actionId: action.Identifier,
        queue: state.queue,
        attributes: { ...state.attributes },
        hooks: { ...state.hooks },
        ...(agentUi ? { agentUi } : {}),
      },
    },
    ...(note !== undefined ? { note } : {}),
  };
};

/** Settings actions (reference §4.15, §4.16, §9.3): recorded, no other effect. */
const recordSetting =
  (apply: (context: RunContext, parameters: Readonly<Record<string, unknown>>) => void): ActionHandler =>
  (context, _action, parameters) => {
    apply(context, parameters);
    return next();
  };

export const ACTION_HANDLERS: Readonly<Record<string, ActionHandler>> = {
  MessageParticipant: messageParticipant,
  ConnectParticipantWithLexBot: connectParticipantWithLexBot,
  InvokeLambdaFunction: invokeLambdaFunction,
  Compare: compare,
  Loop: loop,
  Wait: wait,
  UpdateContactAttributes: updateContactAttributes,
  UpdateFlowAttributes: updateFlowAttributes,
  UpdateContactEventHooks: updateContactEventHooks,
  ShowView: showView,
  CreateWisdomSession: createWisdomSession,
  UpdateContactData: updateContactData,
  UpdateContactTargetQueue: updateContactTargetQueue,
  TransferContactToQueue: transferContactToQueue,
  // Terminal actions (reference §4.14; §9.2 for EndFlowExecution).
  DisconnectParticipant: (context, action) => end(context, action, "disconnected"),
  EndFlowExecution: (context, action) => end(context, action, "flow-ended"),
  UpdateFlowLoggingBehavior: recordSetting((context, parameters) => {
    context.state.settings.flowLogging = toText(parameters.FlowLoggingBehavior);
  }),
  UpdateContactRecordingBehavior: recordSetting((context, parameters) => {
    context.state.settings.recording = parameters;
  }),
  UpdateContactRecordingAndAnalyticsBehavior: recordSetting((context, parameters) => {
    context.state.settings.recording = parameters;
  }),
  UpdateContactTextToSpeechVoice: recordSetting((context, parameters) => {
    context.state.settings.textToSpeech = { ...parameters };
  }),
};

/** Action types the simulator executes itself. */
export const SIMULATED_ACTION_TYPES: readonly string[] = Object.keys(ACTION_HANDLERS).sort();
