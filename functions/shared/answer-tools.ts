import { type ToolConfiguration } from "@aws-sdk/client-bedrock-runtime";
import { boundField, cleanText } from "./text";
import { HANDOFF_FIELD_PLACEHOLDER, HANDOFF_FIELDS, type HandoffField, Tool } from "./flow-contract";
import { type HandoffFields, type ToolName } from "./turn-store";

/**
 * The three tools the model must choose from, mirroring Amazon Q in Connect self-service so that flows
 * treat both engines alike: ANSWER (reply and keep talking), HANDOFF (reply and pass to an agent, with a
 * summary for the agent) and COMPLETE (reply and end). Also the parsing of a Converse reply into one of
 * them, which never trusts the model's output shape.
 */

/** Longest handoff field kept, in characters; the flow copies them into contact attributes (32 KB in total). */
export const HANDOFF_FIELD_MAX_CHARS = 1_000;
/**
 * Longest handoff field kept, in UTF-8 bytes (cut at a character boundary). On voice and synchronous chat
 * the four fields travel as Lex session attributes: 1,000 characters of 4-byte text each would make them
 * about 16 KB, over Lex V1's documented 12 KB for all session attributes (LEX_SESSION_ATTRIBUTES_MAX_BYTES,
 * kept until Lex V2's limit is confirmed). Four fields of 2,400 bytes leave 2.4 KB of it for the other
 * attributes; lex-event cuts the fields further if the whole would still exceed it.
 */
export const HANDOFF_FIELD_MAX_BYTES = 2_400;

const messageProperty = { type: "string", description: "The reply to send to the customer, in the customer's language." };

export function buildToolConfig(): ToolConfiguration {
  return {
    tools: [
      {
        toolSpec: {
          name: Tool.answer,
          description: "Reply to the customer and keep the conversation open. Use when the reply answers or clarifies the customer's request.",
          inputSchema: { json: { type: "object", properties: { message: messageProperty }, required: ["message"] } },
        },
      },
      {
        toolSpec: {
          name: Tool.handoff,
          description:
            "Pass the customer to a human agent. Use when the customer asks for a person, when the request needs account access or a decision you cannot make, or when you cannot answer from the reference passages.",
          inputSchema: {
            json: {
              type: "object",
              properties: {
                message: { type: "string", description: "What to tell the customer before the transfer, in the customer's language." },
                customer_issue: {
                  type: "string",
                  description: "For the agent: every need or question the customer raised, as a numbered list on one line (1. ... 2. ...).",
                },
                bot_response: {
                  type: "string",
                  description: "For the agent: what the assistant already told the customer, with the concrete facts, as a numbered list on one line.",
                },
                conversation_summary: {
                  type: "string",
                  description: "For the agent: the whole conversation in order, as a numbered list on one line.",
                },
                escalation_reason: { type: "string", description: "For the agent: one plain sentence saying why a person has to take over." },
              },
              required: ["message", ...HANDOFF_FIELDS],
            },
          },
        },
      },
      {
        toolSpec: {
          name: Tool.complete,
          description: "Close the conversation politely. Use when the customer says the request is settled or says goodbye.",
          inputSchema: { json: { type: "object", properties: { message: messageProperty }, required: ["message"] } },
        },
      },
    ],
    toolChoice: { any: {} },
  };
}

export interface ModelReply {
  readonly tool: ToolName;
  /** Untrimmed reply text; the caller bounds it. */
  readonly message: string;
  readonly handoff?: HandoffFields;
  readonly guardrailIntervened: boolean;
  /** Where the reply came from: a valid tool call, plain text, or the guardrail's canned text. */
  readonly source: "tool" | "text" | "guardrail";
  /** HANDOFF only: the summary fields the model left out or empty (given HANDOFF_FIELD_PLACEHOLDER). */
  readonly missingFields?: readonly HandoffField[];
}

export type ParsedReply = { readonly ok: true; readonly reply: ModelReply } | { readonly ok: false; readonly reason: "malformed_model_output" | "guardrail_blocked" | "content_filtered"; readonly detail: string };

function nonEmptyString(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = cleanText(value);
  return text ? text : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Validates one tool call's input; undefined when the message is missing, empty or not a string. A
 * HANDOFF whose summary fields are missing, empty or not strings still hands over (the customer asked for
 * a person): those fields become HANDOFF_FIELD_PLACEHOLDER and are listed in `missingFields`.
 */
function replyFromToolUse(name: unknown, input: unknown): ModelReply | undefined {
  const args = asRecord(input);
  const tool = typeof name === "string" ? name.trim().toUpperCase() : "";
  const message = nonEmptyString(args?.message);
  if (!args || !message) return undefined;
  if (tool === Tool.answer || tool === Tool.complete) return { tool, message, guardrailIntervened: false, source: "tool" };
  if (tool !== Tool.handoff) return undefined;
  const fields: Partial<Record<HandoffField, string>> = {};
  const missingFields: HandoffField[] = [];
  for (const field of HANDOFF_FIELDS) {
    const value = nonEmptyString(args[field]);
    if (!value) missingFields.push(field);
    fields[field] = value ? boundField(value, HANDOFF_FIELD_MAX_CHARS, HANDOFF_FIELD_MAX_BYTES) : HANDOFF_FIELD_PLACEHOLDER;
  }
  return { tool: Tool.handoff, message, handoff: fields as HandoffFields, guardrailIntervened: false, source: "tool", ...(missingFields.length ? { missingFields } : {}) };
}

/**
 * Turns a Converse response into a reply. Order: guardrail intervention (its text is the answer), the
 * first valid tool call, plain text as an ANSWER; anything else is malformed.
 */
export function parseConverseOutput(response: unknown): ParsedReply {
  const body = asRecord(response);
  const stopReason = typeof body?.stopReason === "string" ? body.stopReason : "";
  const message = asRecord(asRecord(body?.output)?.message);
  const content = Array.isArray(message?.content) ? (message.content as unknown[]) : [];
  const texts = content.map((block) => nonEmptyString(asRecord(block)?.text)).filter((text): text is string => Boolean(text));
  const text = texts.join("\n\n");

  if (stopReason === "guardrail_intervened") {
    if (!text) return { ok: false, reason: "guardrail_blocked", detail: "guardrail intervened without a message" };
    return { ok: true, reply: { tool: Tool.answer, message: text, guardrailIntervened: true, source: "guardrail" } };
  }
  if (stopReason === "content_filtered" && !text) return { ok: false, reason: "content_filtered", detail: "output filtered" };

  const toolUses = content.map((block) => asRecord(asRecord(block)?.toolUse)).filter((use): use is Record<string, unknown> => Boolean(use));
  for (const use of toolUses) {
    const reply = replyFromToolUse(use.name, use.input);
    if (reply) return { ok: true, reply };
  }
  if (text) return { ok: true, reply: { tool: Tool.answer, message: text, guardrailIntervened: false, source: "text" } };
  const detail = toolUses.length ? `invalid tool input (${toolUses.map((use) => String(use.name).slice(0, 20)).join(",")})` : `no text or tool call (stopReason ${stopReason || "missing"})`;
  return { ok: false, reason: "malformed_model_output", detail };
}
