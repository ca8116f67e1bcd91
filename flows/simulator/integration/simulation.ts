/**
 * Runs contacts through an environment's synthesized flows with the kit's real handlers (see index.ts for
 * the overview): synthesizes the environment, starts the loopback services and one host per function the
 * flows reach, and wires them behind the flow simulator's runtime.
 */
import * as crypto from "node:crypto";
import { performance } from "node:perf_hooks";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { loadEnvironments, parseEnvironment } from "../../../config/load";
import type { EnvironmentConfig, EnvironmentInput } from "../../../config/schema/environment";
import { BotIntent, ContactAttribute, LEX_CHANNEL_PLATFORM_ATTRIBUTE } from "../../../functions/shared/flow-contract";
import { expectedAgentSeconds, expectedModelSeconds } from "../../../stacks/latency/budget";
import type { CustomerScript, CustomerScriptEntry } from "../customer";
import { simulateContact } from "../engine";
import type { FlowAction, FlowDocument } from "../flow-document";
import { DEFAULTS, type LambdaInvocationRequest, type LambdaInvocationResponse, type SimulationOptions, type SimulatorRuntime, flowCatalog } from "../runtime";
import type { ContactTrace, TranscriptEntry } from "../trace";
import { type BedrockCallRecord, type BedrockScript, ScriptedBedrock } from "./bedrock";
import { type DynamoRequest, DynamoCounter } from "./dynamo-counter";
import { FunctionHost, type HostInvocation, type HostTarget } from "./function-host";
import { LexBots, type LexTurnRecord, codeHookEvent } from "./lex-bot";
import { type Delivery, FakeAwsJsonServer, FakeBedrock, FakeLambda, type Handler, type LocalDynamo, startDynalite } from "./loopback";
import { QInConnectFake, type QInConnectScript, type QInConnectTurnRecord } from "./q-in-connect";
import { type TurnReport, contactTable, turnReports } from "./report";
import { StallSentinel } from "./stall-sentinel";
import { type StackFunction, SynthesizedEnvironment } from "./synthesized-stack";
import { type ContactClock, TimeScale } from "./time-scale";

export interface SimulationSetup {
  /** A shipped environment's name (config/environments) or a validated configuration. @default "dev" */
  readonly environment?: string | EnvironmentConfig;
  /** Top-level fields replacing the environment's before validation (e.g. `channels`, `qInConnect`). */
  readonly overrides?: Partial<EnvironmentInput>;
  /** `report` synthesizes a configuration the latency budget refuses (to see what it would do). @default "enforce" */
  readonly latencyBudget?: "enforce" | "report";
  /**
   * Virtual milliseconds per real millisecond (see time-scale.ts): the most the simulation runs at. With
   * `calibrate`, the simulation measures how long a host round trip plus a DynamoDB read takes on this
   * machine right now and lowers the speed so that they count for at most `calibrationTargetMs` of virtual
   * time. @default 20
   */
  readonly speed?: number;
  /** Measure the machine and lower the speed when it is slow or busy (see `speed`). @default true */
  readonly calibrate?: boolean;
  /** Virtual time a host round trip plus a DynamoDB read may count for at the chosen speed. @default 100 */
  readonly calibrationTargetMs?: number;
  /** Run the deployed packages (`bundle`) or the handlers' TypeScript sources. @default "bundle" */
  readonly target?: HostTarget;
  /** The flows whose functions are started (fewer processes when only one channel is simulated). @default both */
  readonly channels?: readonly ("chat" | "voice")[];
  /**
   * Extra environment variables of a function's host, e.g. `BRIDGE_SETTINGS_PATH` to run a deployed package
   * with other settings (bench/chat-delivery.ts runs answer-poller with a one-read budget this way). With
   * `target: "source"` the host sets BRIDGE_SETTINGS_PATH itself. @default none
   */
  readonly hostEnvironment?: (fn: StackFunction, stack: SynthesizedEnvironment) => Readonly<Record<string, string>> | undefined;
}

/** A flow Lambda call the Lambda service refuses, as the runtime's fault hook sees it. */
export interface InvokeCall {
  readonly functionName: string;
  /** Virtual contact time of the attempt. */
  readonly atMs: number;
  readonly attempt: number;
  readonly actionId: string;
}

