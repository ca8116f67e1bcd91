import { UpdateSessionCommand } from "@aws-sdk/client-qconnect";
import { qconnectClient } from "../shared/aws-clients";
import { ContactChannel, QConnectSession, type SessionStatus } from "../shared/flow-contract";
import { type InvocationContext, budgetMs as invocationBudgetMs, requestIdOf } from "../shared/invocation";
import { createLogger, describeError, errorFields, type Logger } from "../shared/log";
import { createMetrics, Metric, type MetricName, type Metrics } from "../shared/metrics";
import { type RetryPolicy, retryWithinDeadline } from "../shared/retry";
import { AGENT_VERSION_RE, isRecord, UUID_PATTERN, UUID_RE } from "../shared/values";

/**
 * Selects the channel's SELF_SERVICE AI agent for one contact's Q in Connect session. A Connect flow
 * calls it synchronously (Invoke AWS Lambda function block) right after the flow created the session,
 * so chat can run a faster agent than voice on the same assistant.
 *
 * Connect reads the result as flat string attributes and waits at most 8 s, so the handler never
 * throws and always returns {status, channel, aiAgentId, message} within its own time budget.
 *
 * Because it never throws, Lambda's Errors metric stays at zero when agents cannot be selected; the
 * function reports every outcome as an embedded metric instead (one line per invocation): AgentSelected,
 * AgentSelectionFailed (UpdateSession failed or ran out of time, or the function is misconfigured),
 * InvalidEvents (the flow sent something unusable) and AgentSelectionMs (how long the flow waited).
 */

/** What Connect sends; only the fields this function reads. */
export interface ConnectFlowEvent {
  Details?: {
    ContactData?: { Channel?: unknown; ContactId?: unknown };
    Parameters?: Record<string, unknown>;
  };
}

/** Flat string map: the only response shape Connect accepts from a flow Lambda. */
export interface SessionResult {
  [key: string]: string;
  status: SessionStatus;
  channel: string;
  aiAgentId: string;
  message: string;
}

/** `$.Wisdom.SessionArn`: arn:<partition>:wisdom:<region>:<account>:session/<assistantId>/<sessionId>. */
const SESSION_ARN_RE = new RegExp(`^arn:aws[a-z-]*:wisdom:([a-z0-9-]+):[0-9]{12}:session/(${UUID_PATTERN})/(${UUID_PATTERN})$`);

/** Whole-call budget: well below Connect's 8 s limit, so a flow block limit of 4 s covers it plus a cold start. */
export const BUDGET_MS = QConnectSession.budgetMs;
/** One HTTP attempt; two attempts fit the budget, so a single slow or throttled call can be retried. */
const ATTEMPT_TIMEOUT_MS = 1100;
/** Two attempts with a short backoff: a throttle or a hung attempt gets one more try inside the budget. */
const RETRY_POLICY: RetryPolicy = { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 200, minAttemptMs: 200 };
/** Left for writing the log line and returning when the Lambda itself is about to time out. */
const RETURN_MARGIN_MS = 250;
const MAX_MESSAGE_CHARS = 500;

type Channel = (typeof ContactChannel)[keyof typeof ContactChannel];
const Param = QConnectSession.parameters;

interface Settings {
  assistantId: string;
  agents: Record<Channel, string>;
}

/** Reports a problem that becomes an ERROR result with this message. */
class InputError extends Error {
  override name = "InputError";
}

function readSettings(env: NodeJS.ProcessEnv): Settings {
  const assistantId = env.ASSISTANT_ID?.trim() ?? "";
  if (!UUID_RE.test(assistantId)) {
    throw new InputError(`function configuration: ASSISTANT_ID must be the assistant's UUID, got "${assistantId}"`);
  }
  const agent = (name: "AGENT_CHAT" | "AGENT_VOICE"): string => {
    const value = env[name]?.trim() ?? "";
    if (!AGENT_VERSION_RE.test(value)) {
      throw new InputError(`function configuration: ${name} must be an AI agent version id (<uuid>:<version>), got "${value}"`);
    }
    return value;
  };
  return { assistantId, agents: { CHAT: agent("AGENT_CHAT"), VOICE: agent("AGENT_VOICE") } };
}

