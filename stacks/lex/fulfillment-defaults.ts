import type { Engine, Locale } from "../../config/schema/common";
import type { FulfillmentSettingsInput } from "../../config/schema/lex";

/**
 * The kit's default fulfillment settings per engine and locale. Progress updates only play on
 * streaming conversations (Connect voice); post-fulfillment responses play on both channels. After
 * every turn control returns to the Connect flow (EndConversation), which reads the session attributes
 * (`Tool`, `bridgeStatus`) and decides: ask again, poll for the answer, or hand off.
 */
const MESSAGES: Record<Locale, Record<"start" | "update" | "failure" | "timeout", string>> = {
  ja_JP: {
    start: "お調べしますので、少々お待ちください。",
    update: "ただいま確認しております。もう少しだけお待ちください。",
    failure: "申し訳ございません。ただいまお答えできませんでした。担当者におつなぎすることもできますので、お申し付けください。",
    timeout: "申し訳ございません。お答えに時間がかかっております。担当者におつなぎすることもできますので、お申し付けください。",
  },
  en_US: {
    start: "Let me look that up for you. One moment, please.",
    update: "I'm still checking. Thank you for waiting.",
    failure: "I'm sorry, I couldn't answer that just now. I can connect you to a member of our team if you'd like.",
    timeout: "I'm sorry, this is taking longer than expected. I can connect you to a member of our team if you'd like.",
  },
};

/** The Lex response placeholder Q in Connect fills with its answer. */
export const Q_IN_CONNECT_RESPONSE = "((x-amz-lex:q-in-connect-response))";

export function defaultFulfillment(engine: Engine, locale: Locale): FulfillmentSettingsInput {
  const m = MESSAGES[locale];
  return {
    updatesActive: true,
    timeoutSeconds: 60,
    start: { delaySeconds: engine === "q-in-connect" ? 2 : 3, messages: [m.start], allowInterrupt: false },
    update: { frequencySeconds: 10, messages: [m.update], allowInterrupt: false },
    // The bridge's Lambda returns its own messages; Q in Connect's answer arrives in a request attribute.
    success: engine === "q-in-connect" ? { messages: [Q_IN_CONNECT_RESPONSE], allowInterrupt: true, nextStep: "EndConversation" } : undefined,
    failure: { messages: [m.failure], allowInterrupt: true, nextStep: "EndConversation" },
    timeout: { messages: [m.timeout], allowInterrupt: true, nextStep: "EndConversation" },
  };
}
