/**
 * The Lex V2 bots as the synthesized stack defines them (the `AWS::Lex::Bot` desired state behind the
 * alias a flow names, per locale), behind the simulator's `runtime.lex`:
 *
 * - NLU: an utterance equal to a sample utterance of an intent (ignoring case, width and end punctuation)
 *   selects that intent, which ends with its closing response; Lex's statistical matching is not
 *   modelled. Everything else goes to the AMAZON.QInConnectIntent intent when the bot has one (served by
 *   the Q in Connect fake), else to the fallback intent.
 * - Fulfillment: the intent's FulfillmentCodeHook runs the alias's Lambda code hook for the locale (the
 *   real handler, with a Lex V2 event) or the Q in Connect fake, under the hook's settings: the timeout
 *   (TimeoutInSeconds with updates on, else 30 s) ends it with the timeout response; a failed handler
 *   gives the failure response; the success response is used when the handler returns no messages
 *   (`((x-amz-lex:q-in-connect-response))` filled with Q in Connect's answer).
 * - Progress updates (voice only: Connect talks to Lex over its streaming API there; on chat they are not
 *   played): the start response after StartResponse.DelayInSeconds, then an update every
 *   FrequencyInSeconds (counted from the start response), each only while fulfillment is still running.
 *   Where a response has several message groups Lex picks one: the first is played here.
 * - On chat the call is cut at Connect's limit (10 s, 60 s with message streaming): the bot is still
 *   working then, and the block takes its error branch. When that limit is not longer than the
 *   fulfillment timeout (streaming chat and the kit's 60 s), Connect's limit wins: Lex's timeout response
 *   would arrive after it.
 */
import * as crypto from "node:crypto";
import { BotIntent } from "../../../functions/shared/flow-contract";
import type { LexMessage, LexRequest, LexResponse } from "../runtime";
import type { HostInvocation } from "./function-host";
import { Q_IN_CONNECT_ATTRIBUTE, type QInConnectFake } from "./q-in-connect";
import type { BotIntentDefinition, StackBot, StackFunction, SynthesizedEnvironment } from "./synthesized-stack";
import type { ContactClock } from "./time-scale";

/** Lex waits this long for a fulfillment code hook when progress updates are off. */
const DEFAULT_FULFILLMENT_TIMEOUT_MS = 30_000;

type Json = Record<string, unknown>;

/** The fulfillment settings of an intent, as Lex applies them. */
export interface FulfillmentSpec {
  readonly updatesActive: boolean;
  readonly timeoutMs: number;
  readonly start?: { readonly delayMs: number; readonly message: string };
  readonly update?: { readonly frequencyMs: number; readonly message: string };
  readonly success?: readonly string[];
  readonly failure?: readonly string[];
  readonly timeout?: readonly string[];
}

function texts(groups: unknown): string[] {
  if (!Array.isArray(groups)) return [];
  return groups
    .map((group) => ((group as Json)?.Message as Json | undefined)?.PlainTextMessage as Json | undefined)
    .map((message) => message?.Value)
    .filter((value): value is string => typeof value === "string");
}

/** Reads an intent's `FulfillmentCodeHook` (CloudFormation shape). */
export function fulfillmentSpec(hook: Json | undefined): FulfillmentSpec {
  const updates = (hook?.FulfillmentUpdatesSpecification ?? {}) as Json;
  const active = updates.Active === true;
  const post = (hook?.PostFulfillmentStatusSpecification ?? {}) as Json;
  const response = (name: string) => {
    const list = texts(((post[name] ?? {}) as Json).MessageGroupsList);
    return list.length ? list : undefined;
  };
  const start = (updates.StartResponse ?? undefined) as Json | undefined;
  const update = (updates.UpdateResponse ?? undefined) as Json | undefined;
  const startMessage = texts(start?.MessageGroups)[0];
  const updateMessage = texts(update?.MessageGroups)[0];
  const success = response("SuccessResponse");
  const failure = response("FailureResponse");
  const timeout = response("TimeoutResponse");
  return {
    updatesActive: active,
    timeoutMs: active && typeof updates.TimeoutInSeconds === "number" ? updates.TimeoutInSeconds * 1000 : DEFAULT_FULFILLMENT_TIMEOUT_MS,
    ...(active && startMessage !== undefined ? { start: { delayMs: Number(start?.DelayInSeconds ?? 0) * 1000, message: startMessage } } : {}),
    ...(active && updateMessage !== undefined ? { update: { frequencyMs: Number(update?.FrequencyInSeconds ?? 0) * 1000, message: updateMessage } } : {}),
    ...(success ? { success } : {}),
    ...(failure ? { failure } : {}),
    ...(timeout ? { timeout } : {}),
  };
}

