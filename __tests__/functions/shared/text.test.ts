import { ANSWER_MAX_BYTES, checkUtterance, cleanText, codePointLength, sentenceSegments, splitMessages, trimAnswer, utf8Bytes } from "../../../functions/shared/text";

describe("cleanText / checkUtterance", () => {
  test("removes control, zero-width and bidi characters and lone surrogates; keeps newlines", () => {
    expect(cleanText(" a\u0000b\u200bc\u202Ed\ud800e\r\nf\n\n\n\ng ")).toBe("abcde\nf\n\ng");
  });
  test("counts code points, so an emoji is one character", () => {
    expect(codePointLength("😀😀")).toBe(2);
    expect(checkUtterance("😀".repeat(10), 10)).toEqual({ ok: true, text: "😀".repeat(10) });
    expect(checkUtterance("😀".repeat(11), 10)).toMatchObject({ ok: false, problem: "tooLong" });
  });
  test("empty, whitespace-only and non-string input is empty", () => {
    for (const raw of ["", "   ", "\u3000\n", "\u200b", 5, null, undefined, {}]) expect(checkUtterance(raw, 100)).toMatchObject({ ok: false, problem: "empty" });
  });
  test("a huge string is rejected without cleaning all of it", () => {
    expect(checkUtterance("x".repeat(5_000_000), 100)).toMatchObject({ ok: false, problem: "tooLong", length: 5_000_000 });
  });
});

describe("splitMessages", () => {
  test("short text is one message", () => {
    expect(splitMessages("Hello. How can I help?")).toEqual(["Hello. How can I help?"]);
  });
  test("packs whole Japanese sentences into messages of at most the limit", () => {
    const sentence = "これはテスト用の文です。";
    const text = sentence.repeat(30);
    const messages = splitMessages(text, 50);
    for (const message of messages) {
      expect(message.length).toBeLessThanOrEqual(50);
      expect(message.endsWith("。")).toBe(true);
    }
    expect(messages.join("")).toBe(text);
  });
  test("Latin sentences split only where . ! ? is followed by whitespace", () => {
    const messages = splitMessages("Version 1.5 is out! Is it good? Yes. It is.", 22);
    expect(messages).toEqual(["Version 1.5 is out!", "Is it good? Yes.", "It is."]);
  });
  test("a sentence longer than the limit is cut at whitespace, never inside a surrogate pair", () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(" ");
    for (const message of splitMessages(words, 60)) expect(message.length).toBeLessThanOrEqual(60);
    const emoji = "😀".repeat(40);
    const parts = splitMessages(emoji, 11);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(11);
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
    expect(parts.join("")).toBe(emoji);
  });
  test("never more than the maximum number of messages; the last one ends with an ellipsis", () => {
    const messages = splitMessages("Sentence number one is here. ".repeat(100), 40, 3);
    expect(messages).toHaveLength(3);
    expect(messages[2].endsWith("…")).toBe(true);
    expect(messages[2].length).toBeLessThanOrEqual(40);
  });
  test("newlines are kept inside a message", () => {
    expect(splitMessages("Steps:\n1. Open the app.\n2. Tap Orders.")).toEqual(["Steps:\n1. Open the app.\n2. Tap Orders."]);
  });
  test("sentence segments rebuild the original text", () => {
    const text = "一つ目。二つ目！ Third one? Fourth.\nFifth";
    expect(sentenceSegments(text).join("")).toBe(text);
  });
});

describe("trimAnswer", () => {
  test("keeps answers within the limit unchanged (after cleaning)", () => {
    expect(trimAnswer("  Fine answer.\u0000 ", 100)).toBe("Fine answer.");
  });
  test("cuts at the last sentence boundary when that keeps most of the text", () => {
    const text = "First sentence here. Second sentence here. Third sentence is cut";
    expect(trimAnswer(text, 50)).toBe("First sentence here. Second sentence here.");
  });
  test("adds an ellipsis when there is no usable boundary", () => {
    const cut = trimAnswer("a".repeat(100), 10);
    expect(cut).toBe(`${"a".repeat(9)}…`);
    expect(codePointLength(cut)).toBe(10);
  });
  test("respects the byte limit for multi-byte text", () => {
    const text = "日本語の文章です。".repeat(2_000);
    const cut = trimAnswer(text, 100_000);
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(ANSWER_MAX_BYTES);
    expect(cut.endsWith("。")).toBe(true);
  });
});
