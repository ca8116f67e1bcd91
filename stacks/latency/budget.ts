import type { Channel } from "../../config/schema/common";
import { chatStrategy, type EnvironmentConfig } from "../../config/schema/environment";
import { catalogueWith, checkModelForRegion, parseModelId } from "../../config/models";
import { chatPollSettings } from "../../flows/chat/poll";
import { QConnectSession } from "../../functions/shared/flow-contract";
import { shortestFulfillmentTimeout } from "../lex/fulfillment";
import { BRIDGE_RETRIEVAL_SECONDS, CHANNEL_LIMITS, PLATFORM_OVERHEAD_SECONDS, POLLER_INVOKE_OVERHEAD_SECONDS, PRE_PROCESSING_SHARE } from "./limits";

/** One configured path checked against its channel's limit. */
export interface LatencyPath {
  readonly channel: Channel;
  readonly engine: string;
  /** The model(s) on the path, as configured. */
  readonly models: string;
  /** Expected seconds from the customer's message to the answer. */
  readonly expectedSeconds: number;
  /** The limit the path must fit, in seconds. */
  readonly limitSeconds: number;
  /** Which limit that is. */
  readonly limitName: string;
  readonly fits: boolean;
  /** What to change when it does not fit. */
  readonly remedies: readonly string[];
}

/** Thrown at synth time when a configured path cannot fit its channel's limit. */
export class LatencyBudgetError extends Error {
  constructor(
    readonly environment: string,
    readonly paths: readonly LatencyPath[],
  ) {
    super(
      `latency budget exceeded in environment "${environment}":\n` +
        paths
          .map(
            (p) =>
              `  - ${p.channel} (${p.engine}) with ${p.models}: expected ${p.expectedSeconds.toFixed(1)} s, limit ${p.limitSeconds} s (${p.limitName})\n` +
              p.remedies.map((r) => `      remedy: ${r}`).join("\n"),
          )
          .join("\n"),
    );
    this.name = "LatencyBudgetError";
  }
}

