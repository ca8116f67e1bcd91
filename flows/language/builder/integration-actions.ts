/** Interactions with other AWS services: Lambda and Amazon Q in Connect (Wisdom) sessions. */
import type {
  CreateWisdomSessionAction,
  InvokeLambdaFunctionAction,
  InvokeLambdaFunctionParameters,
  LambdaInvocationType,
  LambdaResponseType,
} from "../actions";
import { FLOW_LIMITS } from "../limits";
import type { ActionRef } from "./action-ref";
import { type Link, transitions } from "./transitions";
import { type ActionContext, type FlowNumber, oneOf, stringMap, text, wholeNumber } from "./values";

/** InvokeLambdaFunction (AWS Lambda function block). Results land in `$.External.*`; branch with Compare. */
export interface InvokeLambdaFunctionInput {
  /** The function ARN (a token is fine). */
  readonly functionArn: string;
  /** InvocationTimeLimitSeconds: 1-8 for a synchronous call, 1-60 for an asynchronous one. */
  readonly timeoutSeconds: FlowNumber;
  /** @default "SYNCHRONOUS" (the flow waits for the result) */
  readonly invocationType?: LambdaInvocationType;
  /** Parameters sent to the function (`Details.Parameters`); values may be references. @default none written */
  readonly parameters?: Readonly<Record<string, string>>;
  /** How the response is checked: a flat string map, or any JSON. @default "STRING_MAP" */
  readonly responseType?: LambdaResponseType;
  /** Where the flow continues after the call. */
  readonly next: ActionRef;
  /** Where the flow goes when the call fails or times out (NoMatchingError). */
  readonly onError: ActionRef;
}

export function invokeLambdaFunction(id: string, input: InvokeLambdaFunctionInput, link: Link): InvokeLambdaFunctionAction {
  const context: ActionContext = { type: "InvokeLambdaFunction", id };
  const invocationType = oneOf(context, "invocationType", input.invocationType ?? "SYNCHRONOUS", ["SYNCHRONOUS", "ASYNCHRONOUS"]);
  const range = invocationType === "SYNCHRONOUS" ? FLOW_LIMITS.lambdaSynchronousSeconds : FLOW_LIMITS.lambdaAsynchronousSeconds;
  const parameters: InvokeLambdaFunctionParameters = {
    LambdaFunctionARN: text(context, "functionArn", input.functionArn),
    InvocationTimeLimitSeconds: wholeNumber(context, "timeoutSeconds", input.timeoutSeconds, range, {
      unit: invocationType === "SYNCHRONOUS" ? "seconds for a synchronous invocation" : "seconds for an asynchronous invocation",
    }),
    InvocationType: invocationType,
    ...(input.parameters ? { LambdaInvocationAttributes: stringMap(context, "parameters", input.parameters) } : {}),
    ResponseValidation: { ResponseType: oneOf(context, "responseType", input.responseType ?? "STRING_MAP", ["STRING_MAP", "JSON"]) },
  };
  return {
    Parameters: parameters,
    Identifier: id,
    Type: "InvokeLambdaFunction",
    Transitions: transitions(context, link, { next: input.next, errors: [["NoMatchingError", input.onError]] }),
  };
}

/**
 * CreateWisdomSession (Amazon Q in Connect block). The console writes the block as this action followed
 * by UpdateContactData with `wisdomSessionArn: "$.Wisdom.SessionArn"`, which attaches the session.
 */
export interface CreateWisdomSessionInput {
  /** The Q in Connect assistant ARN (a token is fine). */
  readonly assistantArn: string;
  readonly next: ActionRef;
  /** Where the flow goes when the session cannot be created (NoMatchingError). */
  readonly onError: ActionRef;
}

export function createWisdomSession(id: string, input: CreateWisdomSessionInput, link: Link): CreateWisdomSessionAction {
  const context: ActionContext = { type: "CreateWisdomSession", id };
  return {
    Parameters: { WisdomAssistantArn: text(context, "assistantArn", input.assistantArn) },
    Identifier: id,
    Type: "CreateWisdomSession",
    Transitions: transitions(context, link, { next: input.next, errors: [["NoMatchingError", input.onError]] }),
  };
}