/** The progress messages a voice caller hears while fulfillment runs for `runningMs` (times from the call's start). */
export function progressMessages(spec: FulfillmentSpec, runningMs: number): LexMessage[] {
  if (!spec.updatesActive) return [];
  const messages: LexMessage[] = [];
  const startAt = spec.start?.delayMs ?? 0;
  if (spec.start && spec.start.delayMs < runningMs) messages.push({ text: spec.start.message, atMs: spec.start.delayMs });
  if (spec.update && spec.update.frequencyMs > 0) {
    for (let at = startAt + spec.update.frequencyMs; at < runningMs && at < spec.timeoutMs; at += spec.update.frequencyMs) {
      messages.push({ text: spec.update.message, atMs: at });
    }
  }
  return messages;
}

/** Lex's matching of an utterance against sample utterances (exact, after normalizing). */
export function normalizeUtterance(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\s。、，,.!！?？]+$/u, "");
}

/** The Lex V2 event a fulfillment code hook gets for a request (sessionId = the contact id, as Connect uses it). */
export function codeHookEvent(
  request: Pick<LexRequest, "input" | "inputMode" | "sessionId" | "sessionAttributes" | "requestAttributes">,
  bot: Pick<StackBot, "botId" | "botName" | "aliasId" | "aliasName">,
  intentName: string,
  locale: string,
): Record<string, unknown> {
  const intent = { name: intentName, slots: {}, state: "ReadyForFulfillment", confirmationState: "None" };
  const input = request.input ?? "";
  return {
    messageVersion: "1.0",
    invocationSource: "FulfillmentCodeHook",
    inputMode: request.inputMode,
    responseContentType: "text/plain; charset=utf-8",
    sessionId: request.sessionId,
    inputTranscript: input,
    bot: { id: bot.botId, name: bot.botName, aliasId: bot.aliasId, aliasName: bot.aliasName, localeId: locale, version: "1" },
    interpretations: [{ intent, interpretationSource: "Lex" }],
    proposedNextState: null,
    requestAttributes: { ...request.requestAttributes },
    sessionState: { sessionAttributes: { ...request.sessionAttributes }, activeContexts: [], intent, originatingRequestId: crypto.randomUUID() },
    ...(request.inputMode === "Speech" ? { transcriptions: [{ transcription: input, transcriptionConfidence: 0.95, resolvedContext: { intent: intentName }, resolvedSlots: {} }] } : {}),
  };
}

/** What a fulfillment produced before Lex applies its responses. */
type WorkResult =
  | { readonly kind: "ok"; readonly messages: readonly string[]; readonly sessionAttributes: Record<string, string>; readonly failed: boolean; readonly requestAttributes?: Readonly<Record<string, string>> }
  | { readonly kind: "error"; readonly message: string; readonly sessionAttributes?: Record<string, string> };

/** One bot turn, for the report. */
export interface LexTurnRecord {
  readonly contactId: string;
  readonly atMs: number;
  readonly durationMs: number;
  readonly botName: string;
  readonly locale: string;
  readonly input: string | null;
  readonly intent: string;
  /** closing: an intent's closing response; code-hook: the Lambda; q-in-connect: the assistant; none. */
  readonly served: "closing" | "code-hook" | "q-in-connect" | "none";
  readonly outcome: "ok" | "failure" | "lex-timeout" | "connect-limit" | "error";
}

export interface LexBotsOptions {
  readonly stack: SynthesizedEnvironment;
  readonly qInConnect?: QInConnectFake;
  /** Runs a code hook Lambda (journaled by the caller). */
  readonly invokeCodeHook: (fn: StackFunction, event: unknown, request: LexRequest) => Promise<HostInvocation>;
  /** The current contact's clock. */
  readonly clock: () => ContactClock;
  /** Connect's limit for a chat Lex call (10 s, 60 s with message streaming). */
  readonly chatLimitMs: () => number;
}

