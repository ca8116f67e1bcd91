/** Actions that change the contact: attributes, event hooks, contact data, queue, recording, logging, voice. */
import type {
  EventHookName,
  RecordedParticipant,
  TargetContact,
  TextToSpeechEngine,
  TextToSpeechStyle,
  TransferContactToQueueAction,
  UpdateContactAttributesAction,
  UpdateContactDataAction,
  UpdateContactDataParameters,
  UpdateContactEventHooksAction,
  UpdateContactRecordingBehaviorAction,
  UpdateContactTargetQueueAction,
  UpdateContactTextToSpeechVoiceAction,
  UpdateFlowLoggingBehaviorAction,
} from "../actions";
import { EVENT_HOOK_NAMES } from "../actions";
import type { JsonObject } from "../wire";
import type { ActionRef } from "./action-ref";
import { type Link, transitions } from "./transitions";
import { type ActionContext, fail, oneOf, stringMap, text } from "./values";

/** UpdateContactAttributes (Set contact attributes): values become `$.Attributes.<key>`. */
export interface UpdateContactAttributesInput {
  /** At least one attribute; keys without `.`, `$`, `[` or `]`; values may embed references. */
  readonly attributes: Readonly<Record<string, string>>;
  /** @default "Current" */
  readonly targetContact?: TargetContact;
  readonly next: ActionRef;
  /** Where the flow goes when the write fails (NoMatchingError; the write is all or nothing). */
  readonly onError: ActionRef;
}

export function updateContactAttributes(id: string, input: UpdateContactAttributesInput, link: Link): UpdateContactAttributesAction {
  const context: ActionContext = { type: "UpdateContactAttributes", id };
  const attributes = stringMap(context, "attributes", input.attributes, { nonEmpty: true });
  for (const key of Object.keys(attributes)) {
    // Such keys cannot be read back as $.Attributes.<key> and were refused in third-party publish tests.
    if (/[.$[\]]/.test(key)) fail(context, `attribute key "${key}" contains . $ [ or ]; use letters, digits, - and _`);
  }
  return {
    Parameters: { Attributes: attributes, TargetContact: oneOf(context, "targetContact", input.targetContact ?? "Current", ["Current", "Related"]) },
    Identifier: id,
    Type: "UpdateContactAttributes",
    Transitions: transitions(context, link, { next: input.next, errors: [["NoMatchingError", input.onError]] }),
  };
}

/** UpdateContactEventHooks: one hook per action (the service refuses more). */
export interface UpdateContactEventHooksInput {
  /** The event, e.g. "DefaultAgentUI" (the agent's step-by-step guide) or "CustomerQueue". */
  readonly hook: EventHookName;
  /** The flow (id or ARN, a token is fine) that runs on the event. */
  readonly flowArn: string;
  readonly next: ActionRef;
  /** Where the flow goes when the hook cannot be set (NoMatchingError). */
  readonly onError: ActionRef;
}

export function updateContactEventHooks(id: string, input: UpdateContactEventHooksInput, link: Link): UpdateContactEventHooksAction {
  const context: ActionContext = { type: "UpdateContactEventHooks", id };
  const hook = oneOf(context, "hook", input.hook, EVENT_HOOK_NAMES);
  return {
    Parameters: { EventHooks: { [hook]: text(context, "flowArn", input.flowArn) } },
    Identifier: id,
    Type: "UpdateContactEventHooks",
    Transitions: transitions(context, link, { next: input.next, errors: [["NoMatchingError", input.onError]] }),
  };
}

/** UpdateContactData: contact properties; at least one field. */
export interface UpdateContactDataInput {
  /** Attaches a Q in Connect session, normally `$.Wisdom.SessionArn` right after CreateWisdomSession. @default unchanged */
  readonly wisdomSessionArn?: string;
  /** Contact language, e.g. "ja-JP". @default unchanged */
  readonly languageCode?: string;
  /** Customer id (used by Voice ID and profiles). @default unchanged */
  readonly customerId?: string;
  readonly next: ActionRef;
  /** Where the flow goes when the update fails (NoMatchingError). */
  readonly onError: ActionRef;
}

export function updateContactData(id: string, input: UpdateContactDataInput, link: Link): UpdateContactDataAction {
  const context: ActionContext = { type: "UpdateContactData", id };
  const fields: [keyof UpdateContactDataParameters, string, string | undefined][] = [
    ["WisdomSessionArn", "wisdomSessionArn", input.wisdomSessionArn],
    ["LanguageCode", "languageCode", input.languageCode],
    ["CustomerId", "customerId", input.customerId],
  ];
  const given = fields.filter(([, , value]) => value !== undefined);
  if (given.length === 0) fail(context, "sets nothing; give at least one of wisdomSessionArn, languageCode, customerId");
  return {
    Parameters: Object.fromEntries(given.map(([key, name, value]) => [key, text(context, name, value as string)])),
    Identifier: id,
    Type: "UpdateContactData",
    Transitions: transitions(context, link, { next: input.next, errors: [["NoMatchingError", input.onError]] }),
  };
}

/** UpdateContactTargetQueue (Set working queue): a queue or an agent, never both. */
export type UpdateContactTargetQueueInput = (
  | { /** Queue id or ARN (a token or one JSONPath reference is fine). */ readonly queueId: string; readonly agentId?: never }
  | { /** Agent id or ARN, for the agent's personal queue. */ readonly agentId: string; readonly queueId?: never }
) & {
  readonly next: ActionRef;
  /** Where the flow goes when the queue cannot be set (NoMatchingError). */
  readonly onError: ActionRef;
};

