/**
 * Named scenarios: one customer contact per channel the scenario applies to, built from the environment
 * (its engines and strategy, its bot's own sample utterances). The CLI runs them by name and the
 * simulation tests assert on the same definitions.
 */
import { chatStrategy, type EnvironmentConfig, type EnvironmentInput } from "../../../config/schema/environment";
import type { Engine } from "../../../config/schema/common";
import { BotIntent } from "../../../functions/shared/flow-contract";
import type { CustomerStep } from "../customer";
import type { BedrockScript } from "./bedrock";
import type { QInConnectScript } from "./q-in-connect";
import { type ContactRun, type ContactScenario, type SimulationSetup, environmentFor, startSimulation } from "./simulation";
import type { SynthesizedEnvironment } from "./synthesized-stack";

export type Channel = "chat" | "voice";

export interface ScenarioContext {
  readonly env: EnvironmentConfig;
  readonly stack: SynthesizedEnvironment;
  readonly channel: Channel;
  readonly engine: Engine;
  /** The chat strategy (chat only). */
  readonly strategy?: string;
  /** Whether the instance has chat message streaming on. */
  readonly messageStreaming: boolean;
}

export interface ScenarioDefinition {
  readonly name: string;
  readonly description: string;
  /** Configuration variant the scenario needs (applied before synthesis). */
  readonly setup?: (env: EnvironmentConfig) => Pick<SimulationSetup, "overrides" | "latencyBudget">;
  /** The contact on `channel`, or undefined when the scenario does not apply to it. */
  readonly contact: (context: ScenarioContext) => ContactScenario | undefined;
}

export const QUESTION = "営業時間は？";
export const FOLLOW_UP_QUESTION = "送料はいくらですか？";

const ask = (text: string, thinkMs = 2_000): CustomerStep => ({ say: text, thinkMs });
const leave = (thinkMs = 3_000): CustomerStep => ({ disconnect: true, thinkMs });

/** The same latency for every answer, whichever engine gives it. */
function answersIn(latencyMs: number): { bedrock: BedrockScript; qInConnect: QInConnectScript } {
  return { bedrock: () => ({ latencyMs }), qInConnect: (turn) => ({ answer: `Q answer: ${turn.utterance}`, latencyMs }) };
}

/** The first sample utterance of the channel's bot's TalkToAgent intent, in the flow's locale. */
export function talkToAgentUtterance(context: ScenarioContext): string | undefined {
  const flow = JSON.stringify(context.stack.flows[context.channel].document);
  const alias = /arn:aws:lex:[^"]+bot-alias\/[^"]+/.exec(flow)?.[0];
  const bot = alias ? context.stack.botByAliasArn(alias) : undefined;
  const intents = bot?.locales[context.env.locales[0]] ?? [];
  return intents.find((intent) => intent.Name === BotIntent.talkToAgent)?.SampleUtterances?.[0]?.Utterance;
}

const bridgePoll = (context: ScenarioContext) => context.engine === "bedrock-bridge" && context.channel === "chat" && context.strategy === "poll";

const qInConnectSlowChat = (env: EnvironmentConfig): Partial<EnvironmentInput> => {
  if (!env.qInConnect) throw new Error(`environment ${env.name} has no qInConnect section to run the seed's configuration`);
  return {
    channels: { ...env.channels, chat: { engine: "q-in-connect", strategy: "standard" } },
    qInConnect: {
      ...env.qInConnect,
      agents: {
        ...env.qInConnect.agents,
        chat: { preProcessing: "apac.anthropic.claude-sonnet-4-20250514-v1:0", answerGeneration: "apac.anthropic.claude-3-5-sonnet-20241022-v2:0" },
      },
    },
  };
};

