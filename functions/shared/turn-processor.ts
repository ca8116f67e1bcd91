import { type AnswerResult, generateAnswer } from "./bedrock-answer";
import { type BridgeLocale, type BridgeSettings } from "./bridge-settings";
import { type Logger, errorFields } from "./log";
import { Metric, type Metrics } from "./metrics";
import { type RetryPolicy, timeoutSignal } from "./retry";
import { type HistoryTurn, type Turn, type TurnOutcome, loadHistory, settleTurn } from "./turn-store";

/**
 * The core both answering paths share (the async worker for chat, the synchronous fulfillment for voice):
 * load the contact's history, ask Bedrock, settle the turn. Bedrock faults become a FAILED outcome;
 * storage faults are reported to the caller, who decides whether they are fatal.
 */

/** History is a nicety: it may take at most this long before the turn is answered without it. */
const HISTORY_TIMEOUT_MS = 1_500;
/** A settle write is never given less than this, even when the answer used the whole budget. */
const MIN_STORE_TIMEOUT_MS = 300;

export interface ProcessTurnInput {
  readonly turn: Turn;
  readonly claimToken: string;
  /** False when the turn could not be stored at all (synchronous path with DynamoDB down). */
  readonly persisted: boolean;
  readonly settings: BridgeSettings;
  readonly locale: BridgeLocale;
  /** Epoch ms by which Bedrock must have answered. */
  readonly answerDeadlineMs: number;
  /** Epoch ms by which the outcome must be written. */
  readonly storeDeadlineMs: number;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly retryPolicy?: RetryPolicy;
}

export interface ProcessedTurn {
  readonly result: AnswerResult;
  /**
   * stored: written; not_pending: the turn was no longer PENDING under our claim (settled by another run,
   * or never stored); skipped: not persisted; error: the write failed.
   */
  readonly store: "stored" | "not_pending" | "skipped" | "error";
  readonly storeError?: unknown;
}

export function outcomeOf(result: AnswerResult): TurnOutcome {
  if (result.ok) {
    return {
      status: "DONE",
      answer: result.reply.message,
      tool: result.reply.tool,
      handoff: result.reply.handoff,
      guardrailIntervened: result.reply.guardrailIntervened,
      modelId: result.modelId,
      attempts: result.attempts,
    };
  }
  return { status: "FAILED", reason: result.reason, modelId: result.modelId, attempts: result.attempts };
}

async function historyFor(input: ProcessTurnInput): Promise<HistoryTurn[]> {
  const { turn, settings, log } = input;
  if (!input.persisted || settings.historyTurns <= 0) return [];
  const timeout = Math.min(HISTORY_TIMEOUT_MS, input.answerDeadlineMs - Date.now());
  if (timeout <= 0) return [];
  try {
    return await loadHistory(turn.contactId, turn.turnId, settings.historyTurns, Date.now(), { signal: timeoutSignal(timeout) });
  } catch (error) {
    log.warn("history unavailable; answering without it", errorFields(error));
    return [];
  }
}

export async function processTurn(input: ProcessTurnInput): Promise<ProcessedTurn> {
  const { turn, log, metrics } = input;
  const history = await historyFor(input);
  const result = await generateAnswer({
    settings: input.settings,
    locale: input.locale,
    channel: turn.channel,
    utterance: turn.utterance,
    history,
    deadlineMs: input.answerDeadlineMs,
    log,
    metrics,
    retryPolicy: input.retryPolicy,
  });
  if (!input.persisted) return { result, store: "skipped" };
  const outcome = outcomeOf(result);
  const timeout = Math.max(MIN_STORE_TIMEOUT_MS, input.storeDeadlineMs - Date.now());
  try {
    const settled = await settleTurn(turn, outcome, Date.now(), input.claimToken, { signal: timeoutSignal(timeout) });
    if (!settled) {
      log.warn("turn not pending under this claim any more; outcome discarded", { outcome: outcome.status });
      return { result, store: "not_pending" };
    }
  } catch (error) {
    metrics.count(Metric.StoreErrors);
    log.error("could not store the turn outcome", { outcome: outcome.status, ...errorFields(error) });
    return { result, store: "error", storeError: error };
  }
  if (outcome.status === "DONE") {
    metrics.count(Metric.AnswersStored);
    metrics.duration(Metric.AnswerLatencyMs, Date.now() - turn.createdAt);
  } else {
    metrics.count(Metric.AnswersFailed);
  }
  return { result, store: "stored" };
}
