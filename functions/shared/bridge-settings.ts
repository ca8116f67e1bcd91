import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Settings of the Bedrock bridge functions. The stack writes them at synth time as `settings.json` into
 * each function's package (so they change the code hash and need no 4 KB environment space); resource
 * names that Terraform resolves (table, worker function) come as environment variables instead.
 */

export type BridgeLocale = "ja_JP" | "en_US";
export type ChatStrategy = "poll" | "streaming" | "standard";

export interface BridgeMessageSet {
  /** Sent at once on chat while the answer is prepared (poll strategy). */
  readonly interim: string;
  /** Sent when no answer could be produced, with an offer to reach an agent. */
  readonly apology: string;
  /** Sent when the customer's message is empty. */
  readonly emptyInput: string;
  /** Sent when the customer's message is longer than `maxUtteranceChars`. */
  readonly tooLong: string;
  /** Sent when the poll window ran out before the answer arrived. */
  readonly expired: string;
}

export interface BridgeSettings {
  readonly version: 1;
  readonly defaultLocale: BridgeLocale;
  readonly locales: readonly BridgeLocale[];
  readonly chatStrategy: ChatStrategy;
  /** Converse model id per channel. */
  readonly models: { readonly chat: string; readonly voice: string };
  readonly knowledgeBaseId?: string;
  readonly retrievalResults: number;
  readonly guardrail?: { readonly id: string; readonly version: string };
  readonly maxTokens: number;
  readonly temperature: number;
  readonly historyTurns: number;
  readonly maxUtteranceChars: number;
  readonly maxAnswerChars: number;
  readonly budgets: {
    /** Time allowed for a synchronous voice answer (the Lex fulfillment timeout less a margin). */
    readonly voiceMs: number;
    /** Time allowed for a synchronous chat answer (streaming or standard strategy). */
    readonly chatSyncMs: number;
    /** A turn still PENDING this long after it started is EXPIRED. */
    readonly turnTimeoutMs: number;
    /** How long one answer-poller call waits before returning PENDING. */
    readonly pollerBudgetMs: number;
    /** Pause between reads in the answer-poller. */
    readonly pollIntervalMs: number;
  };
  readonly ttlHours: number;
  readonly messages: Readonly<Record<BridgeLocale, BridgeMessageSet>>;
  /** Full system prompt per locale. */
  readonly systemPrompts: Readonly<Record<BridgeLocale, string>>;
}

/** Thrown when settings.json is missing or malformed: a packaging error, reported at cold start. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

function requireNumber(obj: Record<string, unknown>, key: string, where: string): void {
  if (typeof obj[key] !== "number" || !Number.isFinite(obj[key])) throw new SettingsError(`${where}.${key} must be a number`);
}

/** Checks the shape of parsed settings; returns them typed or throws SettingsError naming the field. */
export function validateBridgeSettings(value: unknown): BridgeSettings {
  if (!value || typeof value !== "object") throw new SettingsError("settings must be an object");
  const s = value as Record<string, unknown>;
  if (s.version !== 1) throw new SettingsError(`settings.version must be 1, got ${JSON.stringify(s.version)}`);
  const locales = s.locales;
  if (!Array.isArray(locales) || locales.length === 0) throw new SettingsError("settings.locales must be a non-empty array");
  if (typeof s.defaultLocale !== "string" || !locales.includes(s.defaultLocale)) {
    throw new SettingsError("settings.defaultLocale must be one of settings.locales");
  }
  if (!["poll", "streaming", "standard"].includes(String(s.chatStrategy))) {
    throw new SettingsError("settings.chatStrategy must be poll, streaming or standard");
  }
  const models = s.models as Record<string, unknown> | undefined;
  if (!models || typeof models.chat !== "string" || typeof models.voice !== "string") {
    throw new SettingsError("settings.models.chat and settings.models.voice must be strings");
  }
  for (const key of ["retrievalResults", "maxTokens", "temperature", "historyTurns", "maxUtteranceChars", "maxAnswerChars", "ttlHours"]) {
    requireNumber(s, key, "settings");
  }
  const budgets = s.budgets as Record<string, unknown> | undefined;
  if (!budgets || typeof budgets !== "object") throw new SettingsError("settings.budgets must be an object");
  for (const key of ["voiceMs", "chatSyncMs", "turnTimeoutMs", "pollerBudgetMs", "pollIntervalMs"]) {
    requireNumber(budgets, key, "settings.budgets");
  }
  const messages = s.messages as Record<string, Record<string, unknown>> | undefined;
  const prompts = s.systemPrompts as Record<string, unknown> | undefined;
  for (const locale of locales as string[]) {
    const set = messages?.[locale];
    for (const key of ["interim", "apology", "emptyInput", "tooLong", "expired"]) {
      if (typeof set?.[key] !== "string" || !(set[key] as string).length) {
        throw new SettingsError(`settings.messages.${locale}.${key} must be a non-empty string`);
      }
    }
    if (typeof prompts?.[locale] !== "string") throw new SettingsError(`settings.systemPrompts.${locale} must be a string`);
  }
  return value as BridgeSettings;
}

/** File name of the settings inside a function package. */
export const SETTINGS_FILE = "settings.json";

let cached: BridgeSettings | undefined;

/**
 * Loads settings once per container: from `BRIDGE_SETTINGS_PATH` when set (tests), otherwise from
 * `settings.json` beside the bundled handler.
 */
export function loadBridgeSettings(): BridgeSettings {
  if (!cached) {
    const file = process.env.BRIDGE_SETTINGS_PATH ?? path.join(__dirname, SETTINGS_FILE);
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      throw new SettingsError(`cannot read bridge settings from ${file}: ${(error as Error).message}`);
    }
    cached = validateBridgeSettings(parsed);
  }
  return cached;
}

/** Forgets the cached settings (tests). */
export function resetBridgeSettingsCache(): void {
  cached = undefined;
}
