import type { Locale } from "../config/schema/common";
import type { FlowMessages } from "../config/schema/flows";

/** Everything a flow says itself, per locale (config `flows.messages` overrides single entries). */
export type FlowMessageSet = Required<FlowMessages>;

/** The flows' own texts when the environment does not override them. */
export const DEFAULT_FLOW_MESSAGES: Readonly<Record<Locale, FlowMessageSet>> = {
  ja_JP: {
    greeting: "お問い合わせありがとうございます。AIアシスタントがご用件をお伺いします。ご質問をどうぞ。",
    followUp: "ほかにご質問があればどうぞ。",
    inputTimeout: "しばらくご入力がなかったため、チャットを終了します。またのご利用をお待ちしております。",
    error: "申し訳ございません。ただいま自動応答をご利用いただけません。担当者におつなぎします。",
    agentsUnavailable: "申し訳ございません。ただいま担当者につながりません。時間をおいてお問い合わせください。",
    answerTimeout: "申し訳ございません。回答の準備に時間がかかっております。もう一度お尋ねいただくか、「担当者」とお伝えください。",
  },
  en_US: {
    greeting: "Thank you for contacting us. Our AI assistant is here to help. What can I do for you?",
    followUp: "Is there anything else I can help with?",
    inputTimeout: "We haven't heard from you for a while, so we're closing this chat. Feel free to contact us again.",
    error: "I'm sorry, our automated assistant is not available right now. Let me connect you to a member of our team.",
    agentsUnavailable: "I'm sorry, no one from our team is available right now. Please try again later.",
    answerTimeout: "I'm sorry, your answer is taking too long. Please ask again, or say \"agent\" to talk to a member of our team.",
  },
};

/** The flow texts of one locale: the kit's, with the environment's overrides. */
export function flowMessages(locale: Locale, overrides: FlowMessages | undefined): FlowMessageSet {
  const set: FlowMessageSet = { ...DEFAULT_FLOW_MESSAGES[locale] };
  for (const [key, value] of Object.entries(overrides ?? {}) as [keyof FlowMessageSet, string | undefined][]) {
    if (value !== undefined) set[key] = value;
  }
  return set;
}
