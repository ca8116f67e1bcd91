import { HANDOFF_FIELD_MAX_BYTES, HANDOFF_FIELD_MAX_CHARS, buildToolConfig, parseConverseOutput } from "../../../functions/shared/answer-tools";
import { HANDOFF_FIELD_PLACEHOLDER } from "../../../functions/shared/flow-contract";
import { LEX_SESSION_ATTRIBUTES_MAX_BYTES } from "../../../functions/shared/text";
import { fitHandoffFields, sessionAttributeBytes, withBridgeAttributes } from "../../../functions/shared/lex-event";

const utf8 = (text: string) => Buffer.byteLength(text, "utf8");
/** True when the text has no lone surrogate (it was cut between characters, not inside one). */
const wellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

const reply = (content: unknown[], stopReason = "tool_use") => ({ output: { message: { role: "assistant", content } }, stopReason });

describe("parseConverseOutput", () => {
  test("takes the first valid tool call, skipping invalid ones", () => {
    const parsed = parseConverseOutput(reply([{ toolUse: { name: "ANSWER", input: { message: "" } } }, { toolUse: { name: "COMPLETE", input: { message: "Bye." } } }]));
    expect(parsed).toEqual({ ok: true, reply: { tool: "COMPLETE", message: "Bye.", guardrailIntervened: false, source: "tool" } });
  });
  test("HANDOFF fields are cleaned and bounded", () => {
    const long = "x".repeat(HANDOFF_FIELD_MAX_CHARS + 50);
    const parsed = parseConverseOutput(reply([{ toolUse: { name: "HANDOFF", input: { message: "m", customer_issue: long, bot_response: "b\u0000", conversation_summary: "s", escalation_reason: "r" } } }]));
    expect(parsed.ok && parsed.reply.handoff?.customer_issue.length).toBe(HANDOFF_FIELD_MAX_CHARS);
    expect(parsed.ok && parsed.reply.handoff?.bot_response).toBe("b");
  });
  test("a HANDOFF missing summary fields still hands over, with a non-empty placeholder for each missing one", () => {
    const parsed = parseConverseOutput(reply([{ toolUse: { name: "HANDOFF", input: { message: "担当者におつなぎします。", customer_issue: "返金の相談", bot_response: "  ", conversation_summary: 42 } } }]));
    expect(parsed).toEqual({
      ok: true,
      reply: {
        tool: "HANDOFF",
        message: "担当者におつなぎします。",
        handoff: { customer_issue: "返金の相談", bot_response: HANDOFF_FIELD_PLACEHOLDER, conversation_summary: HANDOFF_FIELD_PLACEHOLDER, escalation_reason: HANDOFF_FIELD_PLACEHOLDER },
        missingFields: ["bot_response", "conversation_summary", "escalation_reason"],
        guardrailIntervened: false,
        source: "tool",
      },
    });
    expect(HANDOFF_FIELD_PLACEHOLDER.length).toBeGreaterThan(0);
  });
  test("a HANDOFF with no summary at all hands over too; one without a message is still malformed", () => {
    expect(parseConverseOutput(reply([{ toolUse: { name: "HANDOFF", input: { message: "m" } } }]))).toMatchObject({ ok: true, reply: { tool: "HANDOFF", missingFields: ["customer_issue", "bot_response", "conversation_summary", "escalation_reason"] } });
    expect(parseConverseOutput(reply([{ toolUse: { name: "HANDOFF", input: { customer_issue: "x" } } }]))).toMatchObject({ ok: false, reason: "malformed_model_output" });
  });
  test("each HANDOFF field is capped in UTF-8 bytes too, cut at a character boundary", () => {
    const emoji = "😀".repeat(HANDOFF_FIELD_MAX_CHARS); // 4 bytes each: 4,000 bytes in 1,000 characters
    const japanese = "あ".repeat(HANDOFF_FIELD_MAX_CHARS); // 3,000 bytes
    const parsed = parseConverseOutput(reply([{ toolUse: { name: "HANDOFF", input: { message: "m", customer_issue: emoji, bot_response: japanese, conversation_summary: emoji, escalation_reason: "short" } } }]));
    if (!parsed.ok || !parsed.reply.handoff) throw new Error("not parsed");
    const { customer_issue, bot_response, conversation_summary, escalation_reason } = parsed.reply.handoff;
    for (const field of [customer_issue, bot_response, conversation_summary]) {
      expect(utf8(field)).toBeLessThanOrEqual(HANDOFF_FIELD_MAX_BYTES);
      expect(utf8(field)).toBeGreaterThan(HANDOFF_FIELD_MAX_BYTES - 8);
      expect(wellFormed(field)).toBe(true);
      expect(field.endsWith("…")).toBe(true);
    }
    expect(escalation_reason).toBe("short");
    // Without the byte cap the four fields were about 16 KB on their own (4 x 1,000 four-byte characters).
    expect(4 * utf8(emoji)).toBeGreaterThan(LEX_SESSION_ATTRIBUTES_MAX_BYTES);
  });
  test("anything that is not a Converse response is malformed, never a crash", () => {
    for (const junk of [null, 1, "text", [], { output: null }, { output: { message: { content: [null, 1, "x", { toolUse: null }] } } }]) {
      expect(parseConverseOutput(junk)).toMatchObject({ ok: false, reason: "malformed_model_output" });
    }
  });
  test("content_filtered without text is its own failure", () => {
    expect(parseConverseOutput(reply([], "content_filtered"))).toMatchObject({ ok: false, reason: "content_filtered" });
  });
});