export interface ContactScenario {
  readonly channel: "chat" | "voice";
  readonly customer: CustomerScript | readonly CustomerScriptEntry[];
  /** Converse replies (default: an ANSWER after the model's catalogue latency). */
  readonly bedrock?: BedrockScript;
  /** Q in Connect replies (default: an answer after the agent's catalogue latency). */
  readonly qInConnect?: QInConnectScript;
  /** How the Lambda service delivers each asynchronous (worker) invocation. @default "once" */
  readonly workerDelivery?: (index: number) => Delivery;
  /** Flow Lambda calls the Lambda service refuses (reserved concurrency exhausted, a service fault). */
  readonly invokeFault?: (call: InvokeCall) => "throttled" | "service" | undefined;
  /** Contact attributes at the start (chat: StartChatContact's). @default chat: {customerName} */
  readonly attributes?: Readonly<Record<string, string>>;
  /** The caller's number on voice. @default +81312345678 */
  readonly customerEndpoint?: string;
  /** Simulator options on top of the environment's (message streaming from the stack, Connect's 3 Lambda retries). */
  readonly options?: SimulationOptions;
  readonly contactId?: string;
  /**
   * A flow run in place of the stack's flow of `channel` (e.g. a baseline design built with the flow
   * builder); its ARNs must be the simulated ones the stack's flows use. @default the stack's flow
   */
  readonly flow?: { readonly name: string; readonly document: FlowDocument };
}

/** One Lambda invocation of the contact, whoever made it. */
export interface InvocationRecord {
  readonly functionName: string;
  /** flow: an Invoke AWS Lambda block; lex-code-hook: the bot's fulfillment; async: an Event invoke (the worker). */
  readonly via: "flow" | "lex-code-hook" | "async";
  /** Virtual contact time it started. */
  readonly atMs: number;
  /** Virtual time it took (undefined while it still runs). */
  readonly durationMs?: number;
  readonly status: "ok" | "error" | "timeout" | "throttled" | "service-error" | "running" | "not-delivered";
  /** What it returned, in a word or two (the poller's status, the bridge status, ...). */
  readonly summary?: string;
  /** Metrics the handler emitted (embedded metric format), summed. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly error?: string;
}

/** A DynamoDB request of the contact, at virtual contact time. */
export interface DynamoRecord extends DynamoRequest {
  readonly atMs: number;
}

/** A Bedrock call during the contact, at virtual contact time. */
export interface BedrockRecord extends BedrockCallRecord {
  readonly atMs: number;
}

export interface ContactRun {
  readonly contactId: string;
  readonly channel: "chat" | "voice";
  readonly flowName: string;
  readonly trace: ContactTrace;
  readonly invocations: readonly InvocationRecord[];
  readonly dynamo: readonly DynamoRecord[];
  readonly bedrock: readonly BedrockRecord[];
  readonly lex: readonly LexTurnRecord[];
  readonly qInConnect: readonly QInConnectTurnRecord[];
  readonly turns: readonly TurnReport[];
  readonly speed: number;
  /** The calibration's real milliseconds of a warm function call, when the speed was calibrated. */
  readonly probeRealMs?: number;
  /** The largest lag of real time behind a planned virtual instant (simulator and I/O overhead), virtual ms. */
  readonly largestLagMs: number;
  /** Virtual time the clock jumped over while no handler ran. */
  readonly jumpedOverMs: number;
  /**
   * The longest pause of the machine during the contact (stall-sentinel.ts): how late a 10 ms timer fired
   * in the simulator or a function host, real ms. Times `speed`, it is contact time the kit did not spend.
   */
  readonly largestStallRealMs: number;
  /** Real milliseconds the contact took. */
  readonly realMs: number;
  /** The per-turn table. */
  table(): string;
}

/** The shipped environment `name`, or `config`, with `overrides` applied and validated. */
export function environmentFor(environment: string | EnvironmentConfig = "dev", overrides?: Partial<EnvironmentInput>): EnvironmentConfig {
  const base = typeof environment === "string" ? loadEnvironments({ only: environment })[0] : environment;
  return overrides ? parseEnvironment({ ...base, ...overrides }, `${base.name} with simulation overrides`) : base;
}

function metricsOf(lines: readonly string[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const line of lines) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const directives = (parsed._aws as { CloudWatchMetrics?: { Metrics?: { Name: string }[] }[] } | undefined)?.CloudWatchMetrics ?? [];
    for (const directive of directives) {
      for (const { Name } of directive.Metrics ?? []) {
        const value = parsed[Name];
        const sum = typeof value === "number" ? value : Array.isArray(value) ? value.reduce((a: number, b) => a + Number(b), 0) : 0;
        totals[Name] = (totals[Name] ?? 0) + sum;
      }
    }
  }
  return totals;
}

