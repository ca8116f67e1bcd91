import { InvokeCommand } from "@aws-sdk/client-lambda";
import { lambdaClient } from "../shared/aws-clients";
import { BridgeStatus, LEX_CHANNEL_PLATFORM_ATTRIBUTE, SessionAttribute, Tool } from "../shared/flow-contract";
import { type BridgeLocale, type BridgeSettings, loadBridgeSettings } from "../shared/bridge-settings";
import { type Channel, resolveChannel, resolveLocale } from "../shared/channel";
import { tableName, workerFunctionName } from "../shared/environment";
import { type InvocationContext, remainingTimeMs, requestIdOf } from "../shared/invocation";
import { type LexRequest, type LexV2Response, FALLBACK_INTENT, closeResponse, delegateResponse, readLexEvent, withBridgeAttributes } from "../shared/lex-event";
import { type Logger, createLogger, errorFields } from "../shared/log";
import { Metric, type Metrics, createMetrics } from "../shared/metrics";
import { classifyError, timeoutSignal } from "../shared/retry";
import { LAST_RESORT_MESSAGE, checkUtterance } from "../shared/text";
import { processTurn } from "../shared/turn-processor";
import { type NewTurn, type Turn, abandonTurn, createTurn, isContactId, newClaimToken, newTurnId, settleTurn } from "../shared/turn-store";

/**
 * Lex V2 code hook of the bridge bot's fallback intent.
 *
 * Chat with the "poll" strategy: store a PENDING turn, start bedrock-worker asynchronously and return the
 * interim message at once (Connect gives a chat Lex call 10 s); the flow then polls answer-poller.
 * Voice, and chat with the "streaming"/"standard" strategy: answer synchronously within the channel's
 * budget. Every path returns a valid Lex response; nothing is thrown toward Lex.
 *
 * Session attributes set: bridgeStatus (PENDING | READY | FAILED), bridgeTurnId, and on READY `Tool`
 * (ANSWER | HANDOFF | COMPLETE) plus, on HANDOFF, customer_issue, bot_response, conversation_summary,
 * escalation_reason.
 */

const FUNCTION_NAME = "lex-fulfillment";
const log = createLogger(FUNCTION_NAME);

/** Creating the turn and starting the worker must fit well inside Lex's 10 s chat limit. */
const ASYNC_START_BUDGET_MS = 4_000;
/**
 * Kept at the end of the async start for cleaning up after a write or an Invoke that did not answer in
 * time (closing the turn, checking whether the worker took it), so the cleanup itself has time to land.
 */
const CLEANUP_RESERVE_MS = 500;
/** A cleanup write is never given less than this. */
const MIN_CLEANUP_MS = 200;
/** The reason stored on a turn closed because its creating write did not answer in time. */
const STORE_TIMEOUT_REASON = "store_timeout";
/** Kept free before Lambda's own timeout so the response always gets out. */
const LAMBDA_SAFETY_MS = 500;
/** Time kept after the answer for writing it. */
const STORE_RESERVE_MS = 300;
/** Storing the turn before a synchronous answer is for history only; it may not eat the answer's time. */
const SYNC_CREATE_TIMEOUT_MS = 1_000;
/** Used when Lambda's remaining time is unknown (no context). */
const UNKNOWN_REMAINING_MS = 30_000;

interface TurnContext {
  readonly request: LexRequest;
  readonly settings: BridgeSettings;
  readonly locale: BridgeLocale;
  readonly contactId: string;
  readonly channel: Channel;
  readonly utterance: string;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly invocation?: InvocationContext;
  readonly startedAt: number;
}

function failedResponse(request: LexRequest | undefined, message: string, turnId?: string): LexV2Response {
  const attributes = withBridgeAttributes(request?.sessionAttributes ?? {}, { status: BridgeStatus.failed, turnId });
  return closeResponse(request?.intent.name ?? FALLBACK_INTENT, attributes, [message]);
}

/** A failed write that may still have been applied: it timed out on our side or failed in transit. */
function mayHaveLanded(error: unknown): boolean {
  const kind = classifyError(error);
  return kind === "timeout" || kind === "transient";
}

/**
 * Closes a turn whose creating write may land after we gave up (see abandonTurn), and counts it. Never
 * throws: a failure here leaves the turn to its TTL, which StoreErrors already reports.
 */
