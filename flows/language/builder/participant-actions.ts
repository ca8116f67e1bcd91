/** Actions the participant experiences: messages, DTMF and Lex input, agent views, disconnecting. */
import type {
  ConnectParticipantWithLexBotAction,
  ConnectParticipantWithLexBotParameters,
  DisconnectParticipantAction,
  GetParticipantInputAction,
  GetParticipantInputParameters,
  MessageParticipantAction,
  ShowViewAction,
  ShowViewParameters,
} from "../actions";
import { FLOW_LIMITS } from "../limits";
import { hasPlaceholder } from "../placeholders";
import type { JsonObject } from "../wire";
import type { ActionRef } from "./action-ref";
import { type MessageInput, messageSource } from "./message-input";
import { distinctOperands, type Link, TERMINAL_TRANSITIONS, transitions } from "./transitions";
import { type ActionContext, fail, type FlowNumber, stringMap, text, wholeNumber } from "./values";

/** MessageParticipant (Play prompt / Send message). */
export type MessageParticipantInput = MessageInput & {
  /** Where the flow continues after the message. */
  readonly next: ActionRef;
  /** Where the flow goes when the message cannot be played or sent. */
  readonly onError: ActionRef;
};

export function messageParticipant(id: string, input: MessageParticipantInput, link: Link): MessageParticipantAction {
  const context: ActionContext = { type: "MessageParticipant", id };
  return {
    Parameters: messageSource(context, "message", input),
    Identifier: id,
    Type: "MessageParticipant",
    Transitions: transitions(context, link, { next: input.next, errors: [["NoMatchingError", input.onError]] }),
  };
}

