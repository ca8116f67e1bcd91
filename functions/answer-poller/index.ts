import { type BridgeLocale, type BridgeSettings, loadBridgeSettings } from "../shared/bridge-settings";
import { localeFromLanguageCode, resolveLocale } from "../shared/channel";
import { type ConnectResult, type PollRequest, readPollRequest } from "../shared/connect-event";
import { AnswerPoller, HANDOFF_FIELDS, type PollStatus, Tool } from "../shared/flow-contract";
import { type InvocationContext, remainingTimeMs, requestIdOf } from "../shared/invocation";
import { type Logger, createLogger, errorFields } from "../shared/log";
import { Metric, type Metrics, createMetrics } from "../shared/metrics";
import { sleep, timeoutSignal } from "../shared/retry";
import { LAST_RESORT_MESSAGE } from "../shared/text";
import { type HandoffFields, type Turn, type TurnKey, getTurn } from "../shared/turn-store";

/**
 * Called synchronously by the chat flow (Connect allows 8 s) after the interim message. Long-polls the
 * turn with strongly consistent reads every `pollIntervalMs` and returns the moment it is settled, so the
 * added latency is a fraction of the interval; when its budget runs out it returns PENDING and the flow's
 * Loop block calls it again.
 *
 * Result (flat, strings only; names in flow-contract's AnswerPoller): status READY | PENDING | FAILED |
 * EXPIRED, answer, Tool, the handoff fields, message, turnId, waitedMs and pollCount (the flow's
 * `pollCount` parameter plus one: the flow keeps it per turn and stops polling at its limit).
 */

const FUNCTION_NAME = "answer-poller";
const log = createLogger(FUNCTION_NAME);

/** Kept free before Lambda's (and Connect's 8 s) timeout, for the last read and the response. */
const LAMBDA_SAFETY_MS = 400;
/** A turn still PENDING this long after its deadline has no worker any more (crash, timeout). */
const EXPIRY_GRACE_MS = 2_000;
/** Spread of the pause between reads, as a share of the interval, so loops of many contacts do not align. */
const JITTER_SHARE = 0.1;
/** A single read never gets less time than this, even at the very end of the budget. */
const MIN_READ_TIMEOUT_MS = 250;
/** Used when Lambda's remaining time is unknown (no context): Connect's synchronous limit. */
const UNKNOWN_REMAINING_MS = 8_000;

const { status: Status, result: Key } = AnswerPoller;

const STATUS_METRIC: Record<PollStatus, (typeof Metric)[keyof typeof Metric]> = {
  [Status.ready]: Metric.PollReady,
  [Status.pending]: Metric.PollPending,
  [Status.failed]: Metric.PollFailed,
  [Status.expired]: Metric.PollExpired,
};

/** What one call returns, before it is flattened into Connect's string map. */
interface PollOutcome {
  readonly status: PollStatus;
  readonly answer?: string;
  readonly tool?: string;
  readonly handoff?: HandoffFields;
  readonly message?: string;
  readonly turnId?: string;
  readonly waitedMs: number;
  /** The flow's poll count for this turn, including this call. */
  readonly pollCount: number;
}

/** Every key is always present (empty when unused), so a flow never reads a stale `$.External` value. */
function result(outcome: PollOutcome): ConnectResult {
  const flat: ConnectResult = {
    [Key.status]: outcome.status,
    [Key.answer]: outcome.answer ?? "",
    [Key.tool]: outcome.tool ?? "",
    [Key.message]: outcome.message ?? "",
    [Key.turnId]: outcome.turnId ?? "",
    [Key.waitedMs]: String(Math.max(0, Math.round(outcome.waitedMs))),
    [Key.pollCount]: String(outcome.pollCount),
  };
  for (const field of HANDOFF_FIELDS) flat[field] = outcome.handoff?.[field] ?? "";
  return flat;
}

type Verdict =
  | { readonly status: typeof Status.pending }
  | { readonly status: Exclude<PollStatus, typeof Status.pending>; readonly turn?: Turn; readonly why: string };

/** What a read means now. Settled states win; then TTL (compared in code, deletion lags) and the deadline. */
export function judgeTurn(turn: Turn | undefined, nowMs: number): Verdict {
  if (!turn) return { status: Status.expired, why: "turn not found" };
  if (turn.expiresAt * 1000 <= nowMs) return { status: Status.expired, turn, why: "turn past its TTL" };
  if (turn.status === "DONE") return turn.answer ? { status: Status.ready, turn, why: "answered" } : { status: Status.failed, turn, why: "answer missing" };
  if (turn.status === "FAILED") return { status: Status.failed, turn, why: turn.failureReason ?? "failed" };
  if (nowMs > turn.deadlineAt + EXPIRY_GRACE_MS) return { status: Status.expired, turn, why: "still pending after the deadline" };
  return { status: Status.pending };
}

function jittered(intervalMs: number): number {
  return Math.max(1, intervalMs * (1 + (Math.random() * 2 - 1) * JITTER_SHARE));
}

