import type { Locale } from "../../config/schema/common";
import type { FlowDocument } from "../language";
import { buildSelfServiceFlow, type SelfServiceFlowProps } from "../self-service";

/** Text-to-speech and recording of the voice channel. */
export interface VoiceSettings {
  /** Polly voice of the flow's own prompts (the bot speaks with its locale's voice). */
  readonly voiceId: string;
  readonly engine: "standard" | "neural" | "long-form" | "generative";
  /** Recorded participants; empty turns recording off. */
  readonly recording: readonly ("Agent" | "Customer")[];
  /** Contact Lens post-contact analytics (needs both participants recorded). */
  readonly analytics: boolean;
}

export interface VoiceFlowProps extends SelfServiceFlowProps {
  readonly voice: VoiceSettings;
}

const ANALYTICS_LANGUAGES: Readonly<Record<Locale, string>> = { ja_JP: "ja-JP", en_US: "en-US" };

/**
 * The voice flow: the shared skeleton (flows/self-service.ts) after setting the voice and the recording
 * and analytics behaviour. The bot plays Lex's fulfillment progress updates while a slow answer is
 * prepared (Connect talks to Lex over its streaming API on voice), so the flow needs no polling.
 */
export function buildVoiceFlow(props: VoiceFlowProps): FlowDocument {
  const { voice } = props;
  return buildSelfServiceFlow(props, {
    channel: "VOICE",
    setup: (flow, next) => {
      const recording = flow.updateContactRecordingBehavior("set-recording", {
        participants: voice.recording,
        analytics: voice.analytics
          ? {
              Enabled: "True",
              AnalyticsLanguage: ANALYTICS_LANGUAGES[props.locale],
              AnalyticsRedactionBehavior: "Enabled",
              AnalyticsRedactionResults: "RedactedAndOriginal",
              ChannelConfiguration: { Voice: { AnalyticsModes: ["PostContact"] } },
            }
          : undefined,
        next,
      });
      return flow.updateContactTextToSpeechVoice("set-voice", { voice: voice.voiceId, engine: voice.engine, next: recording, onError: recording });
    },
  });
}
