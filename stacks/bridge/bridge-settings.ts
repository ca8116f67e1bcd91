import { type BridgeSettings, validateBridgeSettings } from "../../functions/shared/bridge-settings";
import { chatStrategy, type EnvironmentConfig } from "../../config/schema/environment";
import { shortestFulfillmentTimeout } from "../lex/fulfillment";
import { CHANNEL_LIMITS } from "../latency/limits";
import { definedOnly } from "../objects";
import { readPrompt } from "../prompts";
import { DEFAULT_BRIDGE_MESSAGES } from "./default-messages";

/** Time kept back from a Lex limit for Lex, Connect and the response itself. */
const SYNC_MARGIN_MS = 1500;

/**
 * The settings.json the bridge functions read, built from the environment config: models, limits,
 * per-locale messages (defaults merged with overrides) and system prompts (template + appendix), and
 * the time budgets derived from the Lex and Connect limits of each channel. Validated with the schema the
 * functions read it with (BridgeSettingsSchema): settings the functions would refuse fail synth, with a
 * SettingsError naming the environment and each bad field's path.
 */
export function buildBridgeSettings(env: EnvironmentConfig): BridgeSettings {
  const bridge = env.bridge;
  if (!bridge) throw new Error(`environment ${env.name} has no bridge section`);
  const strategy = chatStrategy(env);
  const fulfillmentMs = shortestFulfillmentTimeout(env, "bedrock-bridge") * 1000;
  const chatLimitMs =
    strategy === "streaming" ? Math.min(CHANNEL_LIMITS.chatLexStreaming * 1000, fulfillmentMs) : CHANNEL_LIMITS.chatLexStandard * 1000;
  const messages = Object.fromEntries(
    env.locales.map((locale) => [locale, { ...DEFAULT_BRIDGE_MESSAGES[locale], ...definedOnly(bridge.messages[locale] ?? {}) }]),
  ) as BridgeSettings["messages"];
  const systemPrompts = Object.fromEntries(
    env.locales.map((locale) => {
      const appendix = bridge.systemPromptAppendix[locale];
      const template = readPrompt(env, locale, "bedrock-bridge-system.md").trim();
      return [locale, appendix ? `${template}\n\n${appendix.trim()}` : template];
    }),
  ) as BridgeSettings["systemPrompts"];
  const settings: BridgeSettings = {
    version: 1,
    defaultLocale: env.locales[0],
    locales: [...env.locales],
    chatStrategy: strategy,
    models: { ...bridge.models },
    knowledgeBaseId: bridge.knowledgeBaseId,
    retrievalResults: bridge.retrievalResults,
    guardrail: bridge.guardrail ? { ...bridge.guardrail } : undefined,
    maxTokens: bridge.maxTokens,
    temperature: bridge.temperature,
    historyTurns: bridge.historyTurns,
    maxUtteranceChars: bridge.maxUtteranceChars,
    maxAnswerChars: bridge.maxAnswerChars,
    budgets: {
      voiceMs: fulfillmentMs - SYNC_MARGIN_MS,
      chatSyncMs: chatLimitMs - SYNC_MARGIN_MS,
      turnTimeoutMs: bridge.poll.turnTimeoutSeconds * 1000,
      pollerBudgetMs: bridge.poll.pollerBudgetMs,
      pollIntervalMs: bridge.poll.intervalMs,
    },
    ttlHours: bridge.table.ttlHours,
    messages,
    systemPrompts,
  };
  try {
    return validateBridgeSettings(settings);
  } catch (error) {
    (error as Error).message = `environment ${env.name}: ${(error as Error).message}`;
    throw error;
  }
}