function summaryOf(fn: StackFunction, result: unknown, metrics: Readonly<Record<string, number>>): string | undefined {
  const value = result as Record<string, unknown> | undefined;
  if (typeof value?.status === "string") return value.status;
  const attributes = (value?.sessionState as { sessionAttributes?: Record<string, string> } | undefined)?.sessionAttributes;
  if (attributes?.bridgeStatus) return [attributes.bridgeStatus, attributes.Tool].filter(Boolean).join(" ");
  if (metrics.AnswersStored) return "DONE";
  if (metrics.AnswersFailed) return "FAILED";
  if (metrics.DuplicateDeliveries) return "duplicate";
  return fn.functionName.endsWith("worker") ? "no outcome" : undefined;
}

/** An environment, synthesized and running offline with the real handlers. */
export class Simulation {
  private clock: ContactClock | undefined;
  private contactId: string | undefined;
  private journal: (InvocationRecord & { readonly contactId?: string })[] = [];
  private scenario: ContactScenario | undefined;
  private readonly lexBots: LexBots;
  private running = false;
  private readonly warmUpEvents = new Map<string, unknown>();

  private constructor(
    readonly env: EnvironmentConfig,
    readonly stack: SynthesizedEnvironment,
    readonly scale: TimeScale,
    readonly target: HostTarget,
    private readonly hosts: ReadonlyMap<string, FunctionHost>,
    /** Functions invoked asynchronously (InvocationType Event) through the loopback Lambda endpoint. */
    readonly asyncTargets: readonly string[],
    readonly channels: readonly ("chat" | "voice")[],
    private readonly services: {
      readonly dynalite?: LocalDynamo;
      readonly dynamo?: DynamoCounter;
      readonly bedrock: FakeBedrock;
      readonly scriptedBedrock: ScriptedBedrock;
      readonly qApi: FakeAwsJsonServer;
      readonly qInConnect: QInConnectFake;
      readonly lambda: FakeLambda;
    },
  ) {
    this.lexBots = new LexBots({
      stack,
      qInConnect: services.qInConnect,
      clock: () => this.contactClock(),
      chatLimitMs: () => this.chatLimitMs(),
      invokeCodeHook: (fn, event, request) => this.invokeHost(fn, event, "lex-code-hook", request.atMs),
    });
  }

