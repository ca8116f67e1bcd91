/** Flow control: Compare, Loop, Wait and EndFlowExecution. */
import type { CompareAction, EndFlowExecutionAction, LoopAction, WaitAction, WaitEvent, WaitParameters } from "../actions";
import { checkReferenceRoot, CONTAINER_ROOTS, jsonPathForm, VALUE_ROOTS } from "../json-path";
import { FLOW_LIMITS } from "../limits";
import { type ConditionOperator, CONDITION_OPERATORS, isConditionOperator, NUMERIC_OPERATORS } from "../operators";
import { hasPlaceholder } from "../placeholders";
import type { ActionRef } from "./action-ref";
import { distinctOperands, type Link, TERMINAL_TRANSITIONS, transitions } from "./transitions";
import { type ActionContext, fail, type FlowNumber, oneOf, wholeNumber } from "./values";

/** One Compare branch: taken when `<value> <operator> <operand>` holds (first match wins). */
export interface CompareBranch {
  /** @default "Equals" */
  readonly operator?: ConditionOperator;
  /** The value compared with; numeric operators need a number (or a placeholder). */
  readonly operand: string;
  readonly next: ActionRef;
}

/** Compare (Check contact attributes). */
export interface CompareInput {
  /** Exactly one JSONPath reference naming a leaf, e.g. `$.External.status` or `$.Lex.SessionAttributes.Tool`. */
  readonly value: string;
  /** Branches in evaluation order; at least one. */
  readonly branches: readonly CompareBranch[];
  /** Where the flow goes when no branch matches (NoMatchingCondition; also the NextAction, as consoles write it). */
  readonly onNoMatch: ActionRef;
}

function comparisonValue(context: ActionContext, value: string): string {
  const form = jsonPathForm(value ?? "");
  if (form.kind === "placeholder") return value;
  const allowed = `exactly one JSONPath reference naming a leaf under ${[...CONTAINER_ROOTS, ...VALUE_ROOTS].map((r) => `$.${r}`).join(", ")}`;
  if (form.kind !== "path") fail(context, `value is ${JSON.stringify(value)}; allowed: ${allowed}`);
  const root = checkReferenceRoot(form);
  if (!root.ok && root.reason === "no-leaf") fail(context, `value "${value}" names the whole $.${form.root} object; name one field, e.g. $.${form.root}.status`);
  if (!root.ok) fail(context, `value "${value}" starts at $.${form.root}, which is not a root the service knows; allowed: ${allowed}`);
  return value;
}

export function compare(id: string, input: CompareInput, link: Link): CompareAction {
  const context: ActionContext = { type: "Compare", id };
  if (input.branches.length === 0) fail(context, "has no branches; give at least one (the service requires a condition)");
  const branches = input.branches.map((b) => {
    const operator = b.operator ?? "Equals";
    if (!isConditionOperator(operator)) fail(context, `operator is ${JSON.stringify(operator)}; allowed: ${CONDITION_OPERATORS.join(", ")}`);
    if (NUMERIC_OPERATORS.includes(operator) && !hasPlaceholder(b.operand) && !Number.isFinite(Number(b.operand))) {
      fail(context, `operator ${operator} has the operand ${JSON.stringify(b.operand)}; allowed: a number written as a string, e.g. "3"`);
    }
    return { operator, operand: b.operand, next: b.next };
  });
  distinctOperands(context, "branch", branches.map((b) => `${b.operator} ${b.operand}`));
  return {
    Parameters: { ComparisonValue: comparisonValue(context, input.value) },
    Identifier: id,
    Type: "Compare",
    Transitions: transitions(context, link, {
      next: input.onNoMatch,
      conditions: branches,
      errors: [["NoMatchingCondition", input.onNoMatch]],
    }),
  };
}

/** Loop: its counter belongs to the action's identifier, so keep identifiers stable. */
export interface LoopInput {
  /** How many times ContinueLooping is returned before DoneLooping: 0-100, or one JSONPath reference. */
  readonly count: FlowNumber;
  /** The loop body (ContinueLooping). */
  readonly onContinue: ActionRef;
  /** After the last round (DoneLooping; also the NextAction, as consoles write it). */
  readonly onDone: ActionRef;
  /** Where the flow goes on an error (NoMatchingError, optional for Loop). @default no error branch */
  readonly onError?: ActionRef;
}

export function loop(id: string, input: LoopInput, link: Link): LoopAction {
  const context: ActionContext = { type: "Loop", id };
  return {
    Parameters: { LoopCount: wholeNumber(context, "count", input.count, FLOW_LIMITS.loopCount, { dynamic: true }) },
    Identifier: id,
    Type: "Loop",
    Transitions: transitions(context, link, {
      next: input.onDone,
      conditions: [
        { operator: "Equals", operand: "ContinueLooping", next: input.onContinue },
        { operator: "Equals", operand: "DoneLooping", next: input.onDone },
      ],
      errors: [["NoMatchingError", input.onError]],
    }),
  };
}

const WAIT_EVENTS: readonly WaitEvent[] = ["CustomerReturned", "BotParticipantDisconnected"];

/** Wait (chat): pauses the flow until the time limit or an event. */
export interface WaitInput {
  /** Seconds to wait (TimeLimitSeconds): 1-604800, or one JSONPath reference. */
  readonly seconds: FlowNumber;
  /** Where the flow goes when the time is up (WaitCompleted). */
  readonly onTimeout: ActionRef;
  /** Events that end the wait early, each with its branch. @default none */
  readonly events?: readonly { readonly event: WaitEvent; readonly next: ActionRef }[];
  /** Where the flow goes on an error (NoMatchingError; also the NextAction, as consoles write it). */
  readonly onError: ActionRef;
  /** With BotParticipantDisconnected: where the flow goes when there is no bot participant. @default no branch */
  readonly onParticipantNotFound?: ActionRef;
}

export function wait(id: string, input: WaitInput, link: Link): WaitAction {
  const context: ActionContext = { type: "Wait", id };
  const events = input.events ?? [];
  for (const e of events) oneOf(context, "event", e.event, WAIT_EVENTS);
  distinctOperands(context, "event", events.map((e) => e.event));
  if (input.onParticipantNotFound && !events.some((e) => e.event === "BotParticipantDisconnected")) {
    fail(context, "onParticipantNotFound is given without a BotParticipantDisconnected event; add that event or leave the branch out");
  }
  const parameters: WaitParameters = {
    TimeLimitSeconds: wholeNumber(context, "seconds", input.seconds, FLOW_LIMITS.waitSeconds, { dynamic: true, unit: "seconds" }),
    ...(events.length > 0 ? { Events: events.map((e) => e.event) } : {}),
  };
  return {
    Parameters: parameters,
    Identifier: id,
    Type: "Wait",
    Transitions: transitions(context, link, {
      next: input.onError,
      conditions: [
        { operator: "Equals", operand: "WaitCompleted", next: input.onTimeout },
        ...events.map((e) => ({ operator: "Equals" as const, operand: e.event, next: e.next })),
      ],
      errors: [
        ["NoMatchingError", input.onError],
        ["ParticipantNotFound", input.onParticipantNotFound],
      ],
    }),
  };
}

/** EndFlowExecution: ends whisper, hold and queue flows (not allowed in CONTACT_FLOW). */
export function endFlowExecution(id: string): EndFlowExecutionAction {
  return { Parameters: {}, Identifier: id, Type: "EndFlowExecution", Transitions: TERMINAL_TRANSITIONS };
}
