import { type BridgeLocale, type BridgeSettings, loadBridgeSettings } from "../shared/bridge-settings";
import { localeFromLanguageCode, resolveLocale } from "../shared/channel";
import { type ConnectResult, readPollRequest } from "../shared/connect-event";
import { type InvocationContext, remainingTimeMs, requestIdOf } from "../shared/invocation";
import { type Logger, createLogger, errorFields } from "../shared/log";
import { Metric, type Metrics, createMetrics } from "../shared/metrics";
import { sleep, timeoutSignal } from "../shared/retry";
import { LAST_RESORT_MESSAGE } from "../shared/text";
import { type Turn, type TurnKey, getTurn } from "../shared/turn-store";

/**
 * Called synchronously by the chat flow (Connect allows 8 s) after the interim message. Long-polls the
 * turn with strongly consistent reads every `pollIntervalMs` and returns the moment it is settled, so the
 * added latency is a fraction of the interval; when its budget runs out it returns PENDING and the flow's
 * Loop block calls it again.
 *
 * Result (flat, strings only): status READY | PENDING | FAILED | EXPIRED, answer, Tool, customer_issue,
 * bot_response, conversation_summary, escalation_reason, message, turnId, waitedMs.
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

export type PollStatus = "READY" | "PENDING" | "FAILED" | "EXPIRED";

const STATUS_METRIC: Record<PollStatus, (typeof Metric)[keyof typeof Metric]> = {
  READY: Metric.PollReady,
  PENDING: Metric.PollPending,
  FAILED: Metric.PollFailed,
  EXPIRED: Metric.PollExpired,
};

function result(status: PollStatus, fields: Partial<ConnectResult>): ConnectResult {
  return {
    status,
    answer: "",
    Tool: "",
    customer_issue: "",
    bot_response: "",
    conversation_summary: "",
    escalation_reason: "",
    message: "",
    turnId: "",
    waitedMs: "0",
    ...fields,
  };
}

type Verdict = { readonly status: "PENDING" } | { readonly status: Exclude<PollStatus, "PENDING">; readonly turn?: Turn; readonly why: string };

/** What a read means now. Settled states win; then TTL (compared in code, deletion lags) and the deadline. */
export function judgeTurn(turn: Turn | undefined, nowMs: number): Verdict {
  if (!turn) return { status: "EXPIRED", why: "turn not found" };
  if (turn.expiresAt * 1000 <= nowMs) return { status: "EXPIRED", turn, why: "turn past its TTL" };
  if (turn.status === "DONE") return turn.answer ? { status: "READY", turn, why: "answered" } : { status: "FAILED", turn, why: "answer missing" };
  if (turn.status === "FAILED") return { status: "FAILED", turn, why: turn.failureReason ?? "failed" };
  if (nowMs > turn.deadlineAt + EXPIRY_GRACE_MS) return { status: "EXPIRED", turn, why: "still pending after the deadline" };
  return { status: "PENDING" };
}

function jittered(intervalMs: number): number {
  return Math.max(1, intervalMs * (1 + (Math.random() * 2 - 1) * JITTER_SHARE));
}

export async function handler(event: unknown, context?: InvocationContext): Promise<ConnectResult> {
  const metrics = createMetrics(FUNCTION_NAME);
  const startedAt = Date.now();
  try {
    const output = await poll(event, context, metrics, startedAt);
    metrics.count(STATUS_METRIC[output.status as PollStatus] ?? Metric.PollFailed);
    return output;
  } catch (error) {
    // Every expected failure is handled in poll(); this guards against a bug turning into a flow error.
    log.error("unexpected failure", { requestId: requestIdOf(context), ...errorFields(error) });
    metrics.count(Metric.PollFailed);
    return result("FAILED", { message: LAST_RESORT_MESSAGE, waitedMs: String(Date.now() - startedAt) });
  } finally {
    metrics.flush();
  }
}

async function poll(event: unknown, context: InvocationContext | undefined, metrics: Metrics, startedAt: number): Promise<ConnectResult> {
  const requestId = requestIdOf(context);
  let settings: BridgeSettings;
  try {
    settings = loadBridgeSettings();
  } catch (error) {
    log.error("bridge settings unavailable", { requestId, ...errorFields(error) });
    return result("FAILED", { message: LAST_RESORT_MESSAGE });
  }
  const request = readPollRequest(event);
  if (!request.ok) {
    metrics.count(Metric.InvalidEvents);
    const locale = localeFromLanguageCode(request.languageCode, settings);
    log.warn("rejected poll request", { requestId, contactId: request.contactId, problem: request.problem });
    return result("FAILED", { message: settings.messages[locale].apology, waitedMs: String(Date.now() - startedAt) });
  }
  const key: TurnKey = { contactId: request.contactId, turnId: request.turnId };
  const turnLog = log.child({ contactId: key.contactId, turnId: key.turnId, requestId });
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
      if (verdict.status !== "PENDING") return finish(verdict, settings, request.languageCode, key, startedAt, reads, metrics, turnLog);
    } catch (error) {
      readErrors += 1;
      // A failed read is not an answer: keep polling; the flow loops on PENDING if the budget runs out.
      if (readErrors === 1) turnLog.warn("turn read failed; polling on", errorFields(error));
    }
    const now = Date.now();
    if (now >= budgetEnd) break;
    await sleep(Math.min(jittered(settings.budgets.pollIntervalMs), budgetEnd - now));
  }
  const waitedMs = Date.now() - startedAt;
  metrics.count(Metric.PollReads, reads);
  metrics.duration(Metric.PollWaitMs, waitedMs);
  turnLog.info("poll finished", { status: "PENDING", reads, readErrors, waitedMs, deadlineInMs: lastSeen ? lastSeen.deadlineAt - Date.now() : undefined });
  return result("PENDING", { turnId: key.turnId, waitedMs: String(waitedMs) });
}

function finish(
  verdict: Exclude<Verdict, { status: "PENDING" }>,
  settings: BridgeSettings,
  languageCode: string | undefined,
  key: TurnKey,
  startedAt: number,
  reads: number,
  metrics: Metrics,
  turnLog: Logger,
): ConnectResult {
  const waitedMs = Date.now() - startedAt;
  metrics.count(Metric.PollReads, reads);
  metrics.duration(Metric.PollWaitMs, waitedMs);
  const stored = verdict.turn ? resolveLocale(verdict.turn.locale, settings) : undefined;
  const locale: BridgeLocale = stored?.known ? stored.locale : localeFromLanguageCode(languageCode, settings);
  const common = { turnId: key.turnId, waitedMs: String(waitedMs) };
  turnLog.info("poll finished", { status: verdict.status, why: verdict.why, reads, waitedMs });
  if (verdict.status === "READY" && verdict.turn?.answer) {
    const turn = verdict.turn;
    return result("READY", {
      ...common,
      answer: turn.answer,
      Tool: turn.tool ?? "ANSWER",
      ...(turn.tool === "HANDOFF" && turn.handoff ? turn.handoff : {}),
    });
  }
  if (verdict.status === "FAILED") return result("FAILED", { ...common, message: settings.messages[locale].apology });
  return result("EXPIRED", { ...common, message: settings.messages[locale].expired });
}
