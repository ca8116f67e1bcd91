/**
 * ConnectParticipantWithLexBot (reference §4.3; chat limit: reference §5 and runtime facts §0.1, §1).
 *
 * 1. The block's prompt (Text; SSML/PromptId on voice only, reference §4.1/§6) goes to the customer.
 * 2. The block waits for the customer's message. On chat, `LexTimeoutSeconds` bounds the wait
 *    (InputTimeLimitExceeded); without it the chat waits up to its maximum duration. On voice, Lex reports
 *    no input after `voiceNoInputMs` and the model is called with `input: null`.
 * 3. The Lex model gets the alias, locale (`$.LanguageCode`), channel, the Lex session's attributes merged
 *    with the block's LexSessionAttributes, and the message. On CHAT it must answer within 10 s (60 s with
 *    message streaming), else the block takes NoMatchingError at the limit ("lex chat timeout") and the
 *    bot's messages never reach the customer. VOICE has no such limit (fulfillment timeouts are the bot's
 *    business); voice messages may carry `atMs` (progress updates) and reach the transcript at that time.
 * 4. While the bot keeps the dialog open (ElicitSlot, ElicitIntent, ConfirmIntent) the block goes back to 2.
 *    Otherwise the result is the intent name, matched by the block's `Equals` conditions, else
 *    NoMatchingCondition; `$.Lex.*` holds the bot's outputs.
 *
 * Lex keeps its session per contact (session id = contact id) and bot alias, across Lex blocks: each block
 * sends the Lex session's attributes with its own LexSessionAttributes on top (on its first call; later
 * calls inside the block continue the Lex session as the bot left it), and the bot's returned
 * attributes become the session's (also when Connect already gave up on a late chat answer: Lex itself
 * finished the turn).
 */
import { LEX_CHANNEL_PLATFORM_ATTRIBUTE } from "../../functions/shared/flow-contract";
import type { ActionHandler, ActionOutcome, EndOutcome } from "./context";
import { toText } from "./references";
import type { LexDialogAction, LexRequest, LexResponse } from "./runtime";

const CONTINUING: readonly LexDialogAction[] = ["ElicitSlot", "ElicitIntent", "ConfirmIntent"];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) out[key] = toText(item);
  return out;
}

function nonNegative(ms: unknown): number {
  return typeof ms === "number" && Number.isFinite(ms) && ms > 0 ? ms : 0;
}

