import { HANDOFF_FIELD_MAX_CHARS, buildToolConfig, parseConverseOutput } from "../../../functions/shared/answer-tools";

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