test("tool config mirrors Q in Connect's self-service tools and forces a tool", () => {
  const config = buildToolConfig();
  expect(config.tools?.map((tool) => tool.toolSpec?.name)).toEqual(["ANSWER", "HANDOFF", "COMPLETE"]);
  expect(config.toolChoice).toEqual({ any: {} });
});

describe("HANDOFF fields in Lex session attributes stay under Lex V1's 12 KB", () => {
  const full = (text: string) => text.repeat(2_000).slice(0, 2_000);
  const handoff = { customer_issue: full("😀"), bot_response: full("あ"), conversation_summary: full("😀"), escalation_reason: "short reason" };

  test("the four capped fields plus the flow's attributes fit; fields are cut, never emptied, at character boundaries", () => {
    const fields = parseConverseOutput(reply([{ toolUse: { name: "HANDOFF", input: { message: "m", ...handoff } } }]));
    if (!fields.ok || !fields.reply.handoff) throw new Error("not parsed");
    // A flow that keeps 3 KB of its own attributes in the session.
    const previous = { contactId: "c0ffee00-1111-4222-8333-444455556666", channel: "VOICE", customerNote: "x".repeat(3_000) };
    const attributes = withBridgeAttributes(previous, { status: "READY", turnId: "abc", tool: "HANDOFF", handoff: fields.reply.handoff });
    expect(sessionAttributeBytes(attributes)).toBeLessThanOrEqual(LEX_SESSION_ATTRIBUTES_MAX_BYTES);
    expect(attributes.customerNote).toBe(previous.customerNote);
    expect(attributes.escalation_reason).toBe("short reason");
    for (const field of ["customer_issue", "bot_response", "conversation_summary"]) {
      expect(attributes[field].length).toBeGreaterThan(100);
      expect(wellFormed(attributes[field])).toBe(true);
    }
  });

  test("fitHandoffFields shares the room fairly and never returns an empty field", () => {
    const fitted = fitHandoffFields(handoff, 1_000);
    const total = Object.values(fitted).reduce((sum, value) => sum + utf8(value), 0);
    expect(total).toBeLessThanOrEqual(1_000);
    expect(fitted.escalation_reason).toBe("short reason");
    expect(Object.values(fitted).every((value) => value.length > 0 && wellFormed(value))).toBe(true);
    expect(fitHandoffFields(handoff, 0).customer_issue).toBe(HANDOFF_FIELD_PLACEHOLDER);
    const small = { customer_issue: "a", bot_response: "b", conversation_summary: "c", escalation_reason: "d" };
    expect(fitHandoffFields(small, 12_000)).toBe(small);
  });
});
