/**
 * The campaign's sample through the full flow simulator: contacts of the same kind of plan as the soak's
 * (seeded; tokens, Bedrock faults, duplicate and lost worker deliveries; Q in Connect failures) run
 * through each environment's synthesized chat and voice flows with the real handlers
 * (flows/simulator/integration). The simulator runs one contact at a time per simulation, so it checks
 * what the handler-level soak cannot see (the flows' branches, the Lex model, the messages the customer
 * actually gets) on a sample, not at volume.
 *
 * Per turn: an answer carrying this contact's and this turn's marker, or an explicit fallback message
 * (the bridge's apology or expired text, the flow's error / answerTimeout / agentsUnavailable text, the
 * bot's failure or timeout response), within the channel's limit (in the simulator's virtual time, which
 * counts the handlers' real overhead times the speed: `overheadAllowanceMs`); no Lambda error toward the
 * flow or Lex. DynamoDB faults are not injected here (the simulation's dynalite has no proxy).
 */
import type { EnvironmentConfig } from "../../config/schema/environment";
import { flowMessages } from "../../flows/default-messages";
import { fulfillmentSpec } from "../../flows/simulator/integration/lex-bot";
import type { QInConnectReply } from "../../flows/simulator/integration/q-in-connect";
import { type ContactRun, type ContactScenario, type Simulation, startSimulation } from "../../flows/simulator/integration/simulation";
import type { BedrockOutcome } from "../../flows/simulator/integration/bedrock";
import { BotIntent } from "../../functions/shared/flow-contract";
import type { BridgeSettings } from "../../functions/shared/bridge-settings";
import { type ChannelKind, type ConversationPlan, type PlanOptions, type TurnPlan, markersIn, planConversations } from "./plan";
import { Random } from "./random";
import type { Violation, ViolationKind } from "./campaign";

export interface FlowSampleSetup extends Omit<PlanOptions, "locales" | "voiceShare" | "conversations"> {
  /** Environments and the channels to sample in each. */
  readonly environments: readonly { readonly env: EnvironmentConfig; readonly channels: readonly ChannelKind[] }[];
  readonly contactsPerChannel: number;
  /** Share of Q in Connect turns that fail. */
  readonly qInConnectFailureRate: number;
  /** Simulation speed (calibrated down on a busy machine). */
  readonly speed: number;
  /** Virtual ms added to a turn's limit for the handlers' real overhead times the speed (the simulation tests' BRIDGE_OVERHEAD_MS). */
  readonly overheadAllowanceMs: number;
  readonly progress?: (line: string) => void;
}

export interface SampledTurn {
  readonly environment: string;
  readonly channel: ChannelKind;
  readonly engine: string;
  readonly contactId: string;
  readonly n: number;
  readonly fault: string;
  readonly outcome: "answer" | "fallback" | "none";
  readonly text: string;
  /** Virtual ms from the customer's message to the answer or fallback. */
  readonly latencyMs?: number;
  readonly limitMs: number;
}

export interface FlowSampleReport {
  readonly seed: number;
  readonly contacts: number;
  readonly turns: readonly SampledTurn[];
  readonly violations: readonly Violation[];
  readonly outcomes: Readonly<Record<string, number>>;
  readonly contactOutcomes: Readonly<Record<string, number>>;
  readonly speeds: Readonly<Record<string, number>>;
  readonly wallMs: number;
  readonly realMsPerContact: number;
  /** Real time per sampled turn, contacts' own time (setup excluded): what 10,000 turns this way would cost. */
  readonly realMsPerTurn: number;
}

function bedrockScript(plan: ConversationPlan): (call: { utterance: string }) => BedrockOutcome {
  const attempts = new Map<number, number>();
  return (call) => {
    const marker = markersIn(call.utterance).at(-1);
    const turn = marker && marker[0] === plan.token ? plan.turns[marker[1] - 1] : undefined;
    if (!turn) return { kind: "server-error", latencyMs: 10 };
    const attempt = attempts.get(turn.n) ?? 0;
    attempts.set(turn.n, attempt + 1);
    const step = turn.steps[Math.min(attempt, turn.steps.length - 1)];
    const message = `${turn.marker} answer for ${plan.token}.`;
    switch (step.kind) {
      case "hang":
        return { kind: "hang" };
      case "throttle":
        return { kind: "throttle", latencyMs: step.latencyMs };
      case "server-error":
        return { kind: "server-error", latencyMs: step.latencyMs };
      case "answer":
        if (turn.tool === "HANDOFF") return { kind: "handoff", message, latencyMs: step.latencyMs };
        if (turn.tool === "COMPLETE") return { kind: "complete", message, latencyMs: step.latencyMs };
        return { kind: "answer", message, latencyMs: step.latencyMs };
    }
  };
}