  /** Synthesizes the environment and starts everything a contact needs. */
  static async start(setup: SimulationSetup = {}): Promise<Simulation> {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    const env = environmentFor(setup.environment, setup.overrides);
    const stack = SynthesizedEnvironment.synthesize(env, { latencyBudget: setup.latencyBudget });
    // Hosts start in real time (so warming up cannot time out); the speed is set after the calibration.
    const scale = new TimeScale(1);
    const target = setup.target ?? "bundle";
    const table = stack.turnTable();
    const dynamo = table ? new DynamoCounter({ hash: table.hashKey, range: table.rangeKey }) : undefined;
    const dynalite = table && dynamo ? await startDynalite(table.name, dynamo.observe) : undefined;
    const bedrock = await FakeBedrock.start();
    const scriptedBedrock = new ScriptedBedrock(bedrock, scale, (modelId) => expectedModelSeconds(env, modelId) * 1000, () => scale.realNow());
    const qApi = new FakeAwsJsonServer();
    const qEndpoint = await qApi.start();
    const session = stack.functionAt("session");
    const qInConnect = new QInConnectFake(qApi, {
      byChannel: { chat: session?.environment.AGENT_CHAT, voice: session?.environment.AGENT_VOICE },
      defaultChannel: env.qInConnect?.defaultAgent ?? "voice",
      expectedMs: (channel) => (env.qInConnect ? expectedAgentSeconds(env, env.qInConnect.agents[channel]) * 1000 : 0),
    });
    const handlers: Record<string, Handler> = {};
    const lambda = await FakeLambda.start(handlers);
    const environment: Record<string, string> = {
      AWS_REGION: stack.region,
      AWS_DEFAULT_REGION: stack.region,
      AWS_ACCESS_KEY_ID: "AKIDSIMULATOR",
      AWS_SECRET_ACCESS_KEY: "simulator-secret",
      AWS_CONFIG_FILE: "/nonexistent/aws-config",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
      AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: bedrock.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
      AWS_ENDPOINT_URL_QCONNECT: qEndpoint,
      ...(dynalite ? { AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint } : {}),
      ...scale.hostEnvironment(),
    };
    const channels = setup.channels ?? ["chat", "voice"];
    const { all, asyncTargets } = functionsReached(stack, channels);
    const started = await Promise.allSettled(all.map((fn) => FunctionHost.start(fn, { target, environment: { ...environment, ...setup.hostEnvironment?.(fn, stack) } })));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed) {
      await Promise.all(started.map((result) => (result.status === "fulfilled" ? result.value.stop() : undefined)));
      await lambda.close().catch(() => undefined);
      await bedrock.close();
      await qApi.stop();
      await dynalite?.close();
      throw failed.reason;
    }
    const hosts = new Map(started.map((result) => [(result as PromiseFulfilledResult<FunctionHost>).value.fn.functionName, (result as PromiseFulfilledResult<FunctionHost>).value]));
    const simulation = new Simulation(env, stack, scale, target, hosts, asyncTargets.map((fn) => fn.functionName), channels, {
      dynalite,
      dynamo,
      bedrock,
      scriptedBedrock,
      qApi,
      qInConnect,
      lambda,
    });
    for (const fn of asyncTargets) handlers[fn.functionName] = (payload) => simulation.runAsync(fn, payload);
    try {
      await simulation.warmUp();
      const maximum = setup.speed ?? 20;
      const speed = setup.calibrate === false ? maximum : await simulation.calibrate(maximum, setup.calibrationTargetMs ?? 100);
      const warp = scale.setSpeed(speed);
      await Promise.all([...hosts.values()].map((host) => host.setWarp(warp)));
    } catch (error) {
      await simulation.stop();
      throw error;
    }
    return simulation;
  }

  /**
   * Warm execution environments, as after some traffic: every host runs (at least twice) for a throwaway contact with
   * a real call of each AWS API it uses (the poller reads a missing turn, lex-fulfillment starts a chat
   * turn, which runs the worker and Bedrock, qconnect-session updates a session), so no contact pays for
   * module loading, SDK client creation and first connections. Fails when a handler cannot reach its
   * services.
   */
  private async warmUp(): Promise<void> {
    const contactId = `warmup-${crypto.randomUUID()}`;
    const { scriptedBedrock, qInConnect } = this.services;
    scriptedBedrock.use(() => ({ latencyMs: 0 }));
    const chatRequest = {
      input: "warm-up",
      inputMode: "Text" as const,
      sessionId: contactId,
      sessionAttributes: { contactId, channel: "CHAT" },
      requestAttributes: { [LEX_CHANNEL_PLATFORM_ATTRIBUTE]: "Connect Chat" },
    };
    const warmUpEvent = (fn: StackFunction): { event: unknown; expect?: (result: unknown) => boolean } => {
      const role = fn.constructPath.split("/");
      if (role.includes("poller")) {
        return {
          event: { Details: { ContactData: { ContactId: contactId, Channel: "CHAT", LanguageCode: "ja-JP", Attributes: {} }, Parameters: { turnId: "000000000-00000000", pollCount: "0" } } },
          expect: (result) => (result as { status?: string })?.status === "EXPIRED",
        };
      }
      if (role.includes("fulfillment")) {
        const bot = { botId: "WARMUPBOT0", botName: "warm-up", aliasId: "WARMUPALIA", aliasName: "live" };
        return {
          event: codeHookEvent(chatRequest, bot, BotIntent.fallback, this.env.locales[0]),
          expect: (result) => ["PENDING", "READY"].includes(String((result as { sessionState?: { sessionAttributes?: Record<string, string> } })?.sessionState?.sessionAttributes?.bridgeStatus)),
        };
      }
      if (role.includes("session") && fn.environment.ASSISTANT_ID) {
        const created = qInConnect.createSession(`arn:aws:wisdom:${this.stack.region}:${this.stack.model.accountId}:assistant/${fn.environment.ASSISTANT_ID}`, contactId);
        const sessionArn = "sessionArn" in created ? created.sessionArn : "";
        return {
          event: { Details: { ContactData: { ContactId: contactId, Channel: "VOICE" }, Parameters: { sessionArn, channel: "VOICE" } } },
          expect: (result) => (result as { status?: string })?.status === "OK",
        };
      }
      return { event: {} };
    };
    // One host at a time, until its call succeeds on a second or later pass: the first pays for module
    // loading and client creation in (warped) real time and may time out doing so.
    for (const host of this.hosts.values()) {
      const { event, expect } = warmUpEvent(host.fn);
      this.warmUpEvents.set(host.fn.functionName, event);
      for (let pass = 1; ; pass += 1) {
        const invocation = await host.invoke(event);
        await this.settle();
        const passed = !expect || (invocation.ok && expect(invocation.result));
        if (passed && pass >= 2) break;
        if (pass >= 4) {
          throw new Error(
            `warm-up of ${host.fn.functionName} (${host.target}) failed: ${JSON.stringify(invocation.ok ? invocation.result : invocation.error).slice(0, 600)}\n${invocation.lines.slice(-5).join("\n")}\n${host.stderr.slice(-2000)}`,
          );
        }
      }
    }
    await this.settle();
    scriptedBedrock.use(undefined);
  }

  /** Virtual milliseconds per real millisecond of this simulation's contacts. */
  get speed(): number {
    return this.scale.speed;
  }

  /** The calibration's measurement: real milliseconds of a host round trip plus a DynamoDB read (75th percentile of 8). */
  probeRealMs: number | undefined;

  /**
   * Times what a warm function call with one DynamoDB read costs on this machine right now, the same way
   * in every environment: a host's round trip (an event it rejects at once) plus a GetItem on dynalite
   * from here, 8 times. Returns the speed at which the 75th percentile counts for `targetMs`: `maximum`
   * on an idle machine, less on a slow or busy one (at least 1).
   */
  private async calibrate(maximum: number, targetMs: number): Promise<number> {
    const host = [...this.hosts.values()][0];
    const table = this.stack.turnTable();
    const endpoint = this.services.dynalite?.endpoint;
    const client = endpoint
      ? new DynamoDBClient({ endpoint, region: this.stack.region, credentials: { accessKeyId: "AKIDSIMULATOR", secretAccessKey: "simulator-secret" } })
      : undefined;
    const read = async () => {
      if (!client || !table) return;
      const key: Record<string, { S: string }> = { [table.hashKey]: { S: "calibration" } };
      if (table.rangeKey) key[table.rangeKey] = { S: "000000000-00000000" };
      await client.send(new GetItemCommand({ TableName: table.name, Key: key, ConsistentRead: true }));
    };
    try {
      await read();
      const times: number[] = [];
      for (let i = 0; i < 8; i += 1) {
        const started = performance.now();
        if (host) await host.invoke({});
        await read();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      this.probeRealMs = Math.round(times[5] * 10) / 10;
    } finally {
      client?.destroy();
    }
    return Math.max(1, Math.min(maximum, Math.floor(targetMs / Math.max(this.probeRealMs, 0.1))));
  }

  /**
   * Changes the speed for the next contacts (between contacts): e.g. a contact a machine pause disturbed
   * (`isDisturbed`) runs again slower, where the same pause counts for less contact time.
   */
  async setSpeed(speed: number): Promise<void> {
    if (this.running) throw new Error("change the speed between contacts, not while one runs");
    const warp = this.scale.setSpeed(speed);
    await Promise.all([...this.hosts.values()].map((host) => host.setWarp(warp)));
  }

  /** Runs one contact to its end (contacts of one simulation run one after another). */
  async runContact(scenario: ContactScenario): Promise<ContactRun> {
    if (this.running) throw new Error("one contact at a time: await the previous runContact first");
    this.running = true;
    try {
      return await this.run(scenario);
    } finally {
      this.running = false;
    }
  }

  /** No handler invocation runs and the loopback Lambda endpoint has no delivery under way. */
  private async idle(): Promise<boolean> {
    if ([...this.hosts.values()].some((host) => host.running > 0)) return false;
    const lambdaIdle = await Promise.race([
      this.services.lambda.idle().then(() => true),
      new Promise<boolean>((resolve) => setImmediate(() => resolve(false))),
    ]);
    return lambdaIdle && [...this.hosts.values()].every((host) => host.running === 0);
  }

  /** Waits (real time, at most `timeoutMs`) until no handler invocation is running. */
  async settle(timeoutMs = 10_000): Promise<void> {
    await Promise.all([...this.hosts.values()].map((host) => host.drain(timeoutMs)));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.hosts.values()].map((host) => host.stop()));
    const { lambda, bedrock, qApi, dynalite } = this.services;
    await lambda.close().catch(() => undefined);
    await bedrock.close();
    await qApi.stop();
    await dynalite?.close();
  }

  /** The per-channel Lex limit Connect applies to the current contact. */
  private chatLimitMs(): number {
    const options = this.scenario?.options ?? {};
    const streaming = options.messageStreaming ?? this.stack.enablesMessageStreaming();
    return options.lexChatTimeoutMs ?? (streaming ? DEFAULTS.lexChatStreamingTimeoutMs : DEFAULTS.lexChatTimeoutMs);
  }

  private contactClock(): ContactClock {
    if (!this.clock) throw new Error("no contact is running");
    return this.clock;
  }

  /** Texts that are never a turn's answer: the flow's greeting and follow-up prompts, the bridge's interim messages. */
  private fillers(flowActions: readonly FlowAction[]): Set<string> {
    const texts = new Set<string>();
    for (const action of flowActions) {
      if ((action.Identifier === "lex-greeting" || action.Identifier === "lex-follow-up") && typeof action.Parameters?.Text === "string") texts.add(action.Parameters.Text);
    }
    for (const fn of this.stack.functions) {
      const settings = this.stack.packagedFile(fn, "settings.json");
      if (!settings) continue;
      const messages = (JSON.parse(settings) as { messages?: Record<string, { interim?: string }> }).messages ?? {};
      for (const set of Object.values(messages)) if (set.interim) texts.add(set.interim);
    }
    return texts;
  }

  private async run(scenario: ContactScenario): Promise<ContactRun> {
    const contactId = scenario.contactId ?? crypto.randomUUID();
    if (!this.channels.includes(scenario.channel)) throw new Error(`this simulation was started for ${this.channels.join(" and ")} only`);
    const flow = scenario.flow ?? this.stack.flows[scenario.channel];
    const agentUi = this.stack.flows["agent-ui"];
    const { scriptedBedrock, qInConnect, lambda, dynamo } = this.services;
    scriptedBedrock.use(scenario.bedrock);
    qInConnect.use(scenario.qInConnect);
    this.scenario = scenario;
    this.contactId = contactId;
    this.journal = [];
    const bedrockFrom = scriptedBedrock.calls.length;
    const lexFrom = this.lexBots.turns.length;
    const qFrom = qInConnect.turns.length;
    const clock = this.scale.startContact({
      idle: () => this.idle(),
      shift: async (virtualMs) => {
        const warp = this.scale.shift(virtualMs);
        await Promise.all([...this.hosts.values()].map((host) => host.setWarp(warp)));
      },
    });
    this.clock = clock;
    // Pauses before the contact (an earlier test's teardown) are not this contact's; the hosts' sentinels
    // start over here and are read when it ends.
    await Promise.all([...this.hosts.values()].map((host) => host.takeStall()));
    const sentinel = new StallSentinel();
    let deliveries = 0;
    lambda.delivery = () => {
      const index = deliveries++;
      const delivery = scenario.workerDelivery?.(index) ?? "once";
      if (delivery === "drop" || delivery === "reject" || delivery === "crash") {
        this.journal.push({
          functionName: this.asyncTargets.join(" | ") || "async target",
          via: "async",
          atMs: clock.virtualAt(),
          status: "not-delivered",
          summary: delivery,
          metrics: {},
          contactId,
        });
      }
      return delivery;
    };
    const fillers = this.fillers(flow.document.Actions);
    const chat = scenario.channel === "chat";
    const runtime: SimulatorRuntime = {
      lex: this.lexBots.model,
      lambda: (request) => this.invokeFromFlow(request),
      createWisdomSession: (request) => {
        const created = qInConnect.createSession(request.assistantArn, request.contactId);
        return { ...created, durationMs: clock.elapsedSince(request.atMs) };
      },
      transferToQueue: (request) => {
        const inInstance = request.queue.id.startsWith(`${this.stack.instanceArn}/queue/`) || !request.queue.id.startsWith("arn:");
        return inInstance ? {} : { error: `queue ${request.queue.id} is not in instance ${this.stack.instanceArn}` };
      },
      flows: flowCatalog({ [agentUi.arn]: agentUi.document }),
      onIdle: (_from, to) => clock.sleepUntil(to),
    };
    const options: SimulationOptions = {
      messageStreaming: this.stack.enablesMessageStreaming(),
      lambdaRetries: 3,
      isAnswer: (entry: TranscriptEntry) => entry.kind !== "progress" && entry.from !== "agent-view" && !fillers.has(entry.text),
      ...scenario.options,
    };
    const trace = await simulateContact({
      flow: flow.document,
      flowName: flow.name,
      contact: {
        contactId,
        channel: chat ? "CHAT" : "VOICE",
        instanceArn: this.stack.instanceArn,
        ...(chat
          ? { attributes: scenario.attributes ?? { [ContactAttribute.customerName]: "Sim Customer" } }
          : { attributes: scenario.attributes ?? {}, customerEndpoint: scenario.customerEndpoint ?? "+81312345678" }),
      },
      customer: scenario.customer,
      runtime,
      options,
    });
    clock.close();
    for (const stallMs of await Promise.all([...this.hosts.values()].map((host) => host.takeStall()))) sentinel.observe(stallMs);
    const largestStallRealMs = sentinel.stop();
    const dynamoRecords: DynamoRecord[] = (dynamo?.forPartition(contactId) ?? [])
      .filter((request) => request.realMs >= clock.realBeginMs)
      .map((request) => ({ ...request, atMs: Math.round(clock.virtualAt(request.realMs)) }));
    const bedrockRecords: BedrockRecord[] = scriptedBedrock.calls.slice(bedrockFrom).map((call) => ({ ...call, atMs: Math.round(clock.virtualAt(call.realMs)) }));
    const invocations = [...this.journal];
    const lex = this.lexBots.turns.slice(lexFrom);
    const turns = turnReports({ trace, invocations, dynamo: dynamoRecords, bedrock: bedrockRecords, lex });
    const run: ContactRun = {
      contactId,
      channel: scenario.channel,
      flowName: flow.name,
      trace,
      invocations,
      dynamo: dynamoRecords,
      bedrock: bedrockRecords,
      lex,
      qInConnect: qInConnect.turns.slice(qFrom),
      turns,
      speed: this.scale.speed,
      ...(this.probeRealMs !== undefined ? { probeRealMs: this.probeRealMs } : {}),
      largestLagMs: clock.largestLagMs,
      jumpedOverMs: clock.jumpedOverMs,
      largestStallRealMs,
      realMs: Math.round(this.scale.realNow() - clock.realBeginMs),
      table: () => contactTable(run),
    };
    return run;
  }

  /** The contact's own records only: a straggler of an earlier contact (an answer it no longer waits for) is left out. */
  private record(entry: InvocationRecord, contactId: string | undefined): void {
    if (contactId !== undefined && contactId !== this.contactId) return;
    this.journal.push({ ...entry, contactId });
  }

  private async invokeHost(fn: StackFunction, event: unknown, via: InvocationRecord["via"], atMs: number): Promise<HostInvocation> {
    const host = this.hosts.get(fn.functionName);
    const contactId = this.contactId;
    if (!host) return { ok: false, error: { name: "ResourceNotFoundException", message: `no host for ${fn.functionName}` }, lines: [], realMs: 0 };
    const clock = this.contactClock();
    const invocation = await host.invoke(event);
    clock.poke();
    const metrics = metricsOf(invocation.lines);
    this.record(
      {
        functionName: fn.functionName,
        via,
        atMs,
        durationMs: clock.elapsedSince(atMs),
        status: invocation.ok ? "ok" : "error",
        ...(invocation.ok ? { summary: summaryOf(fn, invocation.result, metrics) } : { summary: invocation.error?.name, error: `${invocation.error?.name}: ${invocation.error?.message}` }),
        metrics,
      },
      contactId,
    );
    return invocation;
  }

  /** An asynchronous invocation delivered by the loopback Lambda endpoint (the worker). */
  private async runAsync(fn: StackFunction, payload: unknown): Promise<unknown> {
    const clock = this.clock;
    const atMs = clock ? Math.round(clock.virtualAt()) : 0;
    const contactId = (payload as { contactId?: string } | undefined)?.contactId;
    const invocation = await (this.hosts.get(fn.functionName)?.invoke(payload) ??
      Promise.resolve<HostInvocation>({ ok: false, error: { name: "ResourceNotFoundException", message: fn.functionName }, lines: [], realMs: 0 }));
    clock?.poke();
    const metrics = metricsOf(invocation.lines);
    if (clock === this.clock) {
      this.record(
        {
          functionName: fn.functionName,
          via: "async",
          atMs,
          durationMs: Math.round(clock ? clock.virtualAt() - atMs : 0),
          status: invocation.ok ? "ok" : "error",
          summary: invocation.ok ? summaryOf(fn, invocation.result, metrics) : invocation.error?.name,
          metrics,
          ...(invocation.ok ? {} : { error: `${invocation.error?.name}: ${invocation.error?.message}` }),
        },
        contactId,
      );
    }
    if (!invocation.ok) throw new Error(invocation.error?.message ?? "handler failed");
    return invocation.result;
  }

  /** `runtime.lambda`: an Invoke AWS Lambda block calls a function of the stack. */
  private async invokeFromFlow(request: LambdaInvocationRequest): Promise<LambdaInvocationResponse> {
    const clock = this.contactClock();
    const fn = this.stack.functionByArn(request.functionArn);
    const name = fn?.functionName ?? request.functionArn;
    const fault = this.scenario?.invokeFault?.({ functionName: name, atMs: request.atMs, attempt: request.attempt, actionId: request.actionId });
    if (fault) {
      // The Lambda service answers at once (modelled as 20 ms) without running the function.
      await clock.sleepUntil(request.atMs + 20);
      const durationMs = Math.max(20, clock.elapsedSince(request.atMs));
      this.record({ functionName: name, via: "flow", atMs: request.atMs, durationMs, status: fault === "throttled" ? "throttled" : "service-error", metrics: {} }, this.contactId);
      return {
        error: fault === "throttled" ? { kind: "throttled", message: "TooManyRequestsException: Rate Exceeded." } : { kind: "service", message: "ServiceException" },
        durationMs,
      };
    }
    if (!fn || !this.hosts.has(fn.functionName)) {
      return { error: { kind: "function", message: `ResourceNotFoundException: ${request.functionArn} is not a function of the stack` }, durationMs: 0 };
    }
    const call = this.invokeHost(fn, request.event, "flow", request.atMs);
    if (request.invocationType === "ASYNCHRONOUS") {
      void call;
      return { result: {}, durationMs: clock.elapsedSince(request.atMs), requestId: crypto.randomUUID() };
    }
    const limit = clock.deadline(request.atMs + request.timeLimitMs);
    const invocation = await Promise.race([call, limit.reached.then(() => undefined)]);
    limit.cancel();
    const durationMs = clock.elapsedSince(request.atMs);
    if (!invocation) {
      return { error: { kind: "function", message: "still running when the block's time limit ran out" }, durationMs: Math.max(durationMs, request.timeLimitMs + 1) };
    }
    if (!invocation.ok) return { error: { kind: "function", message: `${invocation.error?.name}: ${invocation.error?.message}` }, durationMs };
    return { result: invocation.result, durationMs };
  }
}

