import type { Engine, Locale } from "../../config/schema/common";
import type { EnvironmentConfig } from "../../config/schema/environment";
import { BotIntent } from "../../functions/shared/flow-contract";
import type { LexBotLocale, LexIntent } from "../cloud-control/types";
import { resolveFulfillment, toFulfillmentCodeHook } from "./fulfillment";

/** Polly neural voices used when the environment does not choose one. */
export const DEFAULT_VOICES: Readonly<Record<Locale, string>> = { ja_JP: "Kazuha", en_US: "Joanna" };


const TALK_TO_AGENT: Readonly<Record<Locale, { utterances: readonly string[]; closing: string }>> = {
  ja_JP: {
    utterances: ["担当者", "オペレーター", "担当者と話したい", "オペレーターにつないでください", "人と話したいです", "有人対応をお願いします"],
    closing: "担当者におつなぎします。少々お待ちください。",
  },
  en_US: {
    utterances: ["agent", "operator", "representative", "talk to an agent", "I want to speak to a person", "connect me to a human"],
    closing: "Connecting you to a member of our team. Please hold.",
  },
};

export interface BotLocaleOptions {
  /** The Q in Connect assistant ARN (q-in-connect engine only). */
  readonly assistantArn?: string;
}

function bridgeIntents(env: EnvironmentConfig, locale: Locale): LexIntent[] {
  const agent = TALK_TO_AGENT[locale];
  return [
    {
      Name: BotIntent.talkToAgent,
      Description: "The customer asks for a person",
      SampleUtterances: agent.utterances.map((Utterance) => ({ Utterance })),
      IntentClosingSetting: {
        IsActive: true,
        ClosingResponse: { MessageGroupsList: [{ Message: { PlainTextMessage: { Value: agent.closing } } }], AllowInterrupt: false },
        NextStep: { DialogAction: { Type: "EndConversation" } },
      },
    },
    {
      Name: BotIntent.fallback,
      Description: "Everything else: answered by the Bedrock bridge's fulfillment function",
      ParentIntentSignature: "AMAZON.FallbackIntent",
      FulfillmentCodeHook: toFulfillmentCodeHook(resolveFulfillment(env, "bedrock-bridge", locale)),
    },
  ];
}

function qInConnectIntents(env: EnvironmentConfig, locale: Locale, assistantArn: string): LexIntent[] {
  return [
    {
      Name: BotIntent.qInConnect,
      Description: "Self-service answered by the Amazon Q in Connect assistant",
      ParentIntentSignature: "AMAZON.QInConnectIntent",
      QInConnectIntentConfiguration: { QInConnectAssistantConfiguration: { AssistantArn: assistantArn } },
      FulfillmentCodeHook: toFulfillmentCodeHook(resolveFulfillment(env, "q-in-connect", locale)),
    },
    { Name: BotIntent.fallback, Description: "Required built-in fallback", ParentIntentSignature: "AMAZON.FallbackIntent" },
  ];
}

/** The `BotLocales` of one engine's bot: every configured locale with its voice and intents. */
export function botLocales(env: EnvironmentConfig, engine: Engine, options: BotLocaleOptions = {}): LexBotLocale[] {
  return env.locales.map((locale) => {
    const voice = env.lex.voices[locale];
    let intents: LexIntent[];
    if (engine === "bedrock-bridge") {
      intents = bridgeIntents(env, locale);
    } else {
      if (!options.assistantArn) throw new Error("the q-in-connect bot needs the assistant ARN");
      intents = qInConnectIntents(env, locale, options.assistantArn);
    }
    return {
      LocaleId: locale,
      NluConfidenceThreshold: env.lex.nluConfidenceThreshold,
      VoiceSettings: { VoiceId: voice?.voiceId ?? DEFAULT_VOICES[locale], Engine: voice?.engine ?? "neural" },
      Intents: intents,
    };
  });
}