function qInConnectScript(plan: ConversationPlan, failureRate: number, random: Random): (turn: { turn: number }) => QInConnectReply {
  const replies = plan.turns.map((turn): QInConnectReply => {
    const latencyMs = turn.fault === "slow" ? Math.round(random.between(5_000, 9_000)) : Math.round(random.between(800, 3_000));
    if (random.chance(failureRate)) return { error: "simulated Q in Connect failure", latencyMs };
    if (turn.tool === "HANDOFF") return { handoff: { message: `${turn.marker} handoff` }, latencyMs };
    return { answer: `${turn.marker} Q answer for ${plan.token}.`, latencyMs };
  });
  return (turn) => replies[turn.turn - 1] ?? { error: "no such turn" };
}

function bridgeSettingsOf(simulation: Simulation): BridgeSettings | undefined {
  const fn = simulation.stack.functions.find((f) => simulation.stack.packagedFile(f, "settings.json"));
  return fn ? (JSON.parse(simulation.stack.packagedFile(fn, "settings.json") ?? "{}") as BridgeSettings) : undefined;
}

/** Every message the environment's flows, bots and bridge may say instead of an answer. */
function fallbackTexts(simulation: Simulation): Set<string> {
  const env = simulation.env;
  const texts = new Set<string>();
  for (const locale of env.locales) {
    const flow = flowMessages(locale, env.flows.messages[locale]);
    for (const text of [flow.error, flow.answerTimeout, flow.agentsUnavailable]) texts.add(text);
  }
  for (const set of Object.values(bridgeSettingsOf(simulation)?.messages ?? {})) for (const text of [set.apology, set.expired]) texts.add(text);
  for (const channel of ["chat", "voice"] as const) {
    const alias = /arn:aws:lex:[^"]+bot-alias\/[^"]+/.exec(JSON.stringify(simulation.stack.flows[channel].document))?.[0];
    const bot = alias ? simulation.stack.botByAliasArn(alias) : undefined;
    for (const intents of Object.values(bot?.locales ?? {})) {
      for (const intent of intents) {
        const spec = fulfillmentSpec(intent.FulfillmentCodeHook as Record<string, unknown> | undefined);
        for (const text of [...(spec.failure ?? []), ...(spec.timeout ?? [])]) texts.add(text);
      }
    }
  }
  return texts;
}

/** The most a turn may take on this channel of this environment, in virtual ms (before the overhead allowance). */
function channelLimitMs(simulation: Simulation, channel: ChannelKind): number {
  const env = simulation.env;
  const engine = env.channels[channel].engine;
  const settings = bridgeSettingsOf(simulation);
  if (channel === "chat" && engine === "bedrock-bridge" && settings?.chatStrategy === "poll") return settings.budgets.turnTimeoutMs + 2_000 + settings.budgets.pollIntervalMs;
  const alias = /arn:aws:lex:[^"]+bot-alias\/[^"]+/.exec(JSON.stringify(simulation.stack.flows[channel].document))?.[0];
  const bot = alias ? simulation.stack.botByAliasArn(alias) : undefined;
  const intentName = engine === "bedrock-bridge" ? BotIntent.fallback : BotIntent.qInConnect;
  const hook = bot?.locales[env.locales[0]]?.find((intent) => intent.Name === intentName)?.FulfillmentCodeHook;
  const fulfillment = fulfillmentSpec(hook as Record<string, unknown> | undefined).timeoutMs;
  if (channel === "voice") return fulfillment;
  // Chat through Lex: Connect's limit (10 s, 60 s with message streaming) or the fulfillment timeout, whichever is first.
  return Math.min(fulfillment, simulation.stack.enablesMessageStreaming() ? 60_000 : 10_000);
}

