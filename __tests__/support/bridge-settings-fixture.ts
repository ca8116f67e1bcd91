import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type BridgeSettings, resetBridgeSettingsCache, validateBridgeSettings } from "../../functions/shared/bridge-settings";

/**
 * Bridge settings for tests: the real shape (checked by the real validator) with budgets short enough
 * for a fast suite, written to a temp file that BRIDGE_SETTINGS_PATH points at.
 */

export const TEST_PROMPTS = {
  ja_JP: "あなたはテスト用コンタクトセンターのアシスタントです。[prompt-ja]",
  en_US: "You are the assistant of a test contact center. [prompt-en]",
} as const;

type Overrides = Omit<Partial<BridgeSettings>, "budgets"> & { budgets?: Partial<BridgeSettings["budgets"]> };

export function testSettings(overrides: Overrides = {}): BridgeSettings {
  const base: BridgeSettings = {
    version: 1,
    defaultLocale: "ja_JP",
    locales: ["ja_JP", "en_US"],
    chatStrategy: "poll",
    models: { chat: "apac.amazon.nova-lite-v1:0", voice: "apac.anthropic.claude-3-haiku-20240307-v1:0" },
    retrievalResults: 3,
    maxTokens: 300,
    temperature: 0.2,
    historyTurns: 4,
    maxUtteranceChars: 200,
    maxAnswerChars: 1500,
    budgets: { voiceMs: 2_000, chatSyncMs: 2_000, turnTimeoutMs: 2_500, pollerBudgetMs: 400, pollIntervalMs: 25 },
    ttlHours: 24,
    messages: {
      ja_JP: {
        interim: "[interim-ja] 回答を準備しています。少々お待ちください。",
        apology: "[apology-ja] 申し訳ございません。担当者におつなぎできます。",
        emptyInput: "[empty-ja] ご用件を入力してください。",
        tooLong: "[toolong-ja] メッセージが長すぎます。短くしてください。",
        expired: "[expired-ja] 回答に時間がかかっています。担当者におつなぎできます。",
      },
      en_US: {
        interim: "[interim-en] One moment while I look into that.",
        apology: "[apology-en] Sorry, I could not answer. An agent can help you.",
        emptyInput: "[empty-en] Please type your question.",
        tooLong: "[toolong-en] That message is too long. Please shorten it.",
        expired: "[expired-en] This is taking too long. An agent can help you.",
      },
    },
    systemPrompts: { ...TEST_PROMPTS },
  };
  const { budgets, ...rest } = overrides;
  return validateBridgeSettings({ ...base, ...rest, budgets: { ...base.budgets, ...budgets } });
}

let settingsDir: string | undefined;

/** Writes settings where the functions will read them and forgets any cached copy. */
export function installSettings(settings: BridgeSettings): void {
  settingsDir ??= fs.mkdtempSync(path.join(os.tmpdir(), "bridge-settings-"));
  const file = path.join(settingsDir, "settings.json");
  fs.writeFileSync(file, JSON.stringify(settings));
  process.env.BRIDGE_SETTINGS_PATH = file;
  resetBridgeSettingsCache();
}
