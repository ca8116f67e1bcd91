/**
 * The campaign's two sizes: `full` (npm run soak) and `quick` (the version `npm test` runs). Both use the
 * issue's fault rates on the handler-level soak: Bedrock throttling / 5xx / slow answers on 10 % of turns,
 * duplicate async deliveries on 5 % and worker crashes on 2 % of chat turns, DynamoDB throttling on 1 % of
 * requests. The flow sample uses three times those rates (it is small; faults are what it is for).
 */
import type { EnvironmentConfig } from "../../config/schema/environment";
import { environmentFor } from "../../flows/simulator/integration/simulation";
import type { SoakSetup } from "./campaign";
import type { FlowSampleSetup } from "./flow-sample";

export const RATES = {
  bedrockFaultRate: 0.1,
  duplicateRate: 0.05,
  crashRate: 0.02,
  dynamoThrottleRate: 0.01,
} as const;

export interface CampaignConfig {
  readonly soak: Omit<SoakSetup, "seed" | "progress">;
  readonly flows: Omit<FlowSampleSetup, "seed" | "progress">;
  readonly fuzzCasesPerHandler: number;
}

/** dev with a shorter turn deadline (the schema's range is 10-600 s; the shipped value is 90 s). */
function devWithDeadline(seconds: number): EnvironmentConfig {
  const dev = environmentFor("dev");
  if (!dev.bridge) throw new Error("dev has no bridge section");
  return environmentFor("dev", { bridge: { ...dev.bridge, poll: { ...dev.bridge.poll, turnTimeoutSeconds: seconds } } });
}

/** stg with a shorter Lex fulfillment timeout on the bridge bot (the shipped value is 60 s). */
function stgWithVoiceTimeout(seconds: number): EnvironmentConfig {
  const stg = environmentFor("stg");
  const fulfillment = { ...stg.lex.fulfillment, "bedrock-bridge": Object.fromEntries(stg.locales.map((locale) => [locale, { timeoutSeconds: seconds }])) };
  return environmentFor("stg", { lex: { ...stg.lex, fulfillment } });
}

const sampleRates = {
  bedrockFaultRate: RATES.bedrockFaultRate * 3,
  duplicateRate: RATES.duplicateRate * 3,
  crashRate: RATES.crashRate * 3,
  qInConnectFailureRate: 0.1,
};

/**
 * npm run soak: 500 conversations of 20 turns (10,000 turns; 40 % voice) on the shipped dev (chat, poll)
 * and stg (voice) configurations, customers taking 3-12 s per message, answers of 0.5-6 s; slow answers
 * of 12-60 s (chat: past Lex's 10 s, within the 90 s deadline; voice: within the 58.5 s budget).
 */
export function fullCampaign(): CampaignConfig {
  const dev = environmentFor("dev");
  const stg = environmentFor("stg");
  return {
    soak: {
      ...RATES,
      conversations: 500,
      turnsPerConversation: 20,
      voiceShare: 0.4,
      arrivalSpreadMs: 30_000,
      thinkMs: [3_000, 12_000],
      answerMs: [500, 6_000],
      slowMs: { chat: [12_000, 60_000], voice: [12_000, 50_000] },
      handoffRate: 0.02,
      completeRate: 0.01,
      longAnswerRate: 0.02,
      chatEnvironment: dev,
      voiceEnvironment: stg,
      machineAllowanceMs: 5_000,
    },
    flows: {
      ...sampleRates,
      environments: [
        { env: dev, channels: ["chat", "voice"] },
        { env: stg, channels: ["chat", "voice"] },
      ],
      contactsPerChannel: 10,
      turnsPerConversation: 4,
      arrivalSpreadMs: 0,
      thinkMs: [2_000, 10_000],
      answerMs: [500, 6_000],
      slowMs: { chat: [12_000, 60_000], voice: [12_000, 45_000] },
      handoffRate: 0.02,
      completeRate: 0.01,
      longAnswerRate: 0,
      speed: 20,
      overheadAllowanceMs: 8_000,
    },
    fuzzCasesPerHandler: 1_000,
  };
}

/**
 * npm test: 50 conversations of 10 turns (500 turns), short think and answer times, and deadlines cut to
 * fit a test (chat: a 15 s turn deadline; voice: a 12 s fulfillment timeout), so that a turn that waits
 * for its deadline (a model that never answers, a crashed worker) takes seconds, not minutes.
 */
export function quickCampaign(): CampaignConfig {
  const dev = devWithDeadline(15);
  const stg = stgWithVoiceTimeout(12);
  return {
    soak: {
      ...RATES,
      conversations: 50,
      turnsPerConversation: 10,
      voiceShare: 0.4,
      arrivalSpreadMs: 1_000,
      thinkMs: [50, 400],
      answerMs: [100, 600],
      slowMs: { chat: [10_500, 12_000], voice: [4_000, 8_000] },
      handoffRate: 0.02,
      completeRate: 0.01,
      longAnswerRate: 0.02,
      chatEnvironment: dev,
      voiceEnvironment: stg,
      machineAllowanceMs: 5_000,
    },
    flows: {
      ...sampleRates,
      environments: [
        { env: dev, channels: ["chat", "voice"] },
        { env: stg, channels: ["chat", "voice"] },
      ],
      contactsPerChannel: 1,
      turnsPerConversation: 3,
      arrivalSpreadMs: 0,
      thinkMs: [1_000, 4_000],
      answerMs: [300, 3_000],
      slowMs: { chat: [11_000, 12_000], voice: [4_000, 8_000] },
      handoffRate: 0,
      completeRate: 0,
      longAnswerRate: 0,
      speed: 20,
      overheadAllowanceMs: 8_000,
    },
    fuzzCasesPerHandler: 200,
  };
}