/** A key the caller can press. */
export type DtmfKey = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "*" | "#";
const DTMF_KEYS: readonly string[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"];

interface GetParticipantInputCommon {
  /** The prompt played before input is collected. */
  readonly prompt: MessageInput;
  /** Seconds to wait for the caller (InputTimeLimitSeconds), a whole number > 0. */
  readonly timeoutSeconds: FlowNumber;
  /** Where the flow goes on any other failure. */
  readonly onError: ActionRef;
}

/** DTMF menu: one key press, branched on (StoreInput "False"). Voice only. */
export interface DtmfMenuInput extends GetParticipantInputCommon {
  readonly mode: "menu";
  /** One branch per key, in order. */
  readonly options: readonly { readonly key: DtmfKey; readonly next: ActionRef }[];
  /** Where a key with no branch leads (NoMatchingCondition; also the NextAction, as consoles write it). */
  readonly onNoMatch: ActionRef;
  /** Where the flow goes when no key is pressed in time (InputTimeLimitExceeded). */
  readonly onTimeout: ActionRef;
}

/** DTMF digits stored in `$.StoredCustomerInput` (StoreInput "True"). Voice only. */
export interface DtmfStoreInput extends GetParticipantInputCommon {
  readonly mode: "store";
  /** Longest input accepted (CustomValidation.MaximumLength), 1-20 digits. */
  readonly maxDigits: number;
  /**
   * Key that ends the input early.
   * @default none: input ends after maxDigits or the timeout
   */
  readonly terminator?: "#" | "*";
  /** Where the flow continues with the stored input. */
  readonly next: ActionRef;
}

export type GetParticipantInputInput = DtmfMenuInput | DtmfStoreInput;

export function getParticipantInput(id: string, input: GetParticipantInputInput, link: Link): GetParticipantInputAction {
  const context: ActionContext = { type: "GetParticipantInput", id };
  const common = {
    ...messageSource(context, "prompt", input.prompt),
    InputTimeLimitSeconds: wholeNumber(context, "timeoutSeconds", input.timeoutSeconds, { min: 1, max: FLOW_LIMITS.waitSeconds.max }, { unit: "seconds" }),
  };
  if (input.mode === "store") {
    const parameters: GetParticipantInputParameters = {
      ...common,
      StoreInput: "True",
      InputValidation: { CustomValidation: { MaximumLength: wholeNumber(context, "maxDigits", input.maxDigits, { min: 1, max: 20 }) } },
      DTMFConfiguration: {
        DisableCancelKey: "False",
        ...(input.terminator ? { InputTerminationSequence: input.terminator } : {}),
      },
    };
    return {
      Parameters: parameters,
      Identifier: id,
      Type: "GetParticipantInput",
      Transitions: transitions(context, link, { next: input.next, errors: [["NoMatchingError", input.onError]] }),
    };
  }
  if (input.mode !== "menu") fail(context, `mode is ${JSON.stringify((input as { mode?: unknown }).mode)}; allowed: menu, store`);
  for (const option of input.options) {
    if (!DTMF_KEYS.includes(option.key)) fail(context, `option key is ${JSON.stringify(option.key)}; allowed: one of ${DTMF_KEYS.join(" ")}`);
  }
  distinctOperands(context, "key", input.options.map((o) => o.key));
  return {
    Parameters: { ...common, StoreInput: "False" },
    Identifier: id,
    Type: "GetParticipantInput",
    Transitions: transitions(context, link, {
      next: input.onNoMatch,
      conditions: input.options.map((o) => ({ operator: "Equals", operand: o.key, next: o.next })),
      errors: [
        ["InputTimeLimitExceeded", input.onTimeout],
        ["NoMatchingCondition", input.onNoMatch],
        ["NoMatchingError", input.onError],
      ],
    }),
  };
}

/** ConnectParticipantWithLexBot (Get customer input with Amazon Lex V2). Voice and chat. */
export interface ConnectParticipantWithLexBotInput {
  /** The message that opens the bot turn. */
  readonly prompt: MessageInput;
  /** The Lex V2 bot alias ARN (a token is fine). */
  readonly botAliasArn: string;
  /**
   * Session attributes handed to the bot; values may be references such as `$.ContactId`.
   * @default none written
   */
  readonly sessionAttributes?: Readonly<Record<string, string>>;
  /** One branch per intent name (Equals on the intent the bot returns), in order. @default none */
  readonly intents?: readonly { readonly intent: string; readonly next: ActionRef }[];
  /** Where any other intent leads (NoMatchingCondition; also the NextAction, as consoles write it). */
  readonly onNoMatch: ActionRef;
  /** Where the flow goes when the bot fails (NoMatchingError). */
  readonly onError: ActionRef;
  /**
   * Chat inactivity timer (LexTimeoutSeconds, 60 s to 7 days) and where the flow goes when it fires
   * (InputTimeLimitExceeded).
   * @default no timer: the chat waits for the customer
   */
  readonly timeout?: { readonly seconds: FlowNumber; readonly next: ActionRef };
}

export function connectParticipantWithLexBot(
  id: string,
  input: ConnectParticipantWithLexBotInput,
  link: Link,
): ConnectParticipantWithLexBotAction {
  const context: ActionContext = { type: "ConnectParticipantWithLexBot", id };
  const intents = input.intents ?? [];
  distinctOperands(context, "intent", intents.map((i) => i.intent));
  const parameters: ConnectParticipantWithLexBotParameters = {
    ...messageSource(context, "prompt", input.prompt),
    LexV2Bot: { AliasArn: text(context, "botAliasArn", input.botAliasArn) },
    ...(input.sessionAttributes ? { LexSessionAttributes: stringMap(context, "sessionAttributes", input.sessionAttributes) } : {}),
    ...(input.timeout
      ? { LexTimeoutSeconds: { Text: wholeNumber(context, "timeout.seconds", input.timeout.seconds, FLOW_LIMITS.lexTimeoutSeconds, { unit: "seconds" }) } }
      : {}),
  };
  return {
    Parameters: parameters,
    Identifier: id,
    Type: "ConnectParticipantWithLexBot",
    Transitions: transitions(context, link, {
      next: input.onNoMatch,
      conditions: intents.map((i) => ({ operator: "Equals", operand: i.intent, next: i.next })),
      errors: [
        ["InputTimeLimitExceeded", input.timeout?.next],
        ["NoMatchingCondition", input.onNoMatch],
        ["NoMatchingError", input.onError],
      ],
    }),
  };
}

/** ShowView: a view in the agent workspace (step-by-step guides) or chat. Not on voice contacts. */
export interface ShowViewInput {
  /** The view ARN (a token is fine) or an AWS-managed view ARN with its version, e.g. `...:view/detail:1`. */
  readonly viewArn: string;
  /**
   * Version qualifier appended to the ARN, as consoles write it (`<arn>:$LATEST`).
   * @default "$LATEST", unless the ARN already ends with `:$LATEST` or `:<number>`; "as-given" writes the ARN untouched
   */
  readonly version?: "$LATEST" | number | "as-given";
  /** Seconds the view waits for the user (InvocationTimeLimitSeconds), a whole number > 0. */
  readonly timeoutSeconds: FlowNumber;
  /** Input data of the view; no empty strings at any depth. @default {} */
  readonly viewData?: JsonObject;
  /** One branch per view action name (e.g. "Next", "Back"), in order. @default none */
  readonly actions?: readonly { readonly action: string; readonly next: ActionRef }[];
  /** Where any other view action leads (NoMatchingCondition). */
  readonly onNoMatch: ActionRef;
  /** Where the flow goes when the time limit passes (TimeLimitExceeded). */
  readonly onTimeout: ActionRef;
  /** Where the flow goes when the view fails (NoMatchingError; also the NextAction, as consoles write it). */
  readonly onError: ActionRef;
  /** Keep the user's answer out of the chat transcript. @default false */
  readonly hideResponseInTranscript?: boolean;
}

function viewResourceId(context: ActionContext, input: ShowViewInput): string {
  const arn = text(context, "viewArn", input.viewArn);
  const version = input.version ?? "$LATEST";
  if (version === "as-given") return arn;
  if (typeof version === "number") wholeNumber(context, "version", version, { min: 1, max: Number.MAX_SAFE_INTEGER });
  // An ARN that already carries a qualifier is written as given; a token cannot be inspected, so it gets one.
  const qualified = !hasPlaceholder(arn) && /:(\$LATEST|\d+)$/.test(arn);
  if (qualified && input.version === undefined) return arn;
  if (qualified) fail(context, `viewArn "${arn}" already ends with a version; leave version out, or give the ARN without one`);
  return `${arn}:${version}`;
}

export function showView(id: string, input: ShowViewInput, link: Link): ShowViewAction {
  const context: ActionContext = { type: "ShowView", id };
  const actions = input.actions ?? [];
  distinctOperands(context, "view action", actions.map((a) => a.action));
  const parameters: ShowViewParameters = {
    ViewResource: { Id: viewResourceId(context, input) },
    InvocationTimeLimitSeconds: wholeNumber(context, "timeoutSeconds", input.timeoutSeconds, { min: 1, max: FLOW_LIMITS.waitSeconds.max }, { unit: "seconds" }),
    ViewData: input.viewData ?? {},
    ...(input.hideResponseInTranscript ? { SensitiveDataConfiguration: { HideResponseOn: ["TRANSCRIPT"] } } : {}),
  };
  return {
    Parameters: parameters,
    Identifier: id,
    Type: "ShowView",
    Transitions: transitions(context, link, {
      next: input.onError,
      conditions: actions.map((a) => ({ operator: "Equals", operand: a.action, next: a.next })),
      errors: [
        ["NoMatchingCondition", input.onNoMatch],
        ["NoMatchingError", input.onError],
        ["TimeLimitExceeded", input.onTimeout],
      ],
    }),
  };
}

/** DisconnectParticipant: ends the contact (not in whisper or hold flows: use EndFlowExecution there). */
export function disconnectParticipant(id: string): DisconnectParticipantAction {
  return { Parameters: {}, Identifier: id, Type: "DisconnectParticipant", Transitions: TERMINAL_TRANSITIONS };
}