async function closeUncertainTurn(turn: NewTurn, claimToken: string | undefined, timeoutMs: number, metrics: Metrics, turnLog: Logger): Promise<void> {
  try {
    const result = await abandonTurn(turn, STORE_TIMEOUT_REASON, Date.now(), claimToken, { signal: timeoutSignal(Math.max(MIN_CLEANUP_MS, timeoutMs)) });
    if (result !== "settled") metrics.count(Metric.TurnsAbandoned);
    turnLog.warn("turn write did not answer in time; turn closed as FAILED", { turnId: turn.turnId, result, reason: STORE_TIMEOUT_REASON });
  } catch (error) {
    turnLog.error("could not close a turn whose write did not answer in time; it stays until its TTL", { turnId: turn.turnId, ...errorFields(error) });
  }
}

function tryLoadSettings(): BridgeSettings | undefined {
  try {
    return loadBridgeSettings();
  } catch (error) {
    log.error("bridge settings unavailable", errorFields(error));
    return undefined;
  }
}

/** The contact key: the flow's `contactId` session attribute, else the Lex session id (Connect uses the contact id). */
function contactIdOf(request: LexRequest): string | undefined {
  const fromFlow = request.sessionAttributes[SessionAttribute.contactId];
  if (isContactId(fromFlow)) return fromFlow;
  return isContactId(request.sessionId) ? request.sessionId : undefined;
}

export async function handler(event: unknown, context?: InvocationContext): Promise<LexV2Response> {
  const metrics = createMetrics(FUNCTION_NAME);
  const startedAt = Date.now();
  let request: LexRequest | undefined;
  try {
    request = readLexEvent(event);
    return await fulfill(request, context, metrics, startedAt);
  } catch (error) {
    // Every expected failure is handled below; this is the guard against a bug turning into a Lex error.
    log.error("unexpected failure", { requestId: requestIdOf(context), ...errorFields(error) });
    const settings = tryLoadSettings();
    return failedResponse(request, settings ? settings.messages[settings.defaultLocale].apology : LAST_RESORT_MESSAGE);
  } finally {
    metrics.flush();
  }
}

async function fulfill(request: LexRequest | undefined, invocation: InvocationContext | undefined, metrics: Metrics, startedAt: number): Promise<LexV2Response> {
  const requestId = requestIdOf(invocation);
  const settings = tryLoadSettings();
  if (!settings) return failedResponse(request, LAST_RESORT_MESSAGE);
  const defaultMessages = settings.messages[settings.defaultLocale];
  if (!request) {
    metrics.count(Metric.InvalidEvents);
    log.warn("rejected event: not an object", { requestId });
    return failedResponse(undefined, defaultMessages.apology);
  }
  if (request.invocationSource === "DialogCodeHook") {
    log.info("dialog code hook delegated to Lex", { requestId, intent: request.intent.name });
    return delegateResponse(request.intent, request.sessionAttributes);
  }
  if (request.invocationSource !== "FulfillmentCodeHook") {
    metrics.count(Metric.InvalidEvents);
    log.warn("rejected event: unexpected invocationSource", { requestId, invocationSource: String(request.invocationSource).slice(0, 40) });
    return failedResponse(request, defaultMessages.apology);
  }
  const locale = resolveLocale(request.localeId, settings);
  if (!locale.known) {
    metrics.count(Metric.InvalidEvents);
    log.warn("rejected event: locale not configured for the bridge", { requestId, localeId: locale.requested });
    return failedResponse(request, defaultMessages.apology);
  }
  const messages = settings.messages[locale.locale];
  const contactId = contactIdOf(request);
  if (!contactId) {
    metrics.count(Metric.InvalidEvents);
    log.warn("rejected event: no usable contactId session attribute or sessionId", { requestId });
    return failedResponse(request, messages.apology);
  }
  const turnLog = log.child({ contactId, requestId });
  metrics.property("contactId", contactId);
  const channel = resolveChannel({
    sessionChannel: request.sessionAttributes[SessionAttribute.channel],
    platform: request.requestAttributes[LEX_CHANNEL_PLATFORM_ATTRIBUTE],
    inputMode: request.inputMode,
  });
  const utterance = checkUtterance(request.inputTranscript, settings.maxUtteranceChars);
  if (!utterance.ok) {
    metrics.count(Metric.InputRejected);
    turnLog.info("customer input rejected", { problem: utterance.problem, length: utterance.length, channel });
    // The reply to this input is final (ask again), so the flow goes back to input as after an answer.
    const attributes = withBridgeAttributes(request.sessionAttributes, { status: BridgeStatus.ready, tool: Tool.answer });
    return closeResponse(request.intent.name, attributes, [utterance.problem === "empty" ? messages.emptyInput : messages.tooLong]);
  }
  const turn: TurnContext = { request, settings, locale: locale.locale, contactId, channel, utterance: utterance.text, log: turnLog, metrics, invocation, startedAt };
  if (channel === "chat" && settings.chatStrategy === "poll") return startAsyncTurn(turn);
  return answerSynchronously(turn);
}

