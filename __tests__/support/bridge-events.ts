import { type InvocationContext } from "../../functions/shared/invocation";

/** Builders for the events Lex and Connect send, shaped like the real ones. */

let counter = 0;

/** A Connect-style contact id (UUID). */
export function contactId(): string {
  counter += 1;
  const hex = (counter.toString(16) + Math.random().toString(16).slice(2)).padEnd(32, "0").slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface LexEventOptions {
  readonly contactId?: string;
  readonly text?: string;
  readonly channel?: "CHAT" | "VOICE";
  readonly inputMode?: "Text" | "Speech" | "DTMF";
  readonly localeId?: string;
  readonly invocationSource?: string;
  readonly sessionAttributes?: Record<string, string>;
  readonly platform?: string;
}

export function lexEvent(options: LexEventOptions = {}): Record<string, unknown> {
  const id = options.contactId ?? contactId();
  const voice = options.channel === "VOICE";
  return {
    messageVersion: "1.0",
    invocationSource: options.invocationSource ?? "FulfillmentCodeHook",
    inputMode: options.inputMode ?? (voice ? "Speech" : "Text"),
    responseContentType: voice ? "audio/pcm" : "text/plain; charset=utf-8",
    sessionId: id,
    inputTranscript: options.text ?? "営業時間を教えてください",
    bot: { id: "BOTID12345", name: "bridge-bot", aliasId: "TSTALIASID", aliasName: "live", localeId: options.localeId ?? "ja_JP", version: "1" },
    interpretations: [{ intent: { name: "FallbackIntent", slots: {}, state: "ReadyForFulfillment", confirmationState: "None" } }],
    requestAttributes: { "x-amz-lex:channels:platform": options.platform ?? (voice ? "Connect" : "Connect Chat") },
    sessionState: {
      sessionAttributes: { contactId: id, channel: options.channel ?? "CHAT", ...options.sessionAttributes },
      intent: { name: "FallbackIntent", slots: {}, state: "ReadyForFulfillment", confirmationState: "None" },
      originatingRequestId: "req-1",
    },
    transcriptions: [],
  };
}

export function pollEvent(contact: string, turnId: unknown, extra: { languageCode?: string; pollCount?: string } = {}): Record<string, unknown> {
  return {
    Name: "ContactFlowEvent",
    Details: {
      ContactData: {
        ContactId: contact,
        InitialContactId: contact,
        Channel: "CHAT",
        InstanceARN: "arn:aws:connect:ap-northeast-1:123456789012:instance/00000000-0000-0000-0000-000000000000",
        LanguageCode: extra.languageCode ?? "ja-JP",
        Attributes: {},
      },
      Parameters: { ...(turnId === undefined ? {} : { turnId }), ...(extra.pollCount === undefined ? {} : { pollCount: extra.pollCount }) },
    },
  };
}

/** A Lambda context whose remaining time counts down from `timeoutMs`. */
export function lambdaContext(timeoutMs = 8_000): InvocationContext {
  const started = Date.now();
  return { awsRequestId: `test-${Math.random().toString(36).slice(2)}`, getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)) };
}
