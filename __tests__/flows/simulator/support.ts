/**
 * Small hand-written flows for the simulator tests, written as the wire JSON (integers as strings, as
 * console exports write them), plus fake side effects.
 */
import type {
  FlowAction,
  FlowDocument,
  LambdaInvocationRequest,
  LambdaInvocationResponse,
  LexAnswer,
  LexFailure,
  LexRequest,
} from "../../../flows/simulator";

export const LEX_ALIAS = "arn:aws:lex:eu-west-2:111122223333:bot-alias/BOTID/ALIASID";
export const LAMBDA_ARN = "arn:aws:lambda:eu-west-2:111122223333:function:lookup";
export const QUEUE_ARN = "arn:aws:connect:eu-west-2:111122223333:instance/INST/queue/QUEUE";
export const AGENT_UI_FLOW_ARN = "arn:aws:connect:eu-west-2:111122223333:instance/INST/contact-flow/AGENTUI";

export function flow(startAction: string, actions: FlowAction[]): FlowDocument {
  return { Version: "2019-10-30", StartAction: startAction, Actions: actions };
}

type Errors = Record<string, string>;

function transitions(next: string | undefined, errors: Errors = {}, conditions: [string, string, string][] = []) {
  return {
    ...(next !== undefined ? { NextAction: next } : {}),
    Errors: Object.entries(errors).map(([ErrorType, NextAction]) => ({ ErrorType, NextAction })),
    Conditions: conditions.map(([Operator, operand, NextAction]) => ({ NextAction, Condition: { Operator, Operands: [operand] } })),
  };
}

export const message = (id: string, text: string, next: string, errors: Errors = {}): FlowAction => ({
  Identifier: id,
  Type: "MessageParticipant",
  Parameters: { Text: text },
  Transitions: transitions(next, errors),
});

export const disconnect = (id = "end"): FlowAction => ({
  Identifier: id,
  Type: "DisconnectParticipant",
  Parameters: {},
  Transitions: {},
});

export const setAttributes = (id: string, attributes: Record<string, string>, next: string, errors: Errors = {}): FlowAction => ({
  Identifier: id,
  Type: "UpdateContactAttributes",
  Parameters: { Attributes: attributes, TargetContact: "Current" },
  Transitions: transitions(next, errors),
});

/** Compare with `[operator, operand, next]` conditions; NoMatchingCondition → `noMatch`. */
export const compare = (id: string, value: string, conditions: [string, string, string][], noMatch: string): FlowAction => ({
  Identifier: id,
  Type: "Compare",
  Parameters: { ComparisonValue: value },
  Transitions: transitions(noMatch, { NoMatchingCondition: noMatch }, conditions),
});

export const loop = (id: string, count: string, continueTo: string, doneTo: string): FlowAction => ({
  Identifier: id,
  Type: "Loop",
  Parameters: { LoopCount: count },
  Transitions: transitions(doneTo, {}, [
    ["Equals", "ContinueLooping", continueTo],
    ["Equals", "DoneLooping", doneTo],
  ]),
});

export const lambda = (
  id: string,
  next: string,
  error: string,
  parameters: Record<string, unknown> = {},
  limitSeconds = "8",
): FlowAction => ({
  Identifier: id,
  Type: "InvokeLambdaFunction",
  Parameters: {
    LambdaFunctionARN: LAMBDA_ARN,
    InvocationTimeLimitSeconds: limitSeconds,
    InvocationType: "SYNCHRONOUS",
    ResponseValidation: { ResponseType: "STRING_MAP" },
    ...parameters,
  },
  Transitions: transitions(next, { NoMatchingError: error }),
});

/** A Lex block: `intents` maps intent names to targets; NoMatchingCondition → `noMatch`. */
export const lexBlock = (
  id: string,
  options: {
    text?: string;
    intents?: Record<string, string>;
    noMatch: string;
    error: string;
    timeout?: string;
    sessionAttributes?: Record<string, string>;
    lexTimeoutSeconds?: string;
  },
): FlowAction => ({
  Identifier: id,
  Type: "ConnectParticipantWithLexBot",
  Parameters: {
    ...(options.text !== undefined ? { Text: options.text } : {}),
    LexV2Bot: { AliasArn: LEX_ALIAS },
    ...(options.sessionAttributes ? { LexSessionAttributes: options.sessionAttributes } : {}),
    ...(options.lexTimeoutSeconds ? { LexTimeoutSeconds: { Text: options.lexTimeoutSeconds } } : {}),
  },
  Transitions: transitions(
    options.noMatch,
    {
      NoMatchingCondition: options.noMatch,
      NoMatchingError: options.error,
      ...(options.timeout ? { InputTimeLimitExceeded: options.timeout } : {}),
    },
    Object.entries(options.intents ?? {}).map(([intent, target]) => ["Equals", intent, target]),
  ),
});

export const wait = (id: string, seconds: string, completed: string, returned: string | undefined, error: string): FlowAction => ({
  Identifier: id,
  Type: "Wait",
  Parameters: { TimeLimitSeconds: seconds, ...(returned ? { Events: ["CustomerReturned"] } : {}) },
  Transitions: transitions(error, { NoMatchingError: error }, [
    ["Equals", "WaitCompleted", completed],
    ...(returned ? ([["Equals", "CustomerReturned", returned]] as [string, string, string][]) : []),
  ]),
});

export const setQueue = (id: string, next: string, error: string): FlowAction => ({
  Identifier: id,
  Type: "UpdateContactTargetQueue",
  Parameters: { QueueId: QUEUE_ARN },
  Transitions: transitions(next, { NoMatchingError: error }),
});

export const transfer = (id: string, error: string, atCapacity: string): FlowAction => ({
  Identifier: id,
  Type: "TransferContactToQueue",
  Parameters: {},
  Transitions: transitions(error, { QueueAtCapacity: atCapacity, NoMatchingError: error }),
});

export const setHook = (id: string, hook: string, flowRef: string, next: string, error: string): FlowAction => ({
  Identifier: id,
  Type: "UpdateContactEventHooks",
  Parameters: { EventHooks: { [hook]: flowRef } },
  Transitions: transitions(next, { NoMatchingError: error }),
});

/** A Lex model answering from a function of the request (durations default to 500 ms). */
export function fakeLex(answer: (request: LexRequest) => Partial<LexAnswer> | LexFailure) {
  const requests: LexRequest[] = [];
  const model = async (request: LexRequest) => {
    requests.push(request);
    const response = answer(request);
    if ("error" in response) return response;
    return { intentName: "FallbackIntent", durationMs: 500, ...response } as LexAnswer;
  };
  return { model, requests };
}

/** A Lambda invoker answering from a list of responses, one per call (the last repeats). */
export function fakeLambda(responses: LambdaInvocationResponse[] | ((request: LambdaInvocationRequest) => LambdaInvocationResponse)) {
  const requests: LambdaInvocationRequest[] = [];
  const invoker = async (request: LambdaInvocationRequest) => {
    requests.push(request);
    if (typeof responses === "function") return responses(request);
    return responses[Math.min(requests.length - 1, responses.length - 1)];
  };
  return { invoker, requests };
}

export const CHAT = { contactId: "11111111-1111-4111-8111-111111111111", channel: "CHAT" as const };
export const VOICE = {
  contactId: "22222222-2222-4222-8222-222222222222",
  channel: "VOICE" as const,
  customerEndpoint: "+442071234567",
};