function newTurn(turn: TurnContext, nowMs: number, claim?: { token: string; leaseUntil: number }): NewTurn {
  return {
    contactId: turn.contactId,
    turnId: newTurnId(nowMs),
    utterance: turn.utterance,
    locale: turn.locale,
    channel: turn.channel,
    createdAt: nowMs,
    deadlineAt: nowMs + turn.settings.budgets.turnTimeoutMs,
    expiresAt: Math.floor(nowMs / 1000) + Math.round(turn.settings.ttlHours * 3600),
    modelId: turn.settings.models[turn.channel],
    ...(claim ? { claimToken: claim.token, leaseUntil: claim.leaseUntil } : {}),
  };
}

async function startAsyncTurn(turn: TurnContext): Promise<LexV2Response> {
  const { request, settings, log: turnLog, metrics } = turn;
  const messages = settings.messages[turn.locale];
  const endMs = turn.startedAt + Math.min(ASYNC_START_BUDGET_MS, remainingTimeMs(turn.invocation, UNKNOWN_REMAINING_MS) - LAMBDA_SAFETY_MS);
  // Writes and the Invoke stop CLEANUP_RESERVE_MS before the end, so a cleanup after one of them still fits.
  const timeLeft = () => Math.max(1, endMs - CLEANUP_RESERVE_MS - Date.now());
  const cleanupLeft = () => Math.max(MIN_CLEANUP_MS, endMs - Date.now());
  let functionName: string;
  let pending: NewTurn | undefined;
  try {
    tableName();
    functionName = workerFunctionName();
    pending = newTurn(turn, Date.now());
    // A clash needs two turns of one contact in the same millisecond with the same 40 random bits; retry once anyway.
    if (!(await createTurn(pending, { signal: timeoutSignal(timeLeft()) }))) {
      pending = newTurn(turn, Date.now());
      if (!(await createTurn(pending, { signal: timeoutSignal(timeLeft()) }))) throw new Error("turn id clash twice");
    }
  } catch (error) {
    metrics.count(Metric.StoreErrors);
    turnLog.error("could not start the turn", { channel: "chat", ...errorFields(error) });
    // The write may still land after we answer Lex: close the turn so it never sits PENDING unpolled.
    if (pending && mayHaveLanded(error)) await closeUncertainTurn(pending, undefined, cleanupLeft(), metrics, turnLog);
    return failedResponse(request, messages.apology);
  }
  const turnLogWithId = turnLog.child({ turnId: pending.turnId });
  metrics.property("turnId", pending.turnId);
  const pendingResponse = () => {
    const attributes = withBridgeAttributes(request.sessionAttributes, { status: BridgeStatus.pending, turnId: pending.turnId });
    return closeResponse(request.intent.name, attributes, [messages.interim]);
  };
  try {
    const response = await lambdaClient().send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: "Event",
        Payload: Buffer.from(JSON.stringify({ v: 1, contactId: pending.contactId, turnId: pending.turnId })),
      }),
      { abortSignal: timeoutSignal(timeLeft()) },
    );
    if (response.StatusCode !== 202) throw new Error(`async invoke answered status ${response.StatusCode}`);
  } catch (error) {
    // Not heard back is not "not started": an Invoke that timed out on our side may have queued the
    // worker, which may even have answered already. Close the turn only if no worker took it.
    let closed: boolean | undefined;
    try {
      closed = await settleTurn(pending, { status: "FAILED", reason: "worker_invoke_failed" }, Date.now(), undefined, { signal: timeoutSignal(cleanupLeft()), unclaimedOnly: true });
    } catch (settleError) {
      // Unknown state: the poller reports the turn EXPIRED after its deadline if nobody answers it.
      turnLogWithId.warn("could not mark the turn FAILED", errorFields(settleError));
    }
    if (closed === false) {
      // The worker claimed or settled the turn: the flow polls for its outcome, as after a confirmed start.
      metrics.count(Metric.TurnsStarted);
      metrics.count(Metric.WorkerInvokeUnconfirmed);
      turnLogWithId.warn("worker invoke unconfirmed, but the worker has the turn; answer pending", { channel: "chat", ...errorFields(error), elapsedMs: Date.now() - turn.startedAt });
      return pendingResponse();
    }
    metrics.count(Metric.WorkerInvokeErrors);
    turnLogWithId.error(closed ? "could not start the worker; turn marked FAILED" : "could not start the worker", errorFields(error));
    return failedResponse(request, messages.apology, pending.turnId);
  }
  metrics.count(Metric.TurnsStarted);
  turnLogWithId.info("turn started; answer pending", { channel: "chat", utteranceChars: pending.utterance.length, elapsedMs: Date.now() - turn.startedAt });
  return pendingResponse();
}

