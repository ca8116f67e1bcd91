import { environmentName } from "./environment";

/**
 * CloudWatch metrics as embedded-metric-format (EMF) log lines: CloudWatch Logs extracts them without
 * any PutMetricData call (so no extra IAM permission and no added latency). One line per invocation.
 */

export const METRIC_NAMESPACE = "ContactCenterKit/Bridge";

/** Metric names; the stack's alarms and dashboard refer to these. */
export const Metric = {
  BedrockThrottles: "BedrockThrottles",
  BedrockErrors: "BedrockErrors",
  BedrockRetries: "BedrockRetries",
  RetrievalErrors: "RetrievalErrors",
  GuardrailInterventions: "GuardrailInterventions",
  MalformedModelOutput: "MalformedModelOutput",
  AnswerLatencyMs: "AnswerLatencyMs",
  AnswersStored: "AnswersStored",
  AnswersFailed: "AnswersFailed",
  DuplicateDeliveries: "DuplicateDeliveries",
  InvalidEvents: "InvalidEvents",
  TurnsStarted: "TurnsStarted",
  WorkerInvokeErrors: "WorkerInvokeErrors",
  /**
   * lex-fulfillment, chat poll: the worker's async Invoke did not confirm within the budget, but the worker
   * had already claimed or settled the turn, so the flow polls for it (counted in TurnsStarted too, not in
   * WorkerInvokeErrors: the customer gets the answer).
   */
  WorkerInvokeUnconfirmed: "WorkerInvokeUnconfirmed",
  /**
   * lex-fulfillment: a turn whose creating write timed out or failed in transit (it may still land after
   * the function gave up) was closed as FAILED (reason store_timeout), so no PENDING turn is left behind.
   */
  TurnsAbandoned: "TurnsAbandoned",
  /** A HANDOFF tool call lacked summary fields: handed off anyway, with HANDOFF_FIELD_PLACEHOLDER in their place. */
  IncompleteHandoffs: "IncompleteHandoffs",
  InputRejected: "InputRejected",
  SyncAnswers: "SyncAnswers",
  SyncFailures: "SyncFailures",
  StoreErrors: "StoreErrors",
  PollReady: "PollReady",
  PollPending: "PollPending",
  PollFailed: "PollFailed",
  PollExpired: "PollExpired",
  PollReads: "PollReads",
  PollWaitMs: "PollWaitMs",
  /** qconnect-session: the channel's AI agent was set on the session (result OK). */
  AgentSelected: "AgentSelected",
  /** qconnect-session: UpdateSession failed or ran out of time, or the function is misconfigured (result ERROR). */
  AgentSelectionFailed: "AgentSelectionFailed",
  /** qconnect-session: how long the flow waited for the function's result, every outcome. */
  AgentSelectionMs: "AgentSelectionMs",
} as const;
export type MetricName = (typeof Metric)[keyof typeof Metric];

type Unit = "Count" | "Milliseconds";

export interface Metrics {
  /** Adds to a counter. */
  count(name: MetricName, value?: number): void;
  /** Records a duration sample. */
  duration(name: MetricName, ms: number): void;
  /** Adds a searchable, non-dimension field to the line (contactId, turnId). */
  property(key: string, value: string | number): void;
  /** Writes the line if anything was recorded; later calls write only what was recorded since. */
  flush(): void;
}

export type MetricsSink = (line: string) => void;

let sink: MetricsSink = (line) => process.stdout.write(`${line}\n`);

/** Replaces the metrics sink and returns the previous one (tests). */
export function setMetricsSink(next: MetricsSink): MetricsSink {
  const previous = sink;
  sink = next;
  return previous;
}

/** A recorder for one invocation of `functionName` (the dimension value, e.g. "bedrock-worker"). */
export function createMetrics(functionName: string): Metrics {
  const values = new Map<MetricName, { unit: Unit; samples: number[] }>();
  const properties: Record<string, string | number> = {};
  const add = (name: MetricName, unit: Unit, value: number, sum: boolean) => {
    if (!Number.isFinite(value)) return;
    const entry = values.get(name) ?? { unit, samples: [] };
    if (sum && entry.samples.length) entry.samples[0] += value;
    else entry.samples.push(value);
    values.set(name, entry);
  };
  return {
    count: (name, value = 1) => add(name, "Count", value, true),
    duration: (name, ms) => add(name, "Milliseconds", Math.max(0, Math.round(ms)), false),
    property: (key, value) => {
      properties[key] = value;
    },
    flush: () => {
      if (values.size === 0) return;
      const line: Record<string, unknown> = {
        ...properties,
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            {
              Namespace: METRIC_NAMESPACE,
              Dimensions: [["Environment", "Function"]],
              Metrics: [...values].map(([name, { unit }]) => ({ Name: name, Unit: unit })),
            },
          ],
        },
        Environment: environmentName(),
        Function: functionName,
      };
      for (const [name, { samples }] of values) line[name] = samples.length === 1 ? samples[0] : samples;
      values.clear();
      sink(JSON.stringify(line));
    },
  };
}