/** Functions the flows reach: invoked by a flow, a bot's code hook, or named by one of those (the async worker). */
function functionsReached(stack: SynthesizedEnvironment, channels: readonly ("chat" | "voice")[]): { all: StackFunction[]; asyncTargets: StackFunction[] } {
  const reached = new Map<string, StackFunction>();
  const add = (fn: StackFunction | undefined) => {
    if (fn && !reached.has(fn.functionName)) reached.set(fn.functionName, fn);
  };
  const strings: string[] = [];
  const collect = (value: unknown) => {
    if (typeof value === "string") strings.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  for (const channel of channels) collect(stack.flows[channel].document);
  for (const value of strings) {
    add(stack.functionByArn(value));
    const bot = value.startsWith("arn:aws:lex:") ? stack.botByAliasArn(value) : undefined;
    for (const hook of Object.values(bot?.codeHooks ?? {})) if (hook) add(stack.functionByArn(hook));
  }
  const asyncTargets: StackFunction[] = [];
  for (const fn of [...reached.values()]) {
    for (const value of Object.values(fn.environment)) {
      const target = stack.functions.find((other) => other.functionName === value);
      if (target && !asyncTargets.includes(target)) asyncTargets.push(target);
      add(target);
    }
  }
  return { all: [...reached.values()], asyncTargets };
}

/** Starts a simulation (see Simulation.start). */
export function startSimulation(setup: SimulationSetup = {}): Promise<Simulation> {
  return Simulation.start(setup);
}
