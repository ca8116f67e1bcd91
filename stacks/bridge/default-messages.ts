import type { BridgeMessageSet } from "../../functions/shared/bridge-settings";
import type { Locale } from "../../config/schema/common";

/** The bridge's customer-facing messages when the environment does not override them. */
export const DEFAULT_BRIDGE_MESSAGES: Readonly<Record<Locale, BridgeMessageSet>> = {
  ja_JP: {
    interim: "ただいま回答を準備しています。少々お待ちください。",
    apology: "申し訳ございません。ただいまお答えできませんでした。担当者におつなぎすることもできますので、「担当者」とお伝えください。",
    emptyInput: "ご質問の内容を入力してください。",
    tooLong: "申し訳ございません。メッセージが長すぎます。ご質問を短くまとめてお送りください。",
    expired: "申し訳ございません。回答の準備に時間がかかっております。もう一度お尋ねいただくか、「担当者」とお伝えください。",
  },
  en_US: {
    interim: "I'm preparing your answer. One moment, please.",
    apology: "I'm sorry, I couldn't answer that just now. Say \"agent\" if you'd like to talk to a member of our team.",
    emptyInput: "Please type your question.",
    tooLong: "I'm sorry, that message is too long. Please send a shorter question.",
    expired: "I'm sorry, your answer is taking too long. Please ask again, or say \"agent\" to talk to a member of our team.",
  },
};
