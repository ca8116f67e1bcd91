/**
 * The reliability soak: many conversations at once through the kit's real bridge handlers, with faults
 * injected, and the invariants checked on every turn.
 *
 * What runs: the packages the stacks deploy (or, with `target: "source"`, the TypeScript sources), each in a
 * warm Node process of its own (the simulator's FunctionHost, real time): dev's lex-fulfillment,
 * bedrock-worker and answer-poller (chat, poll strategy) and stg's lex-fulfillment (voice, synchronous),
 * with their packaged settings.json. DynamoDB is dynalite behind a fault-injecting proxy; Bedrock the
 * loopback HTTP/2 endpoint; the worker's asynchronous Invoke the loopback Lambda endpoint, which delivers
 * each event once, twice, or to a worker that is killed mid-turn.
 *
 * The driver plays Lex and the contact flows: per chat turn the Lex V2 event to lex-fulfillment, then the
 * chat flow's poll loop as synthesized (answer-poller with the turn id and the poll count, Connect's block
 * time limit, the Wait+retry chain after a failed call, the per-turn poll limit); per voice turn the Lex V2
 * event, under the bot's fulfillment timeout. It does not interpret flows: the flow simulator runs a sample
 * of contacts through the synthesized flows (flow-sample.ts).
 *
 * Invariants, per turn: it ends in an answer or an explicit fallback message within its channel's limit;
 * the answer is the one for this contact and this turn (the token echo); no turn is answered twice (at most
 * one model answer per turn, at most one worker claim, the stored outcome equals what the customer got);
 * every response toward Lex and Connect is valid and no handler process fails (uncaught exception, unhandled
 * rejection, an error result).
 */