export async function handler(event: unknown, context?: InvocationContext): Promise<ConnectResult> {
  const metrics = createMetrics(FUNCTION_NAME);
  const startedAt = Date.now();
  const request = readPollRequest(event);
  // The flow keeps the turn's poll count from this result; it grows even when the call fails.
  const pollCount = request.pollCount + 1;
  try {
    const outcome = await poll(request, context, metrics, startedAt, pollCount);
    metrics.count(STATUS_METRIC[outcome.status]);
    return result(outcome);
  } catch (error) {
    // Every expected failure is handled in poll(); this guards against a bug turning into a flow error.
    log.error("unexpected failure", { requestId: requestIdOf(context), ...errorFields(error) });
    metrics.count(Metric.PollFailed);
    return result({ status: Status.failed, message: LAST_RESORT_MESSAGE, waitedMs: Date.now() - startedAt, pollCount });
  } finally {
    metrics.flush();
  }
}

async function poll(request: PollRequest, context: InvocationContext | undefined, metrics: Metrics, startedAt: number, pollCount: number): Promise<PollOutcome> {
  const requestId = requestIdOf(context);
  let settings: BridgeSettings;
  try {
    settings = loadBridgeSettings();
  } catch (error) {
    log.error("bridge settings unavailable", { requestId, ...errorFields(error) });
    return { status: Status.failed, message: LAST_RESORT_MESSAGE, waitedMs: Date.now() - startedAt, pollCount };
  }
  if (!request.ok) {
    metrics.count(Metric.InvalidEvents);
    const locale = localeFromLanguageCode(request.languageCode, settings);
    log.warn("rejected poll request", { requestId, contactId: request.contactId, problem: request.problem });
    return { status: Status.failed, message: settings.messages[locale].apology, waitedMs: Date.now() - startedAt, pollCount };
  }
  const key: TurnKey = { contactId: request.contactId, turnId: request.turnId };
  const turnLog = log.child({ contactId: key.contactId, turnId: key.turnId, requestId, pollCount });
  metrics.property("contactId", key.contactId);
  metrics.property("turnId", key.turnId);

  const budgetEnd = startedAt + Math.max(0, Math.min(settings.budgets.pollerBudgetMs, remainingTimeMs(context, UNKNOWN_REMAINING_MS) - LAMBDA_SAFETY_MS));
  let reads = 0;
  let readErrors = 0;
  let lastSeen: Turn | undefined;
  for (;;) {
    reads += 1;
    try {
      const turn = await getTurn(key, { consistent: true, signal: timeoutSignal(Math.max(MIN_READ_TIMEOUT_MS, budgetEnd - Date.now())) });
      lastSeen = turn;
      const verdict = judgeTurn(turn, Date.now());
      if (verdict.status !== Status.pending) return finish(verdict, settings, request, startedAt, reads, metrics, turnLog);
    } catch (error) {
      readErrors += 1;
      // A failed read is not an answer: keep polling; the flow polls again on PENDING if the budget runs out.
      if (readErrors === 1) turnLog.warn("turn read failed; polling on", errorFields(error));
    }
    const now = Date.now();
    if (now >= budgetEnd) break;
    await sleep(Math.min(jittered(settings.budgets.pollIntervalMs), budgetEnd - now));
  }
  const waitedMs = Date.now() - startedAt;
  metrics.count(Metric.PollReads, reads);
  metrics.duration(Metric.PollWaitMs, waitedMs);
  turnLog.info("poll finished", { status: Status.pending, reads, readErrors, waitedMs, deadlineInMs: lastSeen ? lastSeen.deadlineAt - Date.now() : undefined });
  return { status: Status.pending, turnId: key.turnId, waitedMs, pollCount };
}

function finish(
  verdict: Exclude<Verdict, { status: typeof Status.pending }>,
  settings: BridgeSettings,
  request: Extract<PollRequest, { ok: true }>,
  startedAt: number,
  reads: number,
  metrics: Metrics,
  turnLog: Logger,
): PollOutcome {
  const waitedMs = Date.now() - startedAt;
  metrics.count(Metric.PollReads, reads);
  metrics.duration(Metric.PollWaitMs, waitedMs);
  const stored = verdict.turn ? resolveLocale(verdict.turn.locale, settings) : undefined;
  const locale: BridgeLocale = stored?.known ? stored.locale : localeFromLanguageCode(request.languageCode, settings);
  const common = { turnId: request.turnId, waitedMs, pollCount: request.pollCount + 1 };
  turnLog.info("poll finished", { status: verdict.status, why: verdict.why, reads, waitedMs });
  if (verdict.status === Status.ready && verdict.turn?.answer) {
    const turn = verdict.turn;
    const tool = turn.tool ?? Tool.answer;
    return { ...common, status: Status.ready, answer: turn.answer, tool, handoff: tool === Tool.handoff ? turn.handoff : undefined };
  }
  if (verdict.status === Status.failed) return { ...common, status: Status.failed, message: settings.messages[locale].apology };
  return { ...common, status: Status.expired, message: settings.messages[locale].expired };
}