async function answerSynchronously(turn: TurnContext): Promise<LexV2Response> {
  const { request, settings, log: turnLog, metrics } = turn;
  const messages = settings.messages[turn.locale];
  const channelBudget = turn.channel === "voice" ? settings.budgets.voiceMs : settings.budgets.chatSyncMs;
  const endMs = turn.startedAt + Math.max(0, Math.min(channelBudget, remainingTimeMs(turn.invocation, UNKNOWN_REMAINING_MS) - LAMBDA_SAFETY_MS));
  const token = newClaimToken();
  const fresh = newTurn(turn, Date.now(), { token, leaseUntil: endMs });
  const turnLogWithId = turnLog.child({ turnId: fresh.turnId });
  metrics.property("turnId", fresh.turnId);

  let persisted = false;
  let uncertain = false;
  try {
    tableName();
    persisted = await createTurn(fresh, { signal: timeoutSignal(Math.max(1, Math.min(SYNC_CREATE_TIMEOUT_MS, endMs - Date.now()))) });
  } catch (error) {
    // An aborted write may still have landed: keep treating the turn as stored, so the (conditional)
    // settle below completes it instead of leaving it PENDING; the settle cannot create a missing item,
    // so if the write lands only after it, the turn is closed below.
    uncertain = mayHaveLanded(error);
    persisted = classifyError(error) === "timeout";
    metrics.count(Metric.StoreErrors);
    turnLogWithId.warn(persisted ? "turn store timed out; answering anyway" : "turn not stored; answering without history", errorFields(error));
  }
  const stored: Turn = { ...fresh, status: "PENDING", claims: 1 };
  const processed = await processTurn({
    turn: stored,
    claimToken: token,
    persisted,
    settings,
    locale: turn.locale,
    answerDeadlineMs: endMs - STORE_RESERVE_MS,
    storeDeadlineMs: endMs,
    log: turnLogWithId,
    metrics,
  });
  const { result } = processed;
  // The write did not answer and the settle found no turn under our claim: it may still land, PENDING.
  if (uncertain && processed.store !== "stored") await closeUncertainTurn(fresh, token, Math.min(SYNC_CREATE_TIMEOUT_MS, endMs - Date.now()), metrics, turnLogWithId);
  const elapsedMs = Date.now() - turn.startedAt;
  if (!result.ok) {
    metrics.count(Metric.SyncFailures);
    turnLogWithId.warn("no answer in time; apology sent", { channel: turn.channel, reason: result.reason, detail: result.detail, attempts: result.attempts, store: processed.store, elapsedMs });
    return failedResponse(request, messages.apology, fresh.turnId);
  }
  metrics.count(Metric.SyncAnswers);
  turnLogWithId.info("turn answered", { channel: turn.channel, tool: result.reply.tool, modelId: result.modelId, attempts: result.attempts, store: processed.store, elapsedMs });
  const attributes = withBridgeAttributes(request.sessionAttributes, {
    status: BridgeStatus.ready,
    turnId: fresh.turnId,
    tool: result.reply.tool,
    handoff: result.reply.handoff,
  });
  return closeResponse(request.intent.name, attributes, [result.reply.message]);
}
