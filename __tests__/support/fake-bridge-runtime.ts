import type { LambdaInvocationRequest, LambdaInvocationResponse, LexRequest, LexResponse } from "../../flows/simulator";
import { AnswerPoller, BotIntent, BridgeStatus, HANDOFF_FIELDS, SessionAttribute, Tool } from "../../functions/shared/flow-contract";

/**
 * A flow-level model of the Bedrock bridge for simulator tests of the flows alone: the bot answers every
 * message PENDING with an interim text and a turn id (as lex-fulfillment does on chat with the poll
 * strategy), and the poller long-polls like answer-poller, returning the moment the turn's answer is
 * "stored" or PENDING after its budget. The real handlers are exercised elsewhere; this isolates what the
 * flow does with their answers.
 */
export interface FakeBridgeOptions {
  /** Model answer time of turn n (1-based), in ms after the bot accepted the message. */
  readonly answerMs: (turn: number) => number;
  /** The answer text of turn n. @default "answer <n>" */
  readonly answer?: (turn: number) => string;
  /** The tool the model chose for turn n. @default ANSWER */
  readonly tool?: (turn: number) => string;
  /** answer-poller's budget per call. @default 6,500 ms */
  readonly pollerBudgetMs?: number;
  /** Time the bot takes to accept a message (store the turn, start the worker). @default 300 ms */
  readonly lexMs?: number;
  /** Connect's round trip to a warm Lambda. @default 40 ms */
  readonly invokeOverheadMs?: number;
  /** Poller calls that fail as throttled, by call number (1-based across the contact). */
  readonly throttledCalls?: ReadonlySet<number>;
}

export const INTERIM = "お調べしています。少々お待ちください。";
export const TALK_TO_AGENT_CLOSING = "担当者におつなぎします。";

export function fakeBridge(options: FakeBridgeOptions) {
  const turns = new Map<string, { readonly n: number; readonly readyAtMs: number }>();
  const budget = options.pollerBudgetMs ?? 6_500;
  const overhead = options.invokeOverheadMs ?? 40;
  let pollerCalls = 0;
  const lex = (request: LexRequest): LexResponse => {
    const durationMs = options.lexMs ?? 300;
    if (request.input && /担当者|agent/i.test(request.input)) {
      return { intentName: BotIntent.talkToAgent, messages: [{ text: TALK_TO_AGENT_CLOSING }], durationMs: 150 };
    }
    const n = turns.size + 1;
    const turnId = `turn-${n}`;
    turns.set(turnId, { n, readyAtMs: request.atMs + durationMs + options.answerMs(n) });
    return {
      intentName: BotIntent.fallback,
      sessionAttributes: { ...request.sessionAttributes, [SessionAttribute.bridgeStatus]: BridgeStatus.pending, [SessionAttribute.bridgeTurnId]: turnId },
      messages: [{ text: INTERIM }],
      durationMs,
    };
  };
  const lambda = (request: LambdaInvocationRequest): LambdaInvocationResponse => {
    pollerCalls += 1;
    if (options.throttledCalls?.has(pollerCalls)) return { error: { kind: "throttled", message: "Rate exceeded" }, durationMs: 30 };
    const parameters = request.event.Details.Parameters;
    const turn = turns.get(parameters[AnswerPoller.parameters.turnId]);
    const pollCount = String(Number(parameters[AnswerPoller.parameters.pollCount] || "0") + 1);
    const base = { [AnswerPoller.result.pollCount]: pollCount, [AnswerPoller.result.message]: "", ...Object.fromEntries(HANDOFF_FIELDS.map((f) => [f, ""])) };
    if (!turn) return { result: { ...base, status: AnswerPoller.status.expired, message: "expired" }, durationMs: overhead };
    const waitMs = Math.max(0, turn.readyAtMs - request.atMs);
    if (waitMs > budget) return { result: { ...base, status: AnswerPoller.status.pending, answer: "", Tool: "" }, durationMs: budget + overhead };
    const tool = options.tool?.(turn.n) ?? Tool.answer;
    return {
      result: {
        ...base,
        status: AnswerPoller.status.ready,
        answer: options.answer?.(turn.n) ?? `answer ${turn.n}`,
        Tool: tool,
        ...(tool === Tool.handoff ? Object.fromEntries(HANDOFF_FIELDS.map((f) => [f, `${f} of turn ${turn.n}`])) : {}),
      },
      durationMs: waitMs + overhead,
    };
  };
  return { lex, lambda, pollerCalls: () => pollerCalls };
}