import * as os from "node:os";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { DynamoDBClient, ScanCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import type { EnvironmentConfig } from "../../config/schema/environment";
import { chatPollSettings } from "../../flows/chat/poll";
import { FunctionHost, type HostInvocation, type HostTarget } from "../../flows/simulator/integration/function-host";
import { codeHookEvent, fulfillmentSpec } from "../../flows/simulator/integration/lex-bot";
import { FakeBedrock, FakeLambda, type FakeReply, type RecordedCall, toolReply } from "../../flows/simulator/integration/loopback";
import { type StackBot, type StackFunction, SynthesizedEnvironment } from "../../flows/simulator/integration/synthesized-stack";
import { DEFAULTS } from "../../flows/simulator/runtime";
import { AnswerPoller, BotIntent, HANDOFF_FIELD_PLACEHOLDER, HANDOFF_FIELDS, LEX_CHANNEL_PLATFORM_ATTRIBUTE, SessionAttribute } from "../../functions/shared/flow-contract";
import type { BridgeSettings } from "../../functions/shared/bridge-settings";
import { startDynaliteProcess } from "../../__tests__/support/dynalite-process";
import { FaultInjectingProxy } from "../../__tests__/support/fault-injecting-proxy";
import { flatStringMapProblems, lexAttributes, lexResponseProblems, lexText } from "./checks";
import { type BedrockFault, type ChannelKind, type ConversationPlan, type PlanOptions, type TurnPlan, type WorkerDelivery, markersIn, planConversations } from "./plan";
import { keyedChance } from "./random";

/** answer-poller's EXPIRY_GRACE_MS: how long after a turn's deadline a PENDING turn is reported EXPIRED. */
export const POLLER_EXPIRY_GRACE_MS = 2_000;
/** What the driver records when the flow would say flows.messages.answerTimeout (poll limit, retries used up). */
const ANSWER_TIMEOUT = "(the chat flow's answerTimeout message)";

export interface SoakSetup extends Omit<PlanOptions, "locales"> {
  /** The chat side: an environment with the bridge on chat, poll strategy (dev). */
  readonly chatEnvironment: EnvironmentConfig;
  /** The voice side: an environment with the bridge on voice (stg). */
  readonly voiceEnvironment: EnvironmentConfig;
  /** Share of DynamoDB requests answered with a throttling error. */
  readonly dynamoThrottleRate: number;
  /**
   * Throttling bursts on top of the steady rate (a hot partition, a table at its limit): windows of
   * `durationMs` in which `rate` of DynamoDB requests are throttled, `everyMs` apart from `firstAtMs`.
   */
  readonly dynamoBursts?: { readonly firstAtMs: number; readonly everyMs: number; readonly count: number; readonly durationMs: number; readonly rate: number };
  /** What the hosts run. @default "bundle" */
  readonly target?: HostTarget;
  /**
   * Allowance for this machine's own delays in the chat limit (deadline + the poller's expiry grace + one
   * poll interval + this), since the driver, the hosts and dynalite share its cores.
   */
  readonly machineAllowanceMs: number;
  /** Progress lines while it runs. */
  readonly progress?: (line: string) => void;
}

export type ViolationKind =
  | "no answer or fallback"
  | "over the channel's limit"
  | "answer for another contact or turn"
  | "another contact's text reached the model"
  | "answered twice"
  | "stored outcome differs from what the customer got"
  | "invalid response toward Lex or Connect"
  | "error result toward Lex or Connect"
  | "handler process failure";

export interface Violation {
  readonly kind: ViolationKind;
  readonly contactId?: string;
  readonly turn?: number;
  readonly detail: string;
}

export type OutcomeKind = "answer" | "apology" | "expired" | "answer-timeout" | "none";

export interface TurnResult {
  readonly contactId: string;
  readonly conversation: number;
  readonly n: number;
  readonly channel: ChannelKind;
  readonly fault: BedrockFault;
  readonly delivery: WorkerDelivery;
  readonly outcome: OutcomeKind;
  readonly text: string;
  readonly turnId?: string;
  /** Real ms from the customer's message to the answer or fallback. */
  readonly ms: number;
  readonly limitMs: number;
  readonly pollCalls: number;
  readonly pollFailures: number;
}

export interface SoakReport {
  readonly seed: number;
  /** The plan's shape and the fault rates, as run. */
  readonly shape: {
    readonly arrivalSpreadMs: number;
    readonly thinkMs: readonly [number, number];
    readonly answerMs: readonly [number, number];
    readonly slowMs: Readonly<Record<ChannelKind, readonly [number, number]>>;
    readonly rates: { readonly bedrockFault: number; readonly duplicate: number; readonly crash: number; readonly dynamoThrottle: number };
    readonly dynamoBursts?: SoakSetup["dynamoBursts"];
  };
  readonly target: HostTarget;
  readonly machine: string;
  readonly conversations: number;
  readonly turns: readonly TurnResult[];
  readonly violations: readonly Violation[];
  readonly faults: {
    readonly bedrockTurns: Readonly<Record<string, number>>;
    readonly bedrockErrorsReturned: Readonly<Record<string, number>>;
    readonly deliveries: Readonly<Record<string, number>>;
    readonly workerKills: number;
    readonly dynamoRequests: Readonly<Record<string, number>>;
    readonly dynamoThrottles: Readonly<Record<string, number>>;
    /** Of those, thrown in bursts. */
    readonly dynamoBurstThrottles: number;
  };
  readonly limits: { readonly chatLexMs: number; readonly chatTurnMs: number; readonly voiceMs: number; readonly chatDeadlineMs: number; readonly voiceBudgetMs: number };
  readonly settings: { readonly chat: string; readonly voice: string };
  readonly peakConversations: number;
  readonly peakTurnsWaiting: number;
  readonly wallMs: number;
  readonly setupMs: number;
  /** Embedded metrics the handlers emitted, summed per function. */
  readonly metrics: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Error log lines per function and message. */
  readonly errorLogs: Readonly<Record<string, number>>;
  /** Worker invocations that ended in an error (Lambda Errors), by message. */
  readonly workerErrors: Readonly<Record<string, number>>;
  readonly storedTurns: number;
  readonly bedrockCalls: number;
  readonly pollerOverLimit: number;
}

// ---------------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

function countInto(target: Record<string, number>, key: string, by = 1): void {
  target[key] = (target[key] ?? 0) + by;
}

/** Sums the embedded-metric values in a host invocation's output lines. */
function addMetrics(target: Record<string, number>, lines: readonly string[], errors: Record<string, number>, functionName: string): void {
  for (const line of lines) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      countInto(errors, `${functionName}: unparsable output line`);
      continue;
    }
    if (parsed.level === "error") countInto(errors, `${functionName}: ${String(parsed.message)}`);
    const directives = (parsed._aws as { CloudWatchMetrics?: { Metrics?: { Name: string }[] }[] } | undefined)?.CloudWatchMetrics ?? [];
    for (const directive of directives) {
      for (const { Name } of directive.Metrics ?? []) {
        const value = parsed[Name];
        // Durations are summed too; only counts are reported.
        if (typeof value === "number") countInto(target, Name, value);
      }
    }
  }
}

function botOf(stack: SynthesizedEnvironment, channel: ChannelKind): StackBot {
  const alias = /arn:aws:lex:[^"]+bot-alias\/[^"]+/.exec(JSON.stringify(stack.flows[channel].document))?.[0];
  const bot = alias ? stack.botByAliasArn(alias) : undefined;
  if (!bot) throw new Error(`no Lex bot on the ${channel} flow of ${stack.env.name}`);
  return bot;
}

function bridgeFunction(stack: SynthesizedEnvironment, segment: string): StackFunction {
  const fn = stack.functions.find((f) => f.constructPath.split("/").includes("bedrock-bridge") && f.constructPath.split("/").includes(segment));
  if (!fn) throw new Error(`${stack.env.name} has no bridge ${segment} function`);
  return fn;
}

function settingsOf(stack: SynthesizedEnvironment, fn: StackFunction): BridgeSettings {
  const text = stack.packagedFile(fn, "settings.json");
  if (!text) throw new Error(`${fn.functionName} packages no settings.json`);
  return JSON.parse(text) as BridgeSettings;
}

function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
export { percentile };

interface LiveConversation {
  readonly plan: ConversationPlan;
  current?: TurnPlan;
  turnId?: string;
  attributes: Record<string, string>;
}