export class LexBots {
  readonly turns: LexTurnRecord[] = [];
  private readonly bots = new Map<string, StackBot | undefined>();

  constructor(private readonly options: LexBotsOptions) {}

  /** The simulator's `runtime.lex`. */
  readonly model = async (request: LexRequest): Promise<LexResponse> => {
    const { stack } = this.options;
    if (!this.bots.has(request.aliasArn)) this.bots.set(request.aliasArn, stack.botByAliasArn(request.aliasArn));
    const bot = this.bots.get(request.aliasArn);
    if (!bot) return { error: `no bot alias ${request.aliasArn} in the stack`, durationMs: 0 };
    const locale = request.locale.replace("-", "_");
    const intents = bot.locales[locale];
    if (!intents) return { error: `bot ${bot.botName} has no locale ${locale}`, durationMs: 0 };

    const record = (intent: string, served: LexTurnRecord["served"], outcome: LexTurnRecord["outcome"], durationMs: number) =>
      this.turns.push({ contactId: request.contactId, atMs: request.atMs, durationMs, botName: bot.botName, locale, input: request.input, intent, served, outcome });

    const utterance = request.input ?? "";
    const wanted = normalizeUtterance(utterance);
    const sampled = utterance
      ? intents.find((intent) => (intent.SampleUtterances ?? []).some((sample) => normalizeUtterance(sample.Utterance) === wanted))
      : undefined;
    if (sampled) {
      const closing = texts(((sampled.IntentClosingSetting?.ClosingResponse ?? {}) as Json).MessageGroupsList);
      const durationMs = this.options.clock().elapsedSince(request.atMs);
      record(sampled.Name, "closing", "ok", durationMs);
      return { intentName: sampled.Name, sessionAttributes: { ...request.sessionAttributes }, messages: closing.map((text) => ({ text })), durationMs };
    }
    const qIntent = intents.find((intent) => intent.ParentIntentSignature === "AMAZON.QInConnectIntent");
    if (qIntent && utterance) return this.fulfill(request, bot, qIntent, "q-in-connect", record, () => this.askQInConnect(request));
    const fallback = intents.find((intent) => intent.ParentIntentSignature === "AMAZON.FallbackIntent") ?? { Name: BotIntent.fallback };
    const codeHookArn = bot.codeHooks[locale];
    const fn = codeHookArn ? stack.functionByArn(codeHookArn) : undefined;
    if (fallback.FulfillmentCodeHook?.Enabled === true && fn) {
      return this.fulfill(request, bot, fallback, "code-hook", record, () => this.runCodeHook(request, bot, fallback.Name, locale, fn));
    }
    const durationMs = this.options.clock().elapsedSince(request.atMs);
    record(fallback.Name, "none", "ok", durationMs);
    return { intentName: fallback.Name, sessionAttributes: { ...request.sessionAttributes }, messages: [], durationMs };
  };