export function updateContactTargetQueue(id: string, input: UpdateContactTargetQueueInput, link: Link): UpdateContactTargetQueueAction {
  const context: ActionContext = { type: "UpdateContactTargetQueue", id };
  if ((input.queueId === undefined) === (input.agentId === undefined)) fail(context, "give exactly one of queueId or agentId");
  return {
    Parameters: input.queueId !== undefined ? { QueueId: text(context, "queueId", input.queueId) } : { AgentId: text(context, "agentId", input.agentId as string) },
    Identifier: id,
    Type: "UpdateContactTargetQueue",
    Transitions: transitions(context, link, { next: input.next, errors: [["NoMatchingError", input.onError]] }),
  };
}

/** TransferContactToQueue: transfers to the queue set by UpdateContactTargetQueue (no parameters). */
export interface TransferContactToQueueInput {
  /** Where the flow goes when the queue is full (QueueAtCapacity). */
  readonly onAtCapacity: ActionRef;
  /** Where the flow goes when the transfer fails (NoMatchingError; also the NextAction, as consoles write it). */
  readonly onError: ActionRef;
}

export function transferContactToQueue(id: string, input: TransferContactToQueueInput, link: Link): TransferContactToQueueAction {
  const context: ActionContext = { type: "TransferContactToQueue", id };
  return {
    Parameters: {},
    Identifier: id,
    Type: "TransferContactToQueue",
    Transitions: transitions(context, link, {
      next: input.onError,
      errors: [
        ["QueueAtCapacity", input.onAtCapacity],
        ["NoMatchingError", input.onError],
      ],
    }),
  };
}

/** UpdateFlowLoggingBehavior: flow logs for this contact (kept by later segments). Has no error branch. */
export interface UpdateFlowLoggingBehaviorInput {
  readonly enabled: boolean;
  readonly next: ActionRef;
}

export function updateFlowLoggingBehavior(id: string, input: UpdateFlowLoggingBehaviorInput, link: Link): UpdateFlowLoggingBehaviorAction {
  const context: ActionContext = { type: "UpdateFlowLoggingBehavior", id };
  if (typeof input.enabled !== "boolean") fail(context, `enabled is ${JSON.stringify(input.enabled)}; allowed: true or false`);
  return {
    Parameters: { FlowLoggingBehavior: input.enabled ? "Enabled" : "Disabled" },
    Identifier: id,
    Type: "UpdateFlowLoggingBehavior",
    Transitions: transitions(context, link, { next: input.next }),
  };
}

/** UpdateContactRecordingBehavior (Set recording and analytics behavior). Has no error branch. */
export interface UpdateContactRecordingBehaviorInput {
  /** Who is recorded; an empty list turns recording off. */
  readonly participants: readonly RecordedParticipant[];
  /**
   * Contact Lens settings as the console writes them (`AnalyticsBehavior`), e.g.
   * `{Enabled: "True", AnalyticsLanguage: "ja-JP", ...}`; needs both participants recorded.
   * @default none written: analytics unchanged
   */
  readonly analytics?: JsonObject;
  readonly next: ActionRef;
}

export function updateContactRecordingBehavior(
  id: string,
  input: UpdateContactRecordingBehaviorInput,
  link: Link,
): UpdateContactRecordingBehaviorAction {
  const context: ActionContext = { type: "UpdateContactRecordingBehavior", id };
  for (const p of input.participants) oneOf(context, "participants[]", p, ["Agent", "Customer"]);
  if (new Set(input.participants).size !== input.participants.length) fail(context, `participants lists a participant twice (${input.participants.join(", ")})`);
  if (input.analytics && input.participants.length !== 2) {
    fail(context, `analytics needs both participants recorded; participants is [${input.participants.join(", ")}]`);
  }
  return {
    Parameters: {
      RecordingBehavior: { RecordedParticipants: [...input.participants] },
      ...(input.analytics ? { AnalyticsBehavior: input.analytics } : {}),
    },
    Identifier: id,
    Type: "UpdateContactRecordingBehavior",
    Transitions: transitions(context, link, { next: input.next }),
  };
}

/** UpdateContactTextToSpeechVoice (Set voice). */
export interface UpdateContactTextToSpeechVoiceInput {
  /** Polly voice name, e.g. "Kazuha". */
  readonly voice: string;
  /** @default the instance's default engine */
  readonly engine?: TextToSpeechEngine;
  /** @default the voice's default style */
  readonly style?: TextToSpeechStyle;
  readonly next: ActionRef;
  /** Where the flow goes when the voice cannot be set (NoMatchingError). */
  readonly onError: ActionRef;
}

export function updateContactTextToSpeechVoice(
  id: string,
  input: UpdateContactTextToSpeechVoiceInput,
  link: Link,
): UpdateContactTextToSpeechVoiceAction {
  const context: ActionContext = { type: "UpdateContactTextToSpeechVoice", id };
  return {
    Parameters: {
      TextToSpeechVoice: text(context, "voice", input.voice),
      ...(input.engine ? { TextToSpeechEngine: oneOf(context, "engine", input.engine, ["standard", "neural", "long-form", "generative"]) } : {}),
      ...(input.style ? { TextToSpeechStyle: oneOf(context, "style", input.style, ["None", "Conversational", "Newscaster"]) } : {}),
    },
    Identifier: id,
    Type: "UpdateContactTextToSpeechVoice",
    Transitions: transitions(context, link, { next: input.next, errors: [["NoMatchingError", input.onError]] }),
  };
}