/** Expected answer seconds of a model: the environment's override, else the catalogue's figure. */
export function expectedModelSeconds(env: EnvironmentConfig, modelId: string): number {
  const { baseId } = parseModelId(modelId);
  const override = env.latency.modelSeconds[modelId] ?? env.latency.modelSeconds[baseId];
  if (override !== undefined) return override;
  const info = catalogueWith(env.models.extra)[baseId];
  if (!info) throw new Error(`no latency figure for model ${modelId}; add it to latency.modelSeconds`);
  return info.expectedSeconds;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The fastest catalogue models usable for a purpose in the environment's region, for remedy hints. */
function fasterModels(env: EnvironmentConfig, thanSeconds: number, qInConnect: boolean): string[] {
  const catalogue = catalogueWith(env.models.extra);
  const candidates = Object.keys(catalogue).flatMap((baseId) => {
    const info = catalogue[baseId];
    const ids = [...info.profiles.map((p) => `${p}.${baseId}`), ...(info.inRegion.length ? [baseId] : [])];
    return ids.filter((id) => !checkModelForRegion(catalogue, id, env.region, { qInConnect }));
  });
  return [...new Set(candidates)]
    .map((id) => ({ id, s: expectedModelSeconds(env, id) }))
    .filter((m) => m.s < thanSeconds)
    .sort((a, b) => a.s - b.s)
    .slice(0, 3)
    .map((m) => `${m.id} (~${m.s} s)`);
}

function bridgePaths(env: EnvironmentConfig): LatencyPath[] {
  const bridge = env.bridge;
  if (!bridge) return [];
  const retrieval = bridge.knowledgeBaseId ? BRIDGE_RETRIEVAL_SECONDS : 0;
  const paths: LatencyPath[] = [];
  if (env.channels.chat.engine === "bedrock-bridge") {
    const model = bridge.models.chat;
    const expected = round(expectedModelSeconds(env, model) + retrieval + PLATFORM_OVERHEAD_SECONDS);
    const strategy = chatStrategy(env);
    const [limitSeconds, limitName] =
      strategy === "poll"
        ? [bridge.poll.turnTimeoutSeconds, "bridge.poll.turnTimeoutSeconds (the poll window of one turn)"]
        : strategy === "streaming"
          ? [
              Math.min(CHANNEL_LIMITS.chatLexStreaming, shortestFulfillmentTimeout(env, "bedrock-bridge")),
              "chat with message streaming (60 s) and the Lex fulfillment timeout",
            ]
          : [CHANNEL_LIMITS.chatLexStandard, "standard chat Lex timeout (hard limit)"];
    const faster = fasterModels(env, expected - retrieval - PLATFORM_OVERHEAD_SECONDS, false);
    paths.push({
      channel: "chat",
      engine: `bedrock-bridge, ${strategy} strategy`,
      models: model,
      expectedSeconds: expected,
      limitSeconds,
      limitName,
      fits: expected <= limitSeconds,
      remedies: [
        ...(faster.length ? [`use a faster chat model: bridge.models.chat = ${faster.join(" or ")}`] : []),
        ...(strategy === "standard" ? ['use message streaming (channels.chat.strategy: "streaming", 60 s)'] : []),
        ...(strategy !== "poll" ? ['use the bridge\'s poll strategy (channels.chat.strategy: "poll"), which has no Lex timeout'] : []),
        ...(strategy === "poll" ? ["raise bridge.poll.turnTimeoutSeconds"] : []),
      ],
    });
  }
  if (env.channels.voice.engine === "bedrock-bridge") {
    const model = bridge.models.voice;
    const expected = round(expectedModelSeconds(env, model) + retrieval + PLATFORM_OVERHEAD_SECONDS);
    const limitSeconds = shortestFulfillmentTimeout(env, "bedrock-bridge");
    const faster = fasterModels(env, expected - retrieval - PLATFORM_OVERHEAD_SECONDS, false);
    paths.push({
      channel: "voice",
      engine: "bedrock-bridge",
      models: model,
      expectedSeconds: expected,
      limitSeconds,
      limitName: "Lex fulfillment timeout (lex.fulfillment.bedrock-bridge.<locale>)",
      fits: expected <= limitSeconds,
      remedies: [
        "turn on fulfillment updates and raise timeoutSeconds (up to 900 s)",
        ...(faster.length ? [`use a faster voice model: bridge.models.voice = ${faster.join(" or ")}`] : []),
      ],
    });
  }
  return paths;
}

/**
 * Expected seconds of one Q in Connect self-service turn with an agent's models: half the pre-processing
 * model's time (its output is a short tool call), the answer-generation model's time, retrieval and the
 * platform overhead.
 */
export function expectedAgentSeconds(env: EnvironmentConfig, agent: { readonly preProcessing: string; readonly answerGeneration: string }): number {
  const model = expectedModelSeconds(env, agent.preProcessing) * PRE_PROCESSING_SHARE + expectedModelSeconds(env, agent.answerGeneration);
  return round(model + (env.qInConnect?.retrievalSeconds ?? 0) + PLATFORM_OVERHEAD_SECONDS);
}

function qInConnectPaths(env: EnvironmentConfig): LatencyPath[] {
  const q = env.qInConnect;
  if (!q) return [];
  const paths: LatencyPath[] = [];
  for (const channel of ["chat", "voice"] as const) {
    if (env.channels[channel].engine !== "q-in-connect") continue;
    const agent = q.agents[channel];
    const expected = expectedAgentSeconds(env, agent);
    const fulfillment = shortestFulfillmentTimeout(env, "q-in-connect");
    const strategy = channel === "chat" ? chatStrategy(env) : undefined;
    const [limitSeconds, limitName] =
      channel === "voice"
        ? [fulfillment, "Lex fulfillment timeout (lex.fulfillment.q-in-connect.<locale>)"]
        : strategy === "streaming"
          ? [Math.min(CHANNEL_LIMITS.chatLexStreaming, fulfillment), "chat with message streaming (60 s) and the Lex fulfillment timeout"]
          : [CHANNEL_LIMITS.chatLexStandard, "standard chat Lex timeout (hard limit)"];
    const faster = fasterModels(env, expectedModelSeconds(env, agent.answerGeneration), true);
    paths.push({
      channel,
      engine: channel === "chat" ? `q-in-connect, ${strategy} strategy` : "q-in-connect",
      models: `${agent.preProcessing} (pre-processing) + ${agent.answerGeneration} (answer generation)`,
      expectedSeconds: expected,
      limitSeconds,
      limitName,
      fits: expected <= limitSeconds,
      remedies:
        channel === "chat"
          ? [
              ...(faster.length ? [`use a faster chat agent model: qInConnect.agents.chat.* = ${faster.join(" or ")}`] : []),
              ...(strategy !== "streaming" ? ['turn on message streaming (channels.chat.strategy: "streaming", 60 s)'] : []),
              'answer chat with the Bedrock bridge\'s poll strategy (channels.chat = {engine: "bedrock-bridge", strategy: "poll"})',
            ]
          : [
              "turn on fulfillment updates and raise timeoutSeconds (up to 900 s)",
              ...(faster.length ? [`use a faster voice agent model: qInConnect.agents.voice.* = ${faster.join(" or ")}`] : []),
            ],
    });
  }
  return paths;
}

/**
 * The chat flow's synchronous call of the answer-poller must return inside the time limit the flow gives
 * it (flows/chat/poll.ts derives it from the poller's budget, at most Connect's 8 s).
 */
function pollerPath(env: EnvironmentConfig): LatencyPath[] {
  if (!env.bridge || env.channels.chat.engine !== "bedrock-bridge" || chatStrategy(env) !== "poll") return [];
  const { pollerBudgetMs, turnTimeoutSeconds } = env.bridge.poll;
  const expected = round(pollerBudgetMs / 1000 + POLLER_INVOKE_OVERHEAD_SECONDS);
  const limit = chatPollSettings({ pollerArn: "answer-poller", pollerBudgetMs, turnTimeoutSeconds }).invokeTimeoutSeconds;
  return [
    {
      channel: "chat",
      engine: "bedrock-bridge answer-poller (one flow call)",
      models: "none",
      expectedSeconds: expected,
      limitSeconds: limit,
      limitName: `the chat flow's Invoke AWS Lambda block (${limit} s; Connect allows ${CHANNEL_LIMITS.flowLambdaSync} s synchronously)`,
      fits: expected <= limit,
      remedies: ["lower bridge.poll.pollerBudgetMs"],
    },
  ];
}

/** Each Q in Connect flow calls qconnect-session synchronously before the greeting. */
function sessionPath(env: EnvironmentConfig): LatencyPath[] {
  const channels = (["chat", "voice"] as const).filter((c) => env.channels[c].engine === "q-in-connect");
  if (!env.qInConnect || channels.length === 0) return [];
  const expected = round(QConnectSession.budgetMs / 1000 + POLLER_INVOKE_OVERHEAD_SECONDS);
  return channels.map((channel) => ({
    channel,
    engine: "q-in-connect qconnect-session (one flow call, before the greeting)",
    models: "none",
    expectedSeconds: expected,
    limitSeconds: QConnectSession.flowTimeoutSeconds,
    limitName: "the flow's Invoke AWS Lambda block for qconnect-session",
    fits: expected <= QConnectSession.flowTimeoutSeconds,
    remedies: ["raise QConnectSession.flowTimeoutSeconds (at most 8 s) or lower its budget in functions/shared/flow-contract.ts"],
  }));
}

/** Every configured self-service path with its expected time and limit. */
export function latencyPaths(env: EnvironmentConfig): LatencyPath[] {
  return [...bridgePaths(env), ...pollerPath(env), ...qInConnectPaths(env), ...sessionPath(env)];
}

/** Throws LatencyBudgetError when any configured path cannot fit its channel. */
export function assertLatencyBudget(env: EnvironmentConfig): LatencyPath[] {
  const paths = latencyPaths(env);
  const over = paths.filter((p) => !p.fits);
  if (over.length) throw new LatencyBudgetError(env.name, over);
  return paths;
}