export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: "quick",
    description: "one question answered in 1 s, then the customer leaves",
    contact: (context) => ({ channel: context.channel, customer: [ask(QUESTION), leave()], ...answersIn(1_000) }),
  },
  {
    name: "answer-25s",
    description: "a 25 s answer: beyond standard chat's 10 s Lex limit, delivered by the poll strategy, message streaming or voice progress updates",
    contact: (context) => ({ channel: context.channel, customer: [ask(QUESTION), leave()], ...answersIn(25_000) }),
  },
  {
    name: "answer-45s",
    description: "a 45 s answer",
    contact: (context) => ({ channel: context.channel, customer: [ask(QUESTION), leave()], ...answersIn(45_000) }),
  },
  {
    name: "long-chat",
    description: "40 questions in one chat, each answered in 11 s (slower than standard chat allows)",
    contact: (context) =>
      context.channel === "chat"
        ? {
            channel: "chat",
            customer: [...Array.from({ length: 40 }, (_, i) => ask(`質問 ${i + 1}`, 500)), leave(1_000)],
            ...answersIn(11_000),
          }
        : undefined,
  },
  {
    name: "worker-never-answers",
    description: "the first turn's worker is never run (its event is lost); the customer gets the expired message and asks again",
    contact: (context) =>
      bridgePoll(context)
        ? {
            channel: "chat",
            customer: [ask(QUESTION), ask(FOLLOW_UP_QUESTION), leave()],
            bedrock: () => ({ latencyMs: 3_000 }),
            workerDelivery: (index) => (index === 0 ? "drop" : "once"),
          }
        : undefined,
  },
  {
    name: "model-never-answers",
    description: "Bedrock never answers the first turn: the worker gives up at the turn's deadline and the customer gets the apology, then asks again",
    contact: (context) => {
      if (!bridgePoll(context)) return undefined;
      let calls = 0;
      return {
        channel: "chat",
        customer: [ask(QUESTION), ask(FOLLOW_UP_QUESTION), leave()],
        bedrock: () => (calls++ === 0 ? { kind: "hang" } : { latencyMs: 3_000 }),
      };
    },
  },
  {
    name: "bedrock-throttled",
    description: "Bedrock throttles the first two Converse calls, then answers in 3 s",
    contact: (context) => {
      if (context.engine !== "bedrock-bridge") return undefined;
      let calls = 0;
      return {
        channel: context.channel,
        customer: [ask(QUESTION), leave()],
        bedrock: () => (calls++ < 2 ? { kind: "throttle", latencyMs: 100 } : { latencyMs: 3_000 }),
      };
    },
  },
  {
    name: "handoff",
    description: "the engine decides to hand the customer to an agent (HANDOFF with the summary fields)",
    contact: (context) => ({
      channel: context.channel,
      customer: [ask("契約内容を変更したいので担当の方と相談したいです"), leave(10_000)],
      bedrock: () => ({ kind: "handoff", latencyMs: 3_000, message: "担当者におつなぎします。", fields: handoffFields }),
      qInConnect: () => ({ latencyMs: 3_000, handoff: { message: "担当者におつなぎします。", ...handoffFields } }),
    }),
  },
  {
    name: "talk-to-agent",
    description: "the customer asks for a person with one of the TalkToAgent intent's sample utterances",
    contact: (context) => {
      const utterance = context.engine === "bedrock-bridge" ? talkToAgentUtterance(context) : undefined;
      return utterance ? { channel: context.channel, customer: [ask(utterance), leave(10_000)] } : undefined;
    },
  },
  {
    name: "catalogue-latency",
    description: "one question answered in the time the model catalogue expects of the channel's model(s) (no scripted latency)",
    contact: (context) => ({ channel: context.channel, customer: [ask(QUESTION), leave()] }),
  },
  {
    name: "progress-updates",
    description: "voice: a 25 s answer; the caller hears the start message and the updates, then the answer",
    contact: (context) => (context.channel === "voice" ? { channel: "voice", customer: [ask(QUESTION), leave()], ...answersIn(25_000) } : undefined),
  },
  {
    name: "streaming",
    description: "chat with message streaming (60 s Lex limit): a 45 s answer arrives; a 70 s one is cut at 60 s",
    contact: (context) =>
      context.channel === "chat" && context.messageStreaming
        ? {
            channel: "chat",
            customer: [ask(QUESTION), ask(FOLLOW_UP_QUESTION), leave()],
            bedrock: (call) => ({ latencyMs: call.utterance === QUESTION ? 45_000 : 70_000 }),
            qInConnect: (turn) => ({ answer: `Q answer: ${turn.utterance}`, latencyMs: turn.turn === 1 ? 45_000 : 70_000 }),
          }
        : undefined,
  },
  {
    name: "poller-throttled",
    description: "the poller's Invoke is throttled for the first 10 s of polling (reserved concurrency exhausted); the answer takes 6 s",
    contact: (context) => {
      if (!bridgePoll(context)) return undefined;
      let firstPollMs: number | undefined;
      return {
        channel: "chat",
        customer: [ask(QUESTION), leave()],
        bedrock: () => ({ latencyMs: 6_000 }),
        invokeFault: (call) => {
          if (!call.functionName.endsWith("answer-poller")) return undefined;
          firstPollMs ??= call.atMs;
          return call.atMs - firstPollMs < 10_000 ? "throttled" : undefined;
        },
      };
    },
  },
  {
    name: "seed-failure",
    description:
      "the seed's field report: Q in Connect on standard chat with Claude Sonnet 4 pre-processing and Claude 3.5 Sonnet answer generation, answering in the catalogue's expected time (the latency budget refuses this configuration; it is synthesized anyway)",
    setup: (env) => ({ overrides: qInConnectSlowChat(env), latencyBudget: "report" }),
    contact: (context) => (context.channel === "chat" && context.engine === "q-in-connect" ? { channel: "chat", customer: [ask(QUESTION), leave(10_000)] } : undefined),
  },
];