export async function runFlowSample(setup: FlowSampleSetup): Promise<FlowSampleReport> {
  const started = performance.now();
  const progress = setup.progress ?? (() => undefined);
  const turns: SampledTurn[] = [];
  const violations: Violation[] = [];
  const contactOutcomes: Record<string, number> = {};
  const speeds: Record<string, number> = {};
  let contacts = 0;
  let contactRealMs = 0;
  const root = new Random(setup.seed);
  for (const { env, channels } of setup.environments) {
    const simulation = await startSimulation({ environment: env, channels: [...channels], speed: setup.speed });
    speeds[env.name] = simulation.speed;
    try {
      const fallbacks = fallbackTexts(simulation);
      for (const channel of channels) {
        const engine = env.channels[channel].engine;
        const plans = planConversations({
          ...setup,
          seed: root.fork(`${env.name} ${channel}`).int(1, 0x7fffffff),
          conversations: setup.contactsPerChannel,
          voiceShare: channel === "voice" ? 1 : 0,
          locales: { chat: [env.locales[0]], voice: [env.locales[0]] },
          // The flow simulator's Lambda endpoint drops a "crash" delivery: the worker dies before it claims the turn.
        });
        const limitMs = channelLimitMs(simulation, channel) + setup.overheadAllowanceMs;
        for (const plan of plans) {
          const random = root.fork(`${env.name} ${channel} ${plan.index}`);
          const chatTurns = plan.turns;
          const scenario: ContactScenario = {
            channel,
            contactId: plan.contactId,
            customer: [...plan.turns.map((turn) => ({ say: turn.text, thinkMs: turn.thinkMs })), { disconnect: true, thinkMs: 2_000 }],
            bedrock: bedrockScript(plan),
            qInConnect: qInConnectScript(plan, setup.qInConnectFailureRate, random),
            workerDelivery: (index) => {
              const delivery = chatTurns[index]?.delivery ?? "once";
              return delivery.startsWith("crash") ? "crash" : (delivery as "once" | "twice-concurrent" | "twice-sequential");
            },
          };
          let run: ContactRun;
          try {
            run = await simulation.runContact(scenario);
          } catch (error) {
            violations.push({ kind: "handler process failure", contactId: plan.contactId, detail: `the simulation failed: ${(error as Error).message}` });
            continue;
          }
          contacts += 1;
          contactRealMs += run.realMs;
          contactOutcomes[`${env.name} ${channel}: ${run.trace.outcome.kind}`] = (contactOutcomes[`${env.name} ${channel}: ${run.trace.outcome.kind}`] ?? 0) + 1;
          const before = turns.length;
          judge(run, plan, env.name, channel, engine, fallbacks, limitMs, turns, violations);
          if (process.env.SOAK_TABLES && turns.slice(before).some((t) => t.outcome !== "answer")) progress(run.table());
        }
        progress(`flow sample: ${env.name} ${channel} (${engine}) done, ${contacts} contacts so far, speed ${simulation.speed}×`);
      }
    } finally {
      await simulation.stop();
    }
  }
  const outcomes: Record<string, number> = {};
  for (const turn of turns) outcomes[`${turn.environment} ${turn.channel} ${turn.outcome}`] = (outcomes[`${turn.environment} ${turn.channel} ${turn.outcome}`] ?? 0) + 1;
  return {
    seed: setup.seed,
    contacts,
    turns,
    violations,
    outcomes,
    contactOutcomes,
    speeds,
    wallMs: performance.now() - started,
    realMsPerContact: contacts ? contactRealMs / contacts : 0,
    realMsPerTurn: turns.length ? contactRealMs / turns.length : 0,
  };
}

function judge(
  run: ContactRun,
  plan: ConversationPlan,
  environment: string,
  channel: ChannelKind,
  engine: string,
  fallbacks: ReadonlySet<string>,
  limitMs: number,
  turns: SampledTurn[],
  violations: Violation[],
): void {
  const violate = (kind: ViolationKind, detail: string, turn?: number) =>
    violations.push({ kind, contactId: plan.contactId, ...(turn !== undefined ? { turn } : {}), detail: `${environment} ${channel}: ${detail}`.slice(0, 500) });
  if (run.trace.outcome.kind === "failed") violate("no answer or fallback", `the contact failed in the flow: ${JSON.stringify(run.trace.outcome).slice(0, 200)}`);
  for (const invocation of run.invocations) {
    if (invocation.via !== "async" && invocation.status === "error") violate("error result toward Lex or Connect", `${invocation.functionName} (${invocation.via}): ${invocation.error}`);
  }
  for (const report of run.turns) {
    if (report.index === 0 || !report.customer) continue;
    const planned: TurnPlan | undefined = plan.turns[report.index - 1];
    if (!planned) continue;
    const messages = report.seen.filter((m) => m.from !== "agent-view" && m.kind !== "progress").map((m) => m.text);
    const answer = report.answer?.text;
    let outcome: SampledTurn["outcome"] = "none";
    let text = answer ?? "";
    const marked = messages.filter((m) => markersIn(m).length);
    for (const message of marked) {
      if (markersIn(message).some(([token, n]) => token !== plan.token || n !== planned.n)) violate("answer for another contact or turn", `expected ${planned.marker}, saw ${message.slice(0, 120)}`, planned.n);
    }
    if (marked.length > 1 && new Set(marked).size < marked.length) violate("answered twice", `the answer was said ${marked.length} times`, planned.n);
    if (answer && markersIn(answer).length) outcome = "answer";
    else {
      const fallback = messages.find((m) => fallbacks.has(m));
      if (fallback) {
        outcome = "fallback";
        text = fallback;
      }
    }
    // A contact the flow ended (handoff, complete) before this turn's message was read has nothing to judge.
    if (outcome === "none" && !messages.length && run.trace.outcome.atMs <= report.customer.atMs + 1) continue;
    if (outcome === "none") violate("no answer or fallback", `turn ${planned.n} (${planned.fault}, ${planned.delivery}) got: ${JSON.stringify(messages).slice(0, 200)}`, planned.n);
    const at = outcome === "answer" ? report.answer?.atMs : report.seen.find((m) => m.text === text)?.atMs;
    const latencyMs = at !== undefined ? at - report.customer.atMs : undefined;
    if (latencyMs !== undefined && latencyMs > limitMs) violate("over the channel's limit", `turn ${planned.n} (${planned.fault}) took ${latencyMs} ms, limit ${limitMs} ms`, planned.n);
    turns.push({
      environment,
      channel,
      engine,
      contactId: plan.contactId,
      n: planned.n,
      fault: planned.fault,
      outcome,
      text: text.slice(0, 200),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      limitMs,
    });
  }
}
