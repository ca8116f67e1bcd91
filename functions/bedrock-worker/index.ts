import { type BridgeSettings, loadBridgeSettings } from "../shared/bridge-settings";
import { resolveLocale } from "../shared/channel";
import { type InvocationContext, remainingTimeMs, requestIdOf } from "../shared/invocation";
import { type Logger, createLogger, errorFields } from "../shared/log";
import { Metric, type Metrics, createMetrics } from "../shared/metrics";
import { processTurn } from "../shared/turn-processor";
import { type Turn, type TurnKey, claimTurn, isContactId, isTurnId, newClaimToken, settleTurn } from "../shared/turn-store";

/**
 * Answers one chat turn, invoked asynchronously (InvocationType Event) by lex-fulfillment with
 * {v: 1, contactId, turnId}.
 *
 * Error policy: the handler returns normally for everything it has recorded or that retrying cannot fix
 * (malformed events, duplicate deliveries, Bedrock failures stored as FAILED). It throws only when it
 * could not record an outcome for a real turn (DynamoDB unavailable, settings missing): those are our
 * faults, they must show in the function's Errors metric, and a Lambda retry or the on-failure
 * destination can still act on them.
 */

const FUNCTION_NAME = "bedrock-worker";
const log = createLogger(FUNCTION_NAME);

/** Time kept before the turn's deadline for writing the outcome. */
const STORE_RESERVE_MS = 500;
/** Kept free before Lambda's own timeout. */
const LAMBDA_SAFETY_MS = 500;
/** Used when Lambda's remaining time is unknown (no context). */
const UNKNOWN_REMAINING_MS = 15 * 60_000;

export interface WorkerEvent {
  readonly v: 1;
  readonly contactId: string;
  readonly turnId: string;
}

export function readWorkerEvent(event: unknown): WorkerEvent | undefined {
  if (!event || typeof event !== "object" || Array.isArray(event)) return undefined;
  const e = event as Record<string, unknown>;
  if (e.v !== 1 || !isContactId(e.contactId) || !isTurnId(e.turnId)) return undefined;
  return { v: 1, contactId: e.contactId, turnId: e.turnId };
}

export async function handler(event: unknown, context?: InvocationContext): Promise<void> {
  const metrics = createMetrics(FUNCTION_NAME);
  try {
    await work(event, context, metrics);
  } finally {
    metrics.flush();
  }
}

async function work(event: unknown, context: InvocationContext | undefined, metrics: Metrics): Promise<void> {
  const requestId = requestIdOf(context);
  const request = readWorkerEvent(event);
  if (!request) {
    metrics.count(Metric.InvalidEvents);
    log.warn("ignored invalid worker event", { requestId, eventType: Array.isArray(event) ? "array" : typeof event });
    return;
  }
  const key: TurnKey = { contactId: request.contactId, turnId: request.turnId };
  const turnLog = log.child({ contactId: key.contactId, turnId: key.turnId, requestId });
  metrics.property("contactId", key.contactId);
  metrics.property("turnId", key.turnId);

  let settings: BridgeSettings;
  try {
    settings = loadBridgeSettings();
  } catch (error) {
    turnLog.error("bridge settings unavailable; turn marked FAILED", errorFields(error));
    await settleTurn(key, { status: "FAILED", reason: "configuration_error" }, Date.now(), undefined).catch((settleError: unknown) =>
      turnLog.error("could not mark the turn FAILED", errorFields(settleError)),
    );
    throw error;
  }

  const now = Date.now();
  const lambdaEnd = now + remainingTimeMs(context, UNKNOWN_REMAINING_MS) - LAMBDA_SAFETY_MS;
  const token = newClaimToken();
  let claimed: Turn;
  try {
    const claim = await claimTurn(key, { token, nowMs: now, leaseUntil: lambdaEnd });
    if (!claim.claimed) {
      await explainLostClaim(key, claim.current, now, metrics, turnLog);
      return;
    }
    claimed = claim.turn;
  } catch (error) {
    turnLog.error("could not claim the turn", errorFields(error));
    throw error;
  }

  const locale = resolveLocale(claimed.locale, settings).locale;
  const processed = await processTurn({
    turn: claimed,
    claimToken: token,
    persisted: true,
    settings,
    locale,
    answerDeadlineMs: Math.min(claimed.deadlineAt - STORE_RESERVE_MS, lambdaEnd - STORE_RESERVE_MS),
    storeDeadlineMs: Math.min(claimed.deadlineAt, lambdaEnd),
    log: turnLog,
    metrics,
  });
  const { result } = processed;
  const fields = {
    outcome: result.ok ? "DONE" : "FAILED",
    store: processed.store,
    modelId: result.modelId,
    attempts: result.attempts,
    latencyMs: Date.now() - claimed.createdAt,
    ...(result.ok ? { tool: result.reply.tool, source: result.reply.source } : { reason: result.reason, detail: result.detail }),
  };
  if (processed.store === "error") {
    turnLog.error("turn outcome not stored", fields);
    throw processed.storeError instanceof Error ? processed.storeError : new Error("turn outcome not stored");
  }
  if (result.ok) turnLog.info("turn answered", fields);
  else turnLog.warn("turn failed", fields);
}

/** Why the claim did not succeed: a duplicate delivery, a turn that is gone, or one whose time ran out. */
async function explainLostClaim(key: TurnKey, current: Turn | undefined, now: number, metrics: Metrics, turnLog: Logger): Promise<void> {
  if (!current) {
    metrics.count(Metric.InvalidEvents);
    turnLog.warn("turn not found; nothing to answer");
    return;
  }
  if (current.status !== "PENDING") {
    metrics.count(Metric.DuplicateDeliveries);
    turnLog.info("duplicate delivery: turn already settled", { status: current.status });
    return;
  }
  if (current.deadlineAt <= now) {
    // Started too late (queued event, cold start): settle it so the poller stops waiting at once.
    const settled = await settleTurn(key, { status: "FAILED", reason: "deadline_passed_before_start" }, now, undefined);
    if (settled) metrics.count(Metric.AnswersFailed);
    turnLog.warn("turn deadline passed before the worker started", { lateByMs: now - current.deadlineAt, settled });
    return;
  }
  metrics.count(Metric.DuplicateDeliveries);
  turnLog.info("duplicate delivery: turn is being answered by another run", { leaseUntil: current.leaseUntil });
}