export const handoffFields = {
  customer_issue: "1. 契約内容の変更",
  bot_response: "1. 担当者への引き継ぎを案内",
  conversation_summary: "1. お客様が契約変更を希望 2. 担当者へ引き継ぎ",
  escalation_reason: "契約の変更には担当者の確認が必要なため。",
} as const;

export function scenarioNamed(name: string): ScenarioDefinition {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario "${name}"; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
  return scenario;
}

/** The context of a channel of a synthesized environment. */
export function scenarioContext(stack: SynthesizedEnvironment, channel: Channel): ScenarioContext {
  const env = stack.env;
  return {
    env,
    stack,
    channel,
    engine: env.channels[channel].engine,
    ...(channel === "chat" ? { strategy: chatStrategy(env) } : {}),
    messageStreaming: stack.enablesMessageStreaming(),
  };
}

export interface ScenarioRunOptions extends Omit<SimulationSetup, "environment" | "overrides" | "latencyBudget" | "channels"> {
  /** Only this channel. @default every channel the scenario applies to */
  readonly channel?: Channel;
}

/** One scenario's contacts on an environment, each channel it applies to in turn. */
export interface ScenarioRun {
  readonly scenario: ScenarioDefinition;
  readonly environment: EnvironmentConfig;
  readonly stack: SynthesizedEnvironment;
  readonly runs: readonly ContactRun[];
  /** Channels the scenario does not apply to in this environment. */
  readonly skipped: readonly Channel[];
}

/** Synthesizes the environment (with the scenario's variant), runs the scenario's contacts, stops. */
export async function runScenario(environment: string | EnvironmentConfig, name: string, options: ScenarioRunOptions = {}): Promise<ScenarioRun> {
  const scenario = scenarioNamed(name);
  const base = environmentFor(environment);
  const variant = scenario.setup?.(base) ?? {};
  const wanted: Channel[] = options.channel ? [options.channel] : ["chat", "voice"];
  const simulation = await startSimulation({ ...options, environment: base, ...variant, channels: wanted });
  try {
    const runs: ContactRun[] = [];
    const skipped: Channel[] = [];
    for (const channel of wanted) {
      const contact = scenario.contact(scenarioContext(simulation.stack, channel));
      if (!contact) {
        skipped.push(channel);
        continue;
      }
      runs.push(await simulation.runContact(contact));
    }
    return { scenario, environment: simulation.env, stack: simulation.stack, runs, skipped };
  } finally {
    await simulation.stop();
  }
}
