/** The one message an action plays or sends: text, SSML or a prompt (the type allows exactly one). */
import type { MessageSource } from "../actions";
import { type ActionContext, fail, text } from "./values";

export type MessageInput =
  /** Plain text, on every channel; may embed references such as `$.Attributes.name`. */
  | { readonly text: string; readonly ssml?: never; readonly promptId?: never }
  /** SSML, voice only. */
  | { readonly ssml: string; readonly text?: never; readonly promptId?: never }
  /** A prompt id or ARN (or one JSONPath reference), voice only. */
  | { readonly promptId: string; readonly text?: never; readonly ssml?: never };

export function messageSource(context: ActionContext, field: string, input: MessageInput | undefined): MessageSource {
  const given = input ? (["text", "ssml", "promptId"] as const).filter((k) => input[k] !== undefined) : [];
  if (!input || given.length !== 1) {
    fail(context, `${field} gives ${given.length === 0 ? "no message" : given.join(" and ")}; give exactly one of text, ssml or promptId`);
  }
  if (input.text !== undefined) return { Text: text(context, `${field}.text`, input.text) };
  if (input.ssml !== undefined) return { SSML: text(context, `${field}.ssml`, input.ssml) };
  return { PromptId: text(context, `${field}.promptId`, input.promptId as string) };
}