  private async fulfill(
    request: LexRequest,
    bot: StackBot,
    intent: BotIntentDefinition,
    served: LexTurnRecord["served"],
    record: (intent: string, served: LexTurnRecord["served"], outcome: LexTurnRecord["outcome"], durationMs: number) => void,
    work: () => Promise<WorkResult>,
  ): Promise<LexResponse> {
    const clock = this.options.clock();
    const spec = fulfillmentSpec(intent.FulfillmentCodeHook as Json | undefined);
    const chat = request.channel === "CHAT";
    const connectLimit = chat ? this.options.chatLimitMs() : Number.POSITIVE_INFINITY;
    const startMs = request.atMs;
    // When Connect's limit is not longer than Lex's timeout, Connect gives up first: Lex's timeout response
    // would still be on its way when the limit runs out.
    const connectFirst = connectLimit <= spec.timeoutMs;
    const limit = connectFirst ? clock.deadline(startMs + connectLimit) : clock.deadline(startMs + spec.timeoutMs);
    type Outcome = { readonly kind: "done"; readonly result: WorkResult } | { readonly kind: "connect-limit" } | { readonly kind: "lex-timeout" };
    const outcome = await Promise.race<Outcome>([
      work().then((result) => ({ kind: "done", result })),
      limit.reached.then(() => (connectFirst ? { kind: "connect-limit" } : { kind: "lex-timeout" })),
    ]);
    limit.cancel();
    const durationMs = clock.elapsedSince(startMs);
    const voiceProgress = (runningMs: number) => (chat ? [] : progressMessages(spec, runningMs));
    if (outcome.kind === "connect-limit") {
      record(intent.Name, served, "connect-limit", durationMs);
      return { error: `${bot.botName} was still fulfilling ${intent.Name} when Connect's chat limit (${connectLimit} ms) ran out`, durationMs: Math.max(connectLimit + 1, durationMs) };
    }
    const unchanged = { ...request.sessionAttributes };
    if (outcome.kind === "lex-timeout") {
      record(intent.Name, served, "lex-timeout", durationMs);
      if (!spec.timeout) return { error: `fulfillment of ${intent.Name} timed out after ${spec.timeoutMs} ms and the intent has no timeout response`, durationMs };
      return { intentName: intent.Name, sessionAttributes: unchanged, messages: [...voiceProgress(spec.timeoutMs), ...spec.timeout.map((text) => ({ text }))], durationMs };
    }
    const result = outcome.result;
    if (result.kind === "error" || result.failed) {
      record(intent.Name, served, "failure", durationMs);
      const own = result.kind === "ok" ? result.messages : [];
      const messages = own.length ? own : (spec.failure ?? []);
      if (!messages.length) return { error: `fulfillment of ${intent.Name} failed: ${result.kind === "error" ? result.message : "intent Failed"}`, durationMs };
      return {
        intentName: intent.Name,
        sessionAttributes: result.sessionAttributes ?? unchanged,
        messages: [...voiceProgress(durationMs), ...messages.map((text) => ({ text }))],
        durationMs,
      };
    }
    record(intent.Name, served, "ok", durationMs);
    const fill = (text: string) => text.replace(/\(\(([^()]+)\)\)/g, (_match, name: string) => result.requestAttributes?.[name] ?? "");
    const messages = result.messages.length ? result.messages : (spec.success ?? []).map(fill);
    return {
      intentName: intent.Name,
      sessionAttributes: result.sessionAttributes,
      messages: [...voiceProgress(durationMs), ...messages.map((text) => ({ text }))],
      durationMs,
    };
  }

  private async runCodeHook(request: LexRequest, bot: StackBot, intentName: string, locale: string, fn: StackFunction): Promise<WorkResult> {
    const event = codeHookEvent(request, bot, intentName, locale);
    const invocation = await this.options.invokeCodeHook(fn, event, request);
    if (!invocation.ok) return { kind: "error", message: `${invocation.error?.name}: ${invocation.error?.message}` };
    const response = (invocation.result ?? {}) as { sessionState?: { sessionAttributes?: Record<string, string>; intent?: { state?: string } }; messages?: { content?: string }[] };
    return {
      kind: "ok",
      messages: (response.messages ?? []).map((message) => message.content).filter((text): text is string => typeof text === "string"),
      sessionAttributes: { ...(response.sessionState?.sessionAttributes ?? request.sessionAttributes) },
      failed: response.sessionState?.intent?.state === "Failed",
    };
  }

  private async askQInConnect(request: LexRequest): Promise<WorkResult> {
    const fake = this.options.qInConnect;
    if (!fake) return { kind: "error", message: "no Q in Connect fake in this simulation" };
    const outcome = fake.answer({
      contactId: request.contactId,
      utterance: request.input ?? "",
      channel: request.channel === "CHAT" ? "CHAT" : "VOICE",
      sessionAttributes: request.sessionAttributes,
    });
    await this.options.clock().sleepUntil(request.atMs + outcome.latencyMs);
    if (!outcome.ok) return { kind: "error", message: "Q in Connect could not answer", sessionAttributes: outcome.sessionAttributes };
    return {
      kind: "ok",
      messages: [],
      sessionAttributes: outcome.sessionAttributes,
      failed: false,
      requestAttributes: { ...request.requestAttributes, [Q_IN_CONNECT_ATTRIBUTE.response]: outcome.answer ?? "" },
    };
  }
}