export const connectParticipantWithLexBot: ActionHandler = async (context, action, parameters): Promise<ActionOutcome> => {
  const { state, clock, options } = context;
  const chat = state.channel === "CHAT";
  const lex = context.runtime.lex;
  if (!lex) {
    return { branch: { kind: "fail", code: "missing-runtime", message: `ConnectParticipantWithLexBot "${action.Identifier}" needs runtime.lex` } };
  }

  let aliasArn: string;
  let botVersion: "V1" | "V2";
  if (isPlainObject(parameters.LexV2Bot)) {
    aliasArn = toText(parameters.LexV2Bot.AliasArn);
    botVersion = "V2";
  } else if (isPlainObject(parameters.LexBot)) {
    const bot = parameters.LexBot;
    aliasArn = `lex-v1:${toText(bot.Region)}:${toText(bot.Name)}:${toText(bot.Alias)}`;
    botVersion = "V1";
  } else {
    return { branch: { kind: "fail", code: "invalid-parameter", message: `ConnectParticipantWithLexBot "${action.Identifier}" has neither LexV2Bot nor LexBot` } };
  }
  if (aliasArn === "") return { branch: { kind: "error", errorType: "NoMatchingError" }, note: "no bot alias ARN (unresolved reference?)" };

  // The prompt (reference §4.3: at most one of PromptId/Text/SSML; §4.1/§6: chat supports Text only).
  const text = parameters.Text !== undefined ? toText(parameters.Text) : undefined;
  const ssml = parameters.SSML !== undefined ? toText(parameters.SSML) : undefined;
  const promptId = parameters.PromptId !== undefined ? toText(parameters.PromptId) : undefined;
  if (chat && (ssml !== undefined || promptId !== undefined)) {
    return { branch: { kind: "error", errorType: "NoMatchingError" }, note: "SSML and PromptId prompts are voice only (reference §4.1, §6)" };
  }
  const prompt = text ?? ssml ?? (promptId !== undefined ? `[prompt ${promptId}]` : undefined);
  if (prompt !== undefined) {
    context.say({ from: "flow", text: prompt, kind: text !== undefined ? "text" : ssml !== undefined ? "ssml" : "prompt-id", actionId: action.Identifier, prompt: true });
    if (!chat) await context.speak(prompt);
  }

  const blockAttributes = stringMap(parameters.LexSessionAttributes);
  let inputTimeoutMs: number | undefined;
  if (chat && parameters.LexTimeoutSeconds !== undefined) {
    const raw = isPlainObject(parameters.LexTimeoutSeconds) ? parameters.LexTimeoutSeconds.Text : parameters.LexTimeoutSeconds;
    const seconds = Number(toText(raw));
    if (!Number.isFinite(seconds) || seconds <= 0) {
      return { branch: { kind: "fail", code: "invalid-parameter", message: `ConnectParticipantWithLexBot "${action.Identifier}": LexTimeoutSeconds "${toText(raw)}"` } };
    }
    inputTimeoutMs = seconds * 1000;
  }
  const limitMs = chat ? options.lexChatTimeoutMs : Number.POSITIVE_INFINITY;
  const end = (kind: "customer-disconnected" | "chat-duration-exceeded"): EndOutcome => ({ kind, atMs: clock.nowMs, actionId: action.Identifier });

  for (let turnInBlock = 1; ; turnInBlock += 1) {
    // 2. Wait for the customer.
    const listenStart = clock.nowMs;
    const listenLimit = chat
      ? Math.min(inputTimeoutMs !== undefined ? listenStart + inputTimeoutMs : Number.POSITIVE_INFINITY, context.chatDeadlineMs)
      : listenStart + options.voiceNoInputMs;
    const event = context.listen(listenLimit);
    let input: string | null;
    if (event.kind === "message") {
      await context.idle(event.atMs, "customer-think");
      context.say({ from: "customer", text: event.text, kind: "text", atMs: event.sentAtMs, actionId: action.Identifier });
      clock.markProgress();
      input = event.text;
    } else if (event.kind === "disconnect") {
      await context.idle(event.atMs, "customer-think");
      return { branch: { kind: "end", outcome: end("customer-disconnected") } };
    } else if (event.kind === "never") {
      return { branch: { kind: "end", outcome: end("chat-duration-exceeded") } };
    } else {
      await context.idle(event.atMs, chat && event.atMs >= context.chatDeadlineMs ? "chat-duration" : "input-timeout");
      if (chat) {
        if (event.atMs >= context.chatDeadlineMs) return { branch: { kind: "end", outcome: end("chat-duration-exceeded") } };
        return {
          branch: { kind: "error", errorType: "InputTimeLimitExceeded" },
          note: `no customer message within LexTimeoutSeconds (${(inputTimeoutMs ?? 0) / 1000} s)`,
        };
      }
      input = null;
    }

    // 3. Call the bot.
    const sessionAttributes = { ...(state.lexSessions.get(aliasArn) ?? {}), ...(turnInBlock === 1 ? blockAttributes : {}) };
    const callStart = clock.nowMs;
    const request: LexRequest = {
      aliasArn,
      botVersion,
      locale: state.languageCode,
      channel: state.channel,
      sessionId: state.contactId,
      contactId: state.contactId,
      sessionAttributes,
      ...(prompt !== undefined ? { prompt } : {}),
      input,
      inputMode: chat ? "Text" : "Speech",
      requestAttributes: chat ? { [LEX_CHANNEL_PLATFORM_ATTRIBUTE]: "Connect Chat" } : {},
      turnInBlock,
      atMs: callStart,
      actionId: action.Identifier,
      flow: context.flow.name,
    };
    let response: LexResponse;
    try {
      response = await lex(request);
    } catch (thrown) {
      response = { error: (thrown as Error)?.message ?? String(thrown), durationMs: 0 };
    }
    const reported = nonNegative(response.durationMs);
    const late = reported > limitMs;
    const took = late ? limitMs : reported;
    const base = {
      actionId: action.Identifier,
      atMs: callStart,
      aliasArn,
      locale: state.languageCode,
      channel: state.channel,
      input,
      sessionAttributes,
      reportedDurationMs: reported,
      durationMs: took,
      limitMs,
    };

    if ("error" in response) {
      clock.advanceBy(took);
      context.recordLex({ ...base, outcome: late ? "chat-timeout" : "error", error: response.error, droppedMessages: [] });
      return { branch: { kind: "error", errorType: "NoMatchingError" }, note: late ? "lex chat timeout" : `lex error: ${response.error}` };
    }
    const messages = response.messages ?? [];
    if (late) {
      clock.advanceBy(took);
      state.lexSessions.set(aliasArn, { ...(response.sessionAttributes ?? sessionAttributes) });
      context.recordLex({
        ...base,
        outcome: "chat-timeout",
        intentName: response.intentName,
        droppedMessages: messages.map((message) => message.text),
      });
      return {
        branch: { kind: "error", errorType: "NoMatchingError" },
        note: `lex chat timeout: the bot took ${reported} ms, Connect's chat limit is ${limitMs} ms`,
      };
    }
    for (const message of messages) {
      const progress = !chat && message.atMs !== undefined;
      const at = callStart + (progress ? Math.min(nonNegative(message.atMs), reported) : reported);
      context.say({ from: "bot", text: message.text, kind: progress ? "progress" : "text", atMs: at, actionId: action.Identifier });
    }
    clock.advanceBy(took);
    const returned = { ...(response.sessionAttributes ?? sessionAttributes) };
    state.lexSessions.set(aliasArn, returned);
    state.lex = {
      ...(response.lexAttributes ?? {}),
      IntentName: response.intentName,
      SessionAttributes: { ...returned },
      Slots: { ...(response.slots ?? {}) },
    };
    const dialogAction = response.dialogAction ?? "Close";
    context.recordLex({ ...base, outcome: "ok", intentName: response.intentName, dialogAction, droppedMessages: [] });
    if (CONTINUING.includes(dialogAction)) continue;
    return { branch: { kind: "result", value: response.intentName } };
  }
};
