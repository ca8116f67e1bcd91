import { type BridgeLocale, type BridgeSettings } from "./bridge-settings";

/**
 * Which channel and locale a turn belongs to. Chat and voice differ in time budget (chat's Lex call has a
 * hard 10 s limit) and in model, so getting the channel wrong would break chat.
 */

export type Channel = "chat" | "voice";

export interface ChannelHints {
  /** Session attribute `channel` set by the flow from $.Channel (CHAT or VOICE). */
  readonly sessionChannel?: unknown;
  /** Request attribute `x-amz-lex:channels:platform` (Connect sends "Connect Chat" on chat). */
  readonly platform?: unknown;
  /** Lex inputMode: Text, Speech or DTMF. */
  readonly inputMode?: unknown;
}

export function resolveChannel(hints: ChannelHints): Channel {
  if (typeof hints.sessionChannel === "string") {
    const value = hints.sessionChannel.trim().toUpperCase();
    if (value === "CHAT") return "chat";
    if (value === "VOICE") return "voice";
  }
  if (typeof hints.platform === "string" && /chat/i.test(hints.platform)) return "chat";
  if (hints.inputMode === "Speech" || hints.inputMode === "DTMF") return "voice";
  return "chat";
}

export type LocaleResolution =
  | { readonly known: true; readonly locale: BridgeLocale }
  | { readonly known: false; readonly locale: BridgeLocale; readonly requested: string };

/** A locale the settings support, or the default locale (for the message) marked as unknown. */
export function resolveLocale(requested: unknown, settings: BridgeSettings): LocaleResolution {
  const match = settings.locales.find((locale) => locale === requested);
  if (match) return { known: true, locale: match };
  return { known: false, locale: settings.defaultLocale, requested: typeof requested === "string" ? requested.slice(0, 40) : typeof requested };
}

/**
 * Maps a Connect language code ("ja-JP", "en-US") or a Lex locale id ("ja_JP") to a supported locale,
 * falling back to the default locale.
 */
export function localeFromLanguageCode(code: unknown, settings: BridgeSettings): BridgeLocale {
  if (typeof code === "string") {
    const normalized = code.trim().replace("-", "_");
    const match = settings.locales.find((locale) => locale.toLowerCase() === normalized.toLowerCase());
    if (match) return match;
  }
  return settings.defaultLocale;
}
