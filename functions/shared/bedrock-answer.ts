import { RetrieveCommand } from "@aws-sdk/client-bedrock-agent-runtime";
import { ConverseCommand, type ConverseCommandInput } from "@aws-sdk/client-bedrock-runtime";
import { type ModelReply, buildToolConfig, parseConverseOutput } from "./answer-tools";
import { bedrockAgentRuntimeClient, bedrockRuntimeClient } from "./aws-clients";
import { type BridgeLocale, type BridgeSettings } from "./bridge-settings";
import { type Channel } from "./channel";
import { type Passage, type Reference, buildMessages } from "./conversation";
import { type Logger, errorFields } from "./log";
import { Metric, type Metrics } from "./metrics";
import { type FailureKind, type RetryPolicy, retryWithinDeadline } from "./retry";
import { ANSWER_MAX_BYTES, trimAnswer } from "./text";
import { type HistoryTurn } from "./turn-store";

/**
 * Produces one answer: optional knowledge-base retrieval, then Converse with the three self-service
 * tools, each retried on throttling and transient faults but never past the caller's deadline.
 */

/** Why no answer could be produced; stored as the turn's failureReason. */
export type AnswerFailure =
  | "throttled"
  | "model_unavailable"
  | "timeout"
  | "request_rejected"
  | "malformed_model_output"
  | "guardrail_blocked"
  | "content_filtered";

export interface AnswerRequest {
  readonly settings: BridgeSettings;
  readonly locale: BridgeLocale;
  readonly channel: Channel;
  readonly utterance: string;
  readonly history: readonly HistoryTurn[];
  /** Epoch milliseconds by which every Bedrock call must have ended. */
  readonly deadlineMs: number;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Overrides the default retry policy (tests of slow paths use shorter backoffs). */
  readonly retryPolicy?: RetryPolicy;
}

export type AnswerResult =
  | { readonly ok: true; readonly reply: ModelReply; readonly modelId: string; readonly attempts: number }
  | { readonly ok: false; readonly reason: AnswerFailure; readonly detail: string; readonly modelId: string; readonly attempts: number };

/** Retrieval may use at most this share of the time left, so the answer itself keeps most of it. */
const RETRIEVAL_TIME_SHARE = 0.3;
/** The Retrieve API accepts queries up to 1,000 characters. */
const RETRIEVAL_QUERY_MAX_CHARS = 1_000;

function failureFromKind(kind: FailureKind): AnswerFailure {
  switch (kind) {
    case "throttled":
      return "throttled";
    case "transient":
      return "model_unavailable";
    case "timeout":
      return "timeout";
    case "malformed":
      return "malformed_model_output";
    case "permanent":
      return "request_rejected";
  }
}

function countFailure(metrics: Metrics, kind: FailureKind): void {
  metrics.count(kind === "throttled" ? Metric.BedrockThrottles : Metric.BedrockErrors);
}

async function retrieveReference(request: AnswerRequest): Promise<Reference> {
  const { settings, log, metrics } = request;
  if (!settings.knowledgeBaseId) return { kind: "none" };
  const knowledgeBaseId = settings.knowledgeBaseId;
  const deadlineMs = Date.now() + Math.max(0, (request.deadlineMs - Date.now()) * RETRIEVAL_TIME_SHARE);
  const result = await retryWithinDeadline(
    (signal) =>
      bedrockAgentRuntimeClient().send(
        new RetrieveCommand({
          knowledgeBaseId,
          retrievalQuery: { text: Array.from(request.utterance).slice(0, RETRIEVAL_QUERY_MAX_CHARS).join("") },
          retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: settings.retrievalResults } },
        }),
        { abortSignal: signal },
      ),
    {
      deadlineMs,
      policy: request.retryPolicy,
      onFailure: (kind, error, attempt) => {
        countFailure(metrics, kind);
        log.warn("knowledge base retrieval attempt failed", { attempt, kind, ...errorFields(error) });
      },
    },
  );
  if (!result.ok) {
    metrics.count(Metric.RetrievalErrors);
    log.warn("answering without knowledge base passages", { reason: result.kind, attempts: result.attempts });
    return { kind: "unavailable" };
  }
  const passages: Passage[] = [];
  for (const item of result.value.retrievalResults ?? []) {
    const text = item.content?.text?.trim();
    if (!text) continue;
    const location = item.location;
    const source = location?.s3Location?.uri ?? location?.webLocation?.url ?? location?.confluenceLocation?.url ?? location?.sharePointLocation?.url ?? location?.salesforceLocation?.url;
    passages.push(source ? { text, source } : { text });
  }
  return passages.length ? { kind: "passages", passages } : { kind: "empty" };
}

/** Calls Bedrock for one turn. Never throws for Bedrock faults: they become a failed result. */
export async function generateAnswer(request: AnswerRequest): Promise<AnswerResult> {
  const { settings, log, metrics } = request;
  const modelId = settings.models[request.channel];
  const reference = await retrieveReference(request);
  const input: ConverseCommandInput = {
    modelId,
    system: [{ text: settings.systemPrompts[request.locale] }],
    messages: buildMessages(request.history, request.utterance, reference),
    inferenceConfig: { maxTokens: settings.maxTokens, temperature: settings.temperature },
    toolConfig: buildToolConfig(),
    ...(settings.guardrail ? { guardrailConfig: { guardrailIdentifier: settings.guardrail.id, guardrailVersion: settings.guardrail.version } } : {}),
  };
  const result = await retryWithinDeadline((signal) => bedrockRuntimeClient().send(new ConverseCommand(input), { abortSignal: signal }), {
    deadlineMs: request.deadlineMs,
    policy: request.retryPolicy,
    onFailure: (kind, error, attempt) => {
      countFailure(metrics, kind);
      log.warn("bedrock converse attempt failed", { attempt, kind, modelId, ...errorFields(error) });
    },
  });
  if (result.attempts > 1) metrics.count(Metric.BedrockRetries, result.attempts - 1);
  if (!result.ok) {
    if (result.kind === "malformed") metrics.count(Metric.MalformedModelOutput);
    return { ok: false, reason: failureFromKind(result.kind), detail: errorFields(result.error).errorName as string, modelId, attempts: result.attempts };
  }
  const parsed = parseConverseOutput(result.value);
  if (!parsed.ok) {
    if (parsed.reason === "malformed_model_output") metrics.count(Metric.MalformedModelOutput);
    if (parsed.reason === "guardrail_blocked") metrics.count(Metric.GuardrailInterventions);
    return { ok: false, reason: parsed.reason, detail: parsed.detail, modelId, attempts: result.attempts };
  }
  if (parsed.reply.guardrailIntervened) metrics.count(Metric.GuardrailInterventions);
  if (parsed.reply.source === "text") log.info("model replied with plain text; treated as ANSWER", { modelId });
  if (parsed.reply.missingFields) {
    metrics.count(Metric.IncompleteHandoffs);
    log.warn("HANDOFF without some summary fields; handing over with placeholders", { modelId, missingFields: parsed.reply.missingFields });
  }
  const message = trimAnswer(parsed.reply.message, settings.maxAnswerChars, ANSWER_MAX_BYTES);
  return { ok: true, reply: { ...parsed.reply, message }, modelId, attempts: result.attempts };
}