const POLL_KEYS = [...Object.values(AnswerPoller.result), ...HANDOFF_FIELDS];

/** Runs the campaign and returns what it saw; it never throws for a violation (they are in the report). */
export async function runSoak(setup: SoakSetup): Promise<SoakReport> {
  const setupStarted = performance.now();
  const progress = setup.progress ?? (() => undefined);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const target = setup.target ?? "bundle";
  const chatStack = SynthesizedEnvironment.synthesize(setup.chatEnvironment);
  const voiceStack = SynthesizedEnvironment.synthesize(setup.voiceEnvironment);
  const fulfillment = bridgeFunction(chatStack, "fulfillment");
  const worker = bridgeFunction(chatStack, "worker");
  const poller = bridgeFunction(chatStack, "poller");
  const voiceFulfillment = bridgeFunction(voiceStack, "fulfillment");
  const chatSettings = settingsOf(chatStack, fulfillment);
  const voiceSettings = settingsOf(voiceStack, voiceFulfillment);
  if (chatSettings.chatStrategy !== "poll") throw new Error(`${chatStack.env.name}: the soak needs the bridge on chat with the poll strategy`);
  const chatBot = botOf(chatStack, "chat");
  const voiceBot = botOf(voiceStack, "voice");
  const voiceHook = voiceBot.locales[voiceStack.env.locales[0]]?.find((intent) => intent.Name === BotIntent.fallback)?.FulfillmentCodeHook;
  const voiceLimitMs = fulfillmentSpec(voiceHook as Record<string, unknown> | undefined).timeoutMs;
  const pollSettings = chatPollSettings({
    pollerArn: poller.arn,
    pollerBudgetMs: chatSettings.budgets.pollerBudgetMs,
    turnTimeoutSeconds: chatSettings.budgets.turnTimeoutMs / 1000,
  });
  const chatLexLimitMs = DEFAULTS.lexChatTimeoutMs;
  const chatTurnLimitMs = chatSettings.budgets.turnTimeoutMs + POLLER_EXPIRY_GRACE_MS + chatSettings.budgets.pollIntervalMs + setup.machineAllowanceMs;
  const fallbacks = (settings: BridgeSettings) => ({
    apology: new Set(Object.values(settings.messages).map((m) => m.apology)),
    expired: new Set(Object.values(settings.messages).map((m) => m.expired)),
  });
  const chatFallbacks = fallbacks(chatSettings);
  const voiceFallbacks = fallbacks(voiceSettings);

  // Slow answers stay 3 s inside the deadline or budget: slow, not lost.
  const slowMs: Record<ChannelKind, readonly [number, number]> = {
    chat: [setup.slowMs.chat[0], Math.min(setup.slowMs.chat[1], chatSettings.budgets.turnTimeoutMs - 3_000)],
    voice: [setup.slowMs.voice[0], Math.min(setup.slowMs.voice[1], voiceSettings.budgets.voiceMs - 3_000)],
  };
  for (const channel of ["chat", "voice"] as const) {
    if (slowMs[channel][0] > slowMs[channel][1]) throw new Error(`slow ${channel} answers of ${slowMs[channel][0]} ms do not fit the deadline or budget`);
  }
  const plans = planConversations({ ...setup, locales: { chat: chatStack.env.locales, voice: voiceStack.env.locales }, slowMs });
  const byToken = new Map(plans.map((plan) => [plan.token, plan]));
  const live = new Map<string, LiveConversation>(plans.map((plan) => [plan.contactId, { plan, attributes: {} }]));
  const violations: Violation[] = [];
  const violate = (kind: ViolationKind, detail: string, contactId?: string, turn?: number) => {
    violations.push({ kind, detail: detail.slice(0, 500), ...(contactId ? { contactId } : {}), ...(turn !== undefined ? { turn } : {}) });
  };

  // ---- services ----------------------------------------------------------------------------------
  const chatTable = chatStack.turnTable();
  const voiceTable = voiceStack.turnTable();
  if (!chatTable || !voiceTable) throw new Error("a stack without a turn table");
  const dynalite = await startDynaliteProcess([chatTable.name, voiceTable.name]);
  const proxy = new FaultInjectingProxy(dynalite.endpoint);
  await proxy.start();
  const bedrock = await FakeBedrock.start();
  const workerHandlers: Record<string, (payload: unknown) => Promise<unknown>> = {};
  const lambda = await FakeLambda.start(workerHandlers);
  lambda.timeoutMs = worker.timeoutSeconds * 1000;
  const environment: Record<string, string> = {
    AWS_REGION: chatStack.region,
    AWS_DEFAULT_REGION: chatStack.region,
    AWS_ACCESS_KEY_ID: "AKIDSOAK",
    AWS_SECRET_ACCESS_KEY: "soak-secret",
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
    AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: bedrock.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
  };
  const hosts = new Map<string, FunctionHost>();
  const stopAll = async () => {
    await Promise.all([...hosts.values()].map((host) => host.stop().catch(() => undefined)));
    await lambda.close().catch(() => undefined);
    await bedrock.close().catch(() => undefined);
    await proxy.stop().catch(() => undefined);
    await dynalite.close().catch(() => undefined);
  };

  const metrics: Record<string, Record<string, number>> = {};
  const errorLogs: Record<string, number> = {};
  const workerErrors: Record<string, number> = {};
  const record = (fn: StackFunction, invocation: HostInvocation) => {
    const name = fn.functionName;
    metrics[name] ??= {};
    addMetrics(metrics[name], invocation.lines, errorLogs, name);
  };

  try {
    for (const fn of [fulfillment, worker, poller, voiceFulfillment]) hosts.set(fn.functionName, await FunctionHost.start(fn, { target, environment }));
    const host = (fn: StackFunction) => hosts.get(fn.functionName) as FunctionHost;

    // ---- fault injection -------------------------------------------------------------------------
    const bedrockErrorsReturned: Record<string, number> = {};
    const deliveries: Record<string, number> = {};
    const modelAnswers = new Map<string, number>();
    const attempts = new Map<string, number>();
    const crashHosts = new Map<string, FunctionHost>();
    let workerKills = 0;
    let bedrockCalls = 0;
    let burstThrottles = 0;
    /** performance.now() when the conversations began (0 during setup). */
    let campaignStart = 0;

    const turnOf = (contactId: string) => live.get(contactId)?.current;
    const replyFor = (conversation: ConversationPlan, turn: TurnPlan, latencyMs: number): FakeReply => {
      const longTail = turn.longAnswer ? ` ${"詳しくご案内します。".repeat(400)}` : "";
      const message = `${turn.marker} answer for ${conversation.token}.${longTail}`;
      if (turn.tool === "HANDOFF") {
        const fields = Object.fromEntries(HANDOFF_FIELDS.map((field) => [field, `${field} ${turn.marker}`]));
        return toolReply("HANDOFF", { message, ...fields }, { delayMs: latencyMs });
      }
      return toolReply(turn.tool, { message }, { delayMs: latencyMs });
    };
    bedrock.onConverse = (call: RecordedCall): FakeReply => {
      bedrockCalls += 1;
      const messages = Array.isArray(call.body?.messages) ? (call.body.messages as { role?: string; content?: { text?: string }[] }[]) : [];
      const texts = messages.flatMap((message) => (message.content ?? []).map((block) => block.text ?? ""));
      const current = markersIn(texts[texts.length - 1] ?? "").at(-1);
      const conversation = current ? byToken.get(current[0]) : undefined;
      const turn = conversation?.turns[(current?.[1] ?? 0) - 1];
      if (!conversation || !turn) {
        violate("another contact's text reached the model", `a Converse call without a known marker: ${(texts.at(-1) ?? "").slice(0, 120)}`);
        return { kind: "error", status: 400, errorType: "ValidationException", message: "unknown turn" };
      }
      for (const [token] of markersIn(texts.join("\n"))) {
        if (token !== conversation.token) violate("another contact's text reached the model", `turn ${turn.n} of ${conversation.token} carried ${token}`, conversation.contactId, turn.n);
      }
      const key = `${conversation.contactId} ${turn.n}`;
      const attempt = attempts.get(key) ?? 0;
      attempts.set(key, attempt + 1);
      if (turn.delivery === "crash-at-model-call") {
        const doomed = crashHosts.get(key);
        if (doomed) {
          workerKills += 1;
          crashHosts.delete(key);
          void doomed.stop();
          return { kind: "hang" };
        }
      }
      const step = turn.steps[Math.min(attempt, turn.steps.length - 1)];
      switch (step.kind) {
        case "hang":
          return { kind: "hang" };
        case "throttle":
          countInto(bedrockErrorsReturned, "ThrottlingException (429)");
          return { kind: "error", status: 429, errorType: "ThrottlingException", message: "Too many requests, please wait before trying again.", delayMs: step.latencyMs };
        case "server-error": {
          const type = step.status === 503 ? "ServiceUnavailableException" : step.status === 502 ? "BadGatewayException" : "InternalServerException";
          countInto(bedrockErrorsReturned, `${type} (${step.status})`);
          return { kind: "error", status: step.status, errorType: type, message: "simulated service fault", delayMs: step.latencyMs };
        }
        case "answer":
          modelAnswers.set(key, (modelAnswers.get(key) ?? 0) + 1);
          return replyFor(conversation, turn, step.latencyMs);
      }
    };

    const settleWrite = (body: Record<string, unknown> | undefined) =>
      typeof body?.UpdateExpression === "string" && body.UpdateExpression.includes("completedAt = :at") && typeof body.ConditionExpression === "string" && body.ConditionExpression.includes("claimToken = :token");
    proxy.decide = (request) => {
      const [contactId] = (request.key ?? "").split("|");
      const turn = turnOf(contactId);
      if (turn?.delivery === "crash-at-outcome-write" && request.operation === "UpdateItem" && settleWrite(request.body)) {
        const key = `${contactId} ${turn.n}`;
        const doomed = crashHosts.get(key);
        if (doomed) {
          crashHosts.delete(key);
          workerKills += 1;
          // The write lands; the worker dies before it hears back.
          return { kind: "forward-then", after: () => doomed.stop(), drop: true };
        }
      }
      const requestKey = `ddb ${request.operation} ${request.key ?? ""} ${request.occurrence}`;
      if (keyedChance(setup.seed, requestKey, setup.dynamoThrottleRate)) return { kind: "throttle" };
      const bursts = setup.dynamoBursts;
      if (bursts && campaignStart > 0) {
        const since = performance.now() - campaignStart - bursts.firstAtMs;
        const inBurst = since >= 0 && since < bursts.everyMs * bursts.count && since % bursts.everyMs < bursts.durationMs;
        if (inBurst && keyedChance(setup.seed, `burst ${requestKey}`, bursts.rate)) {
          burstThrottles += 1;
          return { kind: "throttle" };
        }
      }
      return { kind: "pass" };
    };

    lambda.delivery = (payload) => {
      const contactId = (payload as { contactId?: string } | undefined)?.contactId ?? "";
      const delivery = turnOf(contactId)?.delivery ?? "once";
      countInto(deliveries, delivery);
      return delivery === "crash-at-model-call" || delivery === "crash-at-outcome-write" ? "crash" : delivery;
    };
    lambda.crash = async (payload) => {
      const contactId = (payload as { contactId?: string } | undefined)?.contactId ?? "";
      const turn = turnOf(contactId);
      const key = `${contactId} ${turn?.n}`;
      // A worker execution environment of its own, killed mid-turn (at its Converse call or its outcome write).
      const doomed = await FunctionHost.start(worker, { target, environment });
      crashHosts.set(key, doomed);
      const invocation = await doomed.invoke(payload);
      if (crashHosts.get(key) === doomed) {
        // It finished before reaching its crash point (a throttled claim, say): an ordinary run after all.
        crashHosts.delete(key);
        record(worker, invocation);
      }
      await doomed.stop();
    };
    workerHandlers[worker.functionName] = async (payload) => {
      const invocation = await host(worker).invoke(payload);
      record(worker, invocation);
      if (!invocation.ok) {
        countInto(workerErrors, `${invocation.error?.name}: ${invocation.error?.message}`.slice(0, 160));
        if (invocation.error?.name === "HostExited") violate("handler process failure", `worker: ${invocation.error.message.slice(0, 300)}`);
        throw new Error(invocation.error?.message);
      }
      return invocation.result;
    };

    // ---- the conversations -----------------------------------------------------------------------
    const results: TurnResult[] = [];
    let activeConversations = 0;
    let peakConversations = 0;
    let waiting = 0;
    let peakTurnsWaiting = 0;
    let pollerOverLimit = 0;
    campaignStart = performance.now();
    const setupMs = campaignStart - setupStarted;
    progress(`setup ${(setupMs / 1000).toFixed(1)} s; ${plans.length} conversations, ${plans.reduce((n, p) => n + p.turns.length, 0)} turns, seed ${setup.seed}`);

    /** Invokes a host under a caller's time limit; the invocation goes on in the background when it is exceeded. */
    const invokeWithin = async (fn: StackFunction, event: unknown, limitMs: number): Promise<{ invocation?: HostInvocation; ms: number }> => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const call = host(fn)
        .invoke(event)
        .then((invocation) => {
          record(fn, invocation);
          return invocation;
        });
      const invocation = await Promise.race([call, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), limitMs)))]);
      clearTimeout(timer);
      return { ...(invocation ? { invocation } : {}), ms: performance.now() - started };
    };

    const lexEvent = (conversation: LiveConversation, turn: TurnPlan, bot: StackBot): unknown => {
      const chat = conversation.plan.channel === "chat";
      return codeHookEvent(
        {
          input: turn.text,
          inputMode: chat ? "Text" : "Speech",
          sessionId: conversation.plan.contactId,
          sessionAttributes: { ...conversation.attributes, [SessionAttribute.contactId]: conversation.plan.contactId, [SessionAttribute.channel]: chat ? "CHAT" : "VOICE" },
          requestAttributes: chat ? { [LEX_CHANNEL_PLATFORM_ATTRIBUTE]: "Connect Chat" } : {},
        },
        bot,
        BotIntent.fallback,
        conversation.plan.locale,
      );
    };

    const pollEvent = (conversation: LiveConversation, turnId: string, pollCount: string) => ({
      Name: "ContactFlowEvent",
      Details: {
        ContactData: {
          ContactId: conversation.plan.contactId,
          InitialContactId: conversation.plan.contactId,
          PreviousContactId: conversation.plan.contactId,
          Channel: "CHAT",
          LanguageCode: conversation.plan.locale.replace("_", "-"),
          InitiationMethod: "API",
          InstanceARN: chatStack.instanceArn,
          CustomerEndpoint: null,
          SystemEndpoint: null,
          Queue: null,
          Attributes: { customerName: "Soak Customer", bridgePollCount: pollCount },
          MediaStreams: { Customer: { Audio: null } },
        },
        Parameters: { [AnswerPoller.parameters.turnId]: turnId, [AnswerPoller.parameters.pollCount]: pollCount },
      },
    });

    /** Checks an answer the customer got: this contact's, this turn's, and its handoff fields too. */
    const checkAnswer = (conversation: ConversationPlan, turn: TurnPlan, text: string, fields: Record<string, string>) => {
      const found = markersIn(text);
      if (!found.length || found.some(([token, n]) => token !== conversation.token || n !== turn.n)) {
        violate("answer for another contact or turn", `expected ${turn.marker}, got ${text.slice(0, 120)}`, conversation.contactId, turn.n);
      }
      for (const field of HANDOFF_FIELDS) {
        const value = fields[field];
        if (!value || value === HANDOFF_FIELD_PLACEHOLDER) continue;
        if (markersIn(value).some(([token, n]) => token !== conversation.token || n !== turn.n)) {
          violate("answer for another contact or turn", `${field}: ${value.slice(0, 120)}`, conversation.contactId, turn.n);
        }
      }
    };

    const chatTurn = async (conversation: LiveConversation, turn: TurnPlan): Promise<TurnResult> => {
      const { plan } = conversation;
      const started = performance.now();
      let pollCalls = 0;
      let pollFailures = 0;
      const done = (outcome: OutcomeKind, text: string, turnId?: string): TurnResult => ({
        contactId: plan.contactId,
        conversation: plan.index,
        n: turn.n,
        channel: "chat",
        fault: turn.fault,
        delivery: turn.delivery,
        outcome,
        text,
        ...(turnId ? { turnId } : {}),
        ms: performance.now() - started,
        limitMs: chatTurnLimitMs,
        pollCalls,
        pollFailures,
      });
      const lex = await invokeWithin(fulfillment, lexEvent(conversation, turn, chatBot), chatLexLimitMs);
      if (!lex.invocation) {
        violate("over the channel's limit", `lex-fulfillment did not answer Lex within ${chatLexLimitMs} ms`, plan.contactId, turn.n);
        return done("none", "");
      }
      if (!lex.invocation.ok) {
        violate("error result toward Lex or Connect", `lex-fulfillment: ${lex.invocation.error?.name}: ${lex.invocation.error?.message}`, plan.contactId, turn.n);
        return done("none", "");
      }
      const response = lex.invocation.result;
      const problems = lexResponseProblems(response);
      if (problems.length) violate("invalid response toward Lex or Connect", `lex-fulfillment: ${problems.join("; ")}`, plan.contactId, turn.n);
      const attributes = lexAttributes(response);
      conversation.attributes = attributes;
      const status = attributes[SessionAttribute.bridgeStatus];
      const turnId = attributes[SessionAttribute.bridgeTurnId];
      if (turnId) conversation.turnId = turnId;
      if (status === "FAILED") {
        const text = lexText(response);
        return done(chatFallbacks.apology.has(text) ? "apology" : "none", text, turnId);
      }
      if (status === "READY") {
        const text = lexText(response);
        checkAnswer(plan, turn, text, attributes);
        return done("answer", text, turnId);
      }
      if (status !== "PENDING" || !turnId) {
        violate("invalid response toward Lex or Connect", `bridgeStatus ${status}, turn id ${turnId}`, plan.contactId, turn.n);
        return done("none", lexText(response));
      }
      // The chat flow's poll loop, as synthesized (flows/chat/poll.ts).
      waiting += 1;
      peakTurnsWaiting = Math.max(peakTurnsWaiting, waiting);
      try {
        let pollCount = "0";
        let retry = 0;
        for (;;) {
          pollCalls += 1;
          const call = await invokeWithin(poller, pollEvent(conversation, turnId, pollCount), pollSettings.invokeTimeoutSeconds * 1000);
          const ok = call.invocation?.ok === true;
          if (!call.invocation) pollerOverLimit += 1;
          else if (!call.invocation.ok) violate("error result toward Lex or Connect", `answer-poller: ${call.invocation.error?.name}: ${call.invocation.error?.message}`, plan.contactId, turn.n);
          if (!ok) {
            pollFailures += 1;
            if (retry >= pollSettings.retryWaitsSeconds.length) return done("answer-timeout", ANSWER_TIMEOUT, turnId);
            await sleep(pollSettings.retryWaitsSeconds[retry] * 1000);
            retry += 1;
            continue;
          }
          retry = 0;
          const result = call.invocation?.result as Record<string, string>;
          const mapProblems = flatStringMapProblems(result, POLL_KEYS);
          if (mapProblems.length) violate("invalid response toward Lex or Connect", `answer-poller: ${mapProblems.join("; ")}`, plan.contactId, turn.n);
          pollCount = String(result?.pollCount ?? "");
          switch (result?.status) {
            case AnswerPoller.status.ready:
              checkAnswer(plan, turn, result.answer, result);
              return done("answer", result.answer, turnId);
            case AnswerPoller.status.failed:
              return done(chatFallbacks.apology.has(result.message) ? "apology" : "none", result.message, turnId);
            case AnswerPoller.status.expired:
              return done(chatFallbacks.expired.has(result.message) ? "expired" : "none", result.message, turnId);
            case AnswerPoller.status.pending:
              if (Number(pollCount) >= pollSettings.maxPollsPerTurn) return done("answer-timeout", ANSWER_TIMEOUT, turnId);
              continue;
            default:
              return done("answer-timeout", ANSWER_TIMEOUT, turnId);
          }
        }
      } finally {
        waiting -= 1;
      }
    };

    const voiceTurn = async (conversation: LiveConversation, turn: TurnPlan): Promise<TurnResult> => {
      const { plan } = conversation;
      const started = performance.now();
      const done = (outcome: OutcomeKind, text: string, turnId?: string): TurnResult => ({
        contactId: plan.contactId,
        conversation: plan.index,
        n: turn.n,
        channel: "voice",
        fault: turn.fault,
        delivery: turn.delivery,
        outcome,
        text,
        ...(turnId ? { turnId } : {}),
        ms: performance.now() - started,
        limitMs: voiceLimitMs,
        pollCalls: 0,
        pollFailures: 0,
      });
      waiting += 1;
      peakTurnsWaiting = Math.max(peakTurnsWaiting, waiting);
      let lex: Awaited<ReturnType<typeof invokeWithin>>;
      try {
        lex = await invokeWithin(voiceFulfillment, lexEvent(conversation, turn, voiceBot), voiceLimitMs);
      } finally {
        waiting -= 1;
      }
      if (!lex.invocation) {
        violate("over the channel's limit", `lex-fulfillment did not answer within the fulfillment timeout (${voiceLimitMs} ms)`, plan.contactId, turn.n);
        return done("none", "");
      }
      if (!lex.invocation.ok) {
        violate("error result toward Lex or Connect", `lex-fulfillment: ${lex.invocation.error?.name}: ${lex.invocation.error?.message}`, plan.contactId, turn.n);
        return done("none", "");
      }
      const response = lex.invocation.result;
      const problems = lexResponseProblems(response);
      if (problems.length) violate("invalid response toward Lex or Connect", `lex-fulfillment: ${problems.join("; ")}`, plan.contactId, turn.n);
      const attributes = lexAttributes(response);
      conversation.attributes = attributes;
      const text = lexText(response);
      const turnId = attributes[SessionAttribute.bridgeTurnId];
      if (attributes[SessionAttribute.bridgeStatus] === "READY") {
        checkAnswer(plan, turn, text, attributes);
        return done("answer", text, turnId);
      }
      if (attributes[SessionAttribute.bridgeStatus] === "FAILED") return done(voiceFallbacks.apology.has(text) ? "apology" : "none", text, turnId);
      violate("invalid response toward Lex or Connect", `voice bridgeStatus ${attributes[SessionAttribute.bridgeStatus]}`, plan.contactId, turn.n);
      return done("none", text, turnId);
    };

    let finished = 0;
    const loopDelay = monitorEventLoopDelay({ resolution: 20 });
    loopDelay.enable();
    const totalTurns = plans.reduce((n, p) => n + p.turns.length, 0);
    const ticker = setInterval(() => {
      progress(
        `${((performance.now() - campaignStart) / 1000).toFixed(0)} s: ${finished}/${totalTurns} turns, ${activeConversations} conversations active, ${waiting} turns waiting, ${violations.length} violations; event loop delay p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms, max ${Math.round(loopDelay.max / 1e6)} ms`,
      );
      loopDelay.reset();
    }, 5_000);
    try {
      await Promise.all(
        plans.map(async (plan) => {
          const conversation = live.get(plan.contactId) as LiveConversation;
          await sleep(plan.startAfterMs);
          activeConversations += 1;
          peakConversations = Math.max(peakConversations, activeConversations);
          try {
            for (const turn of plan.turns) {
              await sleep(turn.thinkMs);
              conversation.current = turn;
              conversation.turnId = undefined;
              const result = plan.channel === "chat" ? await chatTurn(conversation, turn) : await voiceTurn(conversation, turn);
              if (result.outcome === "none") violate("no answer or fallback", `${result.channel} turn ended without an answer or a known fallback: ${result.text.slice(0, 120)}`, plan.contactId, turn.n);
              if (result.ms > result.limitMs) violate("over the channel's limit", `${result.channel} turn took ${Math.round(result.ms)} ms, limit ${result.limitMs} ms`, plan.contactId, turn.n);
              results.push(result);
              finished += 1;
            }
          } finally {
            activeConversations -= 1;
          }
        }),
      );
    } finally {
      clearInterval(ticker);
      loopDelay.disable();
    }
    // Stragglers: duplicate deliveries still running, crashed workers' held writes.
    await lambda.idle();
    await proxy.idle();
    const wallMs = performance.now() - campaignStart;

    // ---- the aftermath: no turn answered twice, stored state as the customers saw it ----------------
    for (const [key, count] of modelAnswers) {
      if (count > 1) {
        const [contactId, n] = key.split(" ");
        violate("answered twice", `the model answered this turn ${count} times`, contactId, Number(n));
      }
    }
    const client = new DynamoDBClient({ endpoint: dynalite.endpoint, region: chatStack.region, credentials: { accessKeyId: "AKIDSOAK", secretAccessKey: "soak-secret" } });
    let storedTurns = 0;
    try {
      const byTurnId = new Map(results.filter((r) => r.turnId).map((r) => [`${r.contactId} ${r.turnId}`, r]));
      for (const table of [chatTable.name, voiceTable.name]) {
        let startKey: Record<string, AttributeValue> | undefined;
        do {
          const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
          for (const item of page.Items ?? []) {
            storedTurns += 1;
            const contactId = item.pk?.S ?? "";
            const turnId = item.sk?.S ?? "";
            const status = item.status?.S;
            const claims = Number(item.claims?.N ?? "0");
            const plan = live.get(contactId)?.plan;
            const utteranceMarker = markersIn(item.utterance?.S ?? "")[0];
            if (!plan || !utteranceMarker || utteranceMarker[0] !== plan.token) {
              violate("stored outcome differs from what the customer got", `a stored turn ${turnId} under ${contactId} holds ${item.utterance?.S?.slice(0, 80)}`, contactId);
              continue;
            }
            const n = utteranceMarker[1];
            if (status === "DONE") {
              const answerMarkers = markersIn(item.answer?.S ?? "");
              if (!answerMarkers.length || answerMarkers.some(([token, turn]) => token !== plan.token || turn !== n)) {
                violate("answer for another contact or turn", `stored answer of turn ${n}: ${(item.answer?.S ?? "").slice(0, 120)}`, contactId, n);
              }
            }
            if (claims > 1) violate("answered twice", `turn ${turnId} was claimed ${claims} times`, contactId, n);
            const seen = byTurnId.get(`${contactId} ${turnId}`);
            if (!seen) continue;
            if (seen.outcome === "answer" && status !== "DONE" && plan.channel === "chat") {
              violate("stored outcome differs from what the customer got", `the customer got an answer, the turn is ${status}`, contactId, n);
            }
            if (seen.outcome !== "answer" && status === "DONE") {
              violate("stored outcome differs from what the customer got", `the customer got ${seen.outcome}, the turn was answered (${plan.channel})`, contactId, n);
            }
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }
    } finally {
      client.destroy();
    }
    for (const [name, h] of hosts) {
      const probe = await h.invoke({});
      if (!probe.ok && probe.error?.name === "HostExited") violate("handler process failure", `${name} exited: ${probe.error.message.slice(0, 300)}`);
      const stderr = h.stderr.trim();
      if (stderr) violate("handler process failure", `${name} wrote to stderr: ${stderr.slice(0, 400)}`);
    }
    return {
      seed: setup.seed,
      shape: {
        arrivalSpreadMs: setup.arrivalSpreadMs,
        thinkMs: setup.thinkMs,
        answerMs: setup.answerMs,
        slowMs,
        rates: { bedrockFault: setup.bedrockFaultRate, duplicate: setup.duplicateRate, crash: setup.crashRate, dynamoThrottle: setup.dynamoThrottleRate },
        ...(setup.dynamoBursts ? { dynamoBursts: setup.dynamoBursts } : {}),
      },
      target,
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
      conversations: plans.length,
      turns: results,
      violations,
      faults: {
        bedrockTurns: Object.fromEntries(Object.entries(countBy(plans.flatMap((p) => p.turns.map((t) => t.fault))))),
        bedrockErrorsReturned,
        deliveries,
        workerKills,
        dynamoRequests: { ...proxy.requests },
        dynamoThrottles: { ...proxy.throttled },
        dynamoBurstThrottles: burstThrottles,
      },
      limits: {
        chatLexMs: chatLexLimitMs,
        chatTurnMs: chatTurnLimitMs,
        voiceMs: voiceLimitMs,
        chatDeadlineMs: chatSettings.budgets.turnTimeoutMs,
        voiceBudgetMs: voiceSettings.budgets.voiceMs,
      },
      settings: {
        chat: `${chatStack.env.name}: turn deadline ${chatSettings.budgets.turnTimeoutMs / 1000} s, poller budget ${chatSettings.budgets.pollerBudgetMs} ms, read every ${chatSettings.budgets.pollIntervalMs} ms, ${pollSettings.maxPollsPerTurn} polls per turn, Connect block limit ${pollSettings.invokeTimeoutSeconds} s`,
        voice: `${voiceStack.env.name}: fulfillment timeout ${voiceLimitMs / 1000} s, answer budget ${voiceSettings.budgets.voiceMs / 1000} s`,
      },
      peakConversations,
      peakTurnsWaiting,
      wallMs,
      setupMs,
      metrics,
      errorLogs,
      workerErrors,
      storedTurns,
      bedrockCalls,
      pollerOverLimit,
    };
  } finally {
    await stopAll();
  }
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) countInto(counts, value);
  return counts;
}