/** The channel parameter wins when the flow sets it; an empty value falls back to the contact's channel. */
function resolveChannel(parameters: Record<string, unknown>, contactData: Record<string, unknown>): Channel {
  const param = parameters[Param.channel];
  if (param !== undefined && typeof param !== "string") {
    throw new InputError("Details.Parameters.channel must be a string (VOICE or CHAT)");
  }
  const fromParam = param?.trim();
  const raw = fromParam ? fromParam : contactData.Channel;
  const where = fromParam ? "Details.Parameters.channel" : "Details.ContactData.Channel";
  if (typeof raw !== "string" || raw.trim() === "") {
    throw new InputError("no channel: set Details.Parameters.channel or send Details.ContactData.Channel (VOICE or CHAT)");
  }
  const channel = raw.trim().toUpperCase();
  if (channel !== ContactChannel.voice && channel !== ContactChannel.chat) {
    throw new InputError(`unsupported channel "${raw.trim().slice(0, 40)}" in ${where}: only VOICE and CHAT have a self-service AI agent`);
  }
  return channel;
}

interface Request {
  contactId: string;
  channel: Channel;
  sessionId: string;
  aiAgentId: string;
}

function parseEvent(event: unknown, settings: Settings): Request {
  if (!isRecord(event)) throw new InputError("event must be a Connect flow event object");
  const details = event.Details;
  if (!isRecord(details)) throw new InputError("event.Details is missing: this function must be called from a Connect flow");
  const parameters = details.Parameters === undefined ? {} : details.Parameters;
  if (!isRecord(parameters)) throw new InputError("Details.Parameters must be an object");
  const contactData = details.ContactData === undefined ? {} : details.ContactData;
  if (!isRecord(contactData)) throw new InputError("Details.ContactData must be an object");

  const channel = resolveChannel(parameters, contactData);

  const arnValue = parameters[Param.sessionArn];
  if (typeof arnValue !== "string" || arnValue.trim() === "") {
    throw new InputError("Details.Parameters.sessionArn is missing: pass $.Wisdom.SessionArn after the flow created the session");
  }
  const arn = arnValue.trim();
  const match = SESSION_ARN_RE.exec(arn);
  if (!match) throw new InputError(`Details.Parameters.sessionArn is not a Q in Connect session ARN: "${arn.slice(0, 200)}"`);
  const region = match[1];
  const assistantId = match[2];
  const sessionId = match[3];
  if (assistantId !== settings.assistantId) {
    throw new InputError(`session belongs to assistant ${assistantId}, not to this function's assistant ${settings.assistantId}`);
  }
  const ownRegion = process.env.AWS_REGION;
  if (ownRegion && region !== ownRegion) {
    throw new InputError(`session is in region ${region} but this function runs in ${ownRegion}`);
  }
  const contactId = typeof contactData.ContactId === "string" ? contactData.ContactId : "";
  return { contactId, channel, sessionId, aiAgentId: settings.agents[channel] };
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS - 3)}...` : text;
}

const Key = QConnectSession.result;
const Status = QConnectSession.status;

function result(status: SessionStatus, channel: string, aiAgentId: string, message: string): SessionResult {
  return { [Key.status]: status, [Key.channel]: channel, [Key.aiAgentId]: aiAgentId, [Key.message]: clip(message) };
}

async function updateSession(settings: Settings, request: Request, budgetMs: number, log: Logger, started: number): Promise<SessionResult> {
  const deadlineMs = Date.now() + budgetMs;
  const command = { assistantId: settings.assistantId, sessionId: request.sessionId, aiAgentConfiguration: { SELF_SERVICE: { aiAgentId: request.aiAgentId } } };
  const outcome = await retryWithinDeadline((abortSignal) => qconnectClient().send(new UpdateSessionCommand(command), { abortSignal }), {
    deadlineMs,
    policy: RETRY_POLICY,
    attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
  });
  if (outcome.ok) {
    log.info("AI agent set for session", { outcome: Status.ok, durationMs: Date.now() - started, attempts: outcome.attempts });
    return result(Status.ok, request.channel, request.aiAgentId, `SELF_SERVICE AI agent set for ${request.channel}`);
  }
  // Names our own budget when it cut the call short, else the AWS error.
  const message =
    outcome.kind !== "timeout"
      ? `UpdateSession failed: ${describeError(outcome.error)}`
      : Date.now() >= deadlineMs - RETRY_POLICY.minAttemptMs
        ? `UpdateSession did not finish within ${budgetMs} ms`
        : `UpdateSession timed out: ${outcome.attempts} attempts of at most ${ATTEMPT_TIMEOUT_MS} ms`;
  log.error("UpdateSession failed", { outcome: Status.error, reason: "aws", durationMs: Date.now() - started, budgetMs, attempts: outcome.attempts, ...errorFields(outcome.error) });
  return result(Status.error, request.channel, request.aiAgentId, message);
}

const FUNCTION_NAME = "qconnect-session";
const baseLog = createLogger(FUNCTION_NAME);

/** What one invocation amounted to; each is counted once. */
type Outcome = "selected" | "failed" | "invalid";
const OUTCOME_METRIC: Readonly<Record<Outcome, MetricName>> = {
  selected: Metric.AgentSelected,
  failed: Metric.AgentSelectionFailed,
  invalid: Metric.InvalidEvents,
};

interface Selection {
  readonly outcome: Outcome;
  readonly result: SessionResult;
}

export async function handler(event: unknown, context?: InvocationContext): Promise<SessionResult> {
  const started = Date.now();
  const metrics = createMetrics(FUNCTION_NAME);
  let outcome: Outcome = "failed";
  try {
    const selection = await selectAgent(event, context, started, metrics);
    outcome = selection.outcome;
    return selection.result;
  } catch (error) {
    // Last line of defence: a throw would surface in the flow as a generic Lambda error.
    const fields = errorFields(error);
    return result(Status.error, "", "", `unexpected failure: ${String(fields.errorName)}: ${String(fields.errorMessage)}`);
  } finally {
    metrics.count(OUTCOME_METRIC[outcome]);
    metrics.duration(Metric.AgentSelectionMs, Date.now() - started);
    metrics.flush();
  }
}

async function selectAgent(event: unknown, context: InvocationContext | undefined, started: number, metrics: Metrics): Promise<Selection> {
  const log = baseLog.child({ requestId: requestIdOf(context) ?? "" });
  let settings: Settings | undefined;
  let request: Request;
  try {
    settings = readSettings(process.env);
    request = parseEvent(event, settings);
  } catch (error) {
    const message = error instanceof InputError ? error.message : `unexpected input failure: ${String(errorFields(error).errorMessage)}`;
    log.error("rejected event", { outcome: Status.error, reason: "input", detail: message });
    // Unusable settings are the deployment's fault (every contact fails); an unusable event is the flow's.
    return { outcome: settings ? "invalid" : "failed", result: result(Status.error, "", "", message) };
  }
  if (request.contactId) metrics.property("contactId", request.contactId);
  metrics.property("channel", request.channel);
  const contactLog = log.child({
    contactId: request.contactId,
    channel: request.channel,
    assistantId: settings.assistantId,
    sessionId: request.sessionId,
    aiAgentId: request.aiAgentId,
  });
  const budgetMs = invocationBudgetMs(context, { marginMs: RETURN_MARGIN_MS, fallbackMs: BUDGET_MS, capMs: BUDGET_MS });
  if (budgetMs <= 0) {
    contactLog.error("no time left to call UpdateSession", { outcome: Status.error, reason: "budget" });
    return { outcome: "failed", result: result(Status.error, request.channel, request.aiAgentId, "no time left before the Lambda timeout to call UpdateSession") };
  }
  const updated = await updateSession(settings, request, budgetMs, contactLog, started);
  return { outcome: updated.status === Status.ok ? "selected" : "failed", result: updated };
}
