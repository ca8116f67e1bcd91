/**
 * Text rules shared by the bridge: cleaning customer utterances, bounding answers to what Connect and
 * Lex accept, and splitting answers into Lex messages.
 */

/** Lex V2 rejects a message whose content is longer than this. */
export const LEX_MESSAGE_MAX_CHARS = 1000;
/** Lex V2 plays or sends at most this many messages per response. */
export const LEX_MAX_MESSAGES = 10;
/**
 * Most UTF-8 bytes of a Lex response's session attributes (keys and values) the kit writes. Lex V1
 * documents 12 KB for session and request attributes together; Lex V2 publishes no figure, so the kit
 * keeps to V1's until V2's is confirmed. Handoff fields are what can approach it (see answer-tools.ts).
 */
export const LEX_SESSION_ATTRIBUTES_MAX_BYTES = 12_000;
/**
 * Stored answers stay under this many UTF-8 bytes: Connect chat messages are capped at 16,384 bytes and
 * the poller's whole result (answer + handoff fields) must stay under Connect's 32 KB Lambda result limit.
 */
export const ANSWER_MAX_BYTES = 12_000;

const ELLIPSIS = "…";

/**
 * Said when not even the configured messages are available (settings.json unreadable): both locales the
 * kit ships, since the customer's language is unknown then.
 */
export const LAST_RESORT_MESSAGE =
  "Sorry, we could not process your message. An agent can help you. / 申し訳ございません。メッセージを処理できませんでした。担当者がお手伝いします。";

// C0/C1 controls except tab and newline, bidi overrides/isolates and zero-width characters that can hide
// text from a reviewer while still reaching the model.
const INVISIBLE_OR_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// Lone surrogates are not valid Unicode and DynamoDB rejects them in strings.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes control and invisible characters, normalizes line breaks and outer whitespace. */
export function cleanText(raw: string): string {
  return raw
    .replace(/\r\n?/g, "\n")
    .replace(INVISIBLE_OR_CONTROL, "")
    .replace(LONE_SURROGATE, "")
    .normalize("NFC")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Length in Unicode code points (what a customer perceives as characters, emoji included). */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

export type UtteranceCheck =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly problem: "empty" | "tooLong"; readonly length: number };

/** Cleans an utterance and checks it is non-empty and at most `maxChars` code points. */
export function checkUtterance(raw: unknown, maxChars: number): UtteranceCheck {
  if (typeof raw !== "string") return { ok: false, problem: "empty", length: 0 };
  // Cheap guard before the linear clean-up: a string this long cannot pass the limit after cleaning.
  if (raw.length > maxChars * 4 + 1024) return { ok: false, problem: "tooLong", length: raw.length };
  const text = cleanText(raw);
  const length = codePointLength(text);
  if (length === 0) return { ok: false, problem: "empty", length };
  if (length > maxChars) return { ok: false, problem: "tooLong", length };
  return { ok: true, text };
}

// A sentence ends after Japanese 。！？ (plus closing brackets/quotes) or after Latin .!? followed by
// whitespace; a line break is also a boundary. The whitespace after a boundary stays with the sentence
// so that joining segments gives back the original text.
const SENTENCE_END = /(?:[。！？][」』）)"'’”]*|[.!?][)"'’”\]]*(?=\s)|\n)\s*/g;

/** Cuts text into sentence segments whose concatenation is the original text. */
export function sentenceSegments(text: string): string[] {
  const segments: string[] = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = (match.index ?? 0) + match[0].length;
    if (end > start) segments.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) segments.push(text.slice(start));
  return segments;
}

/** The longest prefix with at most `maxChars` code points and `maxBytes` UTF-8 bytes. */
function boundedPrefix(text: string, maxChars: number, maxBytes: number): string {
  let chars = 0;
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, "utf8");
    if (chars + 1 > maxChars || bytes + size > maxBytes) break;
    chars += 1;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

/** The longest prefix of at most `maxUnits` UTF-16 units that does not split a surrogate pair. */
function unitPrefix(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  const code = text.charCodeAt(maxUnits - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? maxUnits - 1 : maxUnits);
}

/** Cuts one over-long segment into pieces of at most `maxUnits`, preferring to cut at whitespace. */
function hardSplit(segment: string, maxUnits: number): string[] {
  const pieces: string[] = [];
  let rest = segment;
  while (rest.length > maxUnits) {
    let piece = unitPrefix(rest, maxUnits);
    const space = piece.search(/\s\S*$/);
    if (space > maxUnits / 2) piece = piece.slice(0, space + 1);
    pieces.push(piece);
    rest = rest.slice(piece.length);
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/**
 * Splits an answer into at most `maxMessages` messages of at most `maxChars` UTF-16 units each (Lex's
 * limit), packing whole sentences together and cutting only sentences that alone are too long. If the
 * text still does not fit, the last message ends with an ellipsis.
 */
export function splitMessages(text: string, maxChars = LEX_MESSAGE_MAX_CHARS, maxMessages = LEX_MAX_MESSAGES): string[] {
  const pieces = sentenceSegments(text).flatMap((segment) => hardSplit(segment, maxChars));
  const messages: string[] = [];
  let current = "";
  for (const piece of pieces) {
    if ((current + piece).trim().length > maxChars) {
      if (current.trim()) messages.push(current.trim());
      current = piece;
    } else {
      current += piece;
    }
  }
  if (current.trim()) messages.push(current.trim());
  if (messages.length <= maxMessages) return messages;
  const kept = messages.slice(0, maxMessages);
  kept[maxMessages - 1] = unitPrefix(kept[maxMessages - 1], maxChars - ELLIPSIS.length).trimEnd() + ELLIPSIS;
  return kept;
}

/**
 * Bounds an answer to `maxChars` code points and `maxBytes` UTF-8 bytes. A cut answer ends at the last
 * sentence boundary when that keeps most of the text, and with an ellipsis otherwise.
 */
export function trimAnswer(raw: string, maxChars: number, maxBytes = ANSWER_MAX_BYTES): string {
  const text = cleanText(raw);
  if (codePointLength(text) <= maxChars && utf8Bytes(text) <= maxBytes) return text;
  const cut = boundedPrefix(text, maxChars - 1, maxBytes - utf8Bytes(ELLIPSIS));
  if (/[。！？.!?][」』）)"'’”\]]*$/.test(cut.trimEnd())) return cut.trimEnd();
  const segments = sentenceSegments(cut);
  if (segments.length > 1) {
    const whole = segments.slice(0, -1).join("").trimEnd();
    if (whole.length >= cut.length * 0.6) return whole;
  }
  return cut.trimEnd() + ELLIPSIS;
}

/**
 * Bounds a short field (handoff summaries) to `maxChars` code points and `maxBytes` UTF-8 bytes, cut at a
 * character (code point) boundary and ending with an ellipsis when cut.
 */
export function boundField(raw: string, maxChars: number, maxBytes = Number.MAX_SAFE_INTEGER): string {
  const text = cleanText(raw);
  if (codePointLength(text) <= maxChars && utf8Bytes(text) <= maxBytes) return text;
  if (maxBytes < utf8Bytes(ELLIPSIS) || maxChars < 1) return "";
  return boundedPrefix(text, maxChars - 1, maxBytes - utf8Bytes(ELLIPSIS)).trimEnd() + ELLIPSIS;
}
