/**
 * The campaign's plan, drawn from the seed before anything runs: conversations (contact id, channel,
 * locale, a token of their own), and per turn the customer's think time, the question, what Bedrock does
 * with it (answer time, or a fault) and how the worker's asynchronous invocation is delivered. Every
 * customer message carries its conversation's token and turn number (`⟦token-xxxxxxxx t7⟧`); the fake
 * model echoes it, so an answer that reaches another contact or another turn is recognised.
 */
import { Random } from "./random";

export type ChannelKind = "chat" | "voice";

/** What Bedrock does with a turn (the campaign's "Bedrock throttling / 5xx / slow answers"). */
export type BedrockFault =
  | "none"
  /** 1-2 ThrottlingExceptions, then the answer (the caller's retries absorb them). */
  | "throttle-retried"
  /** Throttled on every attempt: the caller runs out of attempts and the customer gets the apology. */
  | "throttle-exhausted"
  /** 1-2 5xx errors, then the answer. */
  | "5xx-retried"
  /** 5xx on every attempt. */
  | "5xx-exhausted"
  /** A slow answer: past Lex's 10 s chat limit, within the turn's deadline (voice: within its budget). */
  | "slow"
  /** No answer before the deadline (the request hangs): the caller gives up at its deadline. */
  | "past-deadline";

export const BEDROCK_FAULTS: readonly Exclude<BedrockFault, "none">[] = ["throttle-retried", "throttle-exhausted", "5xx-retried", "5xx-exhausted", "slow", "past-deadline"];

/** How the Lambda service delivers the worker's asynchronous invocation of a chat turn. */
export type WorkerDelivery = "once" | "twice-concurrent" | "twice-sequential" | "crash-at-model-call" | "crash-at-outcome-write";

/** One Converse attempt. */
export type BedrockStep =
  | { readonly kind: "answer"; readonly latencyMs: number }
  | { readonly kind: "throttle"; readonly latencyMs: number }
  | { readonly kind: "server-error"; readonly status: 500 | 502 | 503; readonly latencyMs: number }
  | { readonly kind: "hang" };

export type ReplyTool = "ANSWER" | "HANDOFF" | "COMPLETE";

export interface TurnPlan {
  /** 1-based. */
  readonly n: number;
  readonly thinkMs: number;
  readonly text: string;
  /** `⟦token-xxxxxxxx t<n>⟧`: in the question, echoed in the answer. */
  readonly marker: string;
  readonly fault: BedrockFault;
  /** Converse attempt i gets steps[min(i, length - 1)]. */
  readonly steps: readonly BedrockStep[];
  readonly tool: ReplyTool;
  /** An answer longer than the bridge's maxAnswerChars (cut by the handler). */
  readonly longAnswer: boolean;
  /** Chat only. */
  readonly delivery: WorkerDelivery;
}

export interface ConversationPlan {
  readonly index: number;
  readonly contactId: string;
  readonly token: string;
  readonly channel: ChannelKind;
  readonly locale: string;
  /** When the conversation starts, from the campaign's start. */
  readonly startAfterMs: number;
  readonly turns: readonly TurnPlan[];
}

export interface PlanOptions {
  readonly seed: number;
  readonly conversations: number;
  readonly turnsPerConversation: number;
  /** Share of conversations on voice (the rest is chat). */
  readonly voiceShare: number;
  /** Conversations start spread over this many ms. */
  readonly arrivalSpreadMs: number;
  readonly thinkMs: readonly [number, number];
  /** A normal answer's time (log-uniform). */
  readonly answerMs: readonly [number, number];
  /** A slow answer's time per channel. */
  readonly slowMs: Readonly<Record<ChannelKind, readonly [number, number]>>;
  readonly locales: Readonly<Record<ChannelKind, readonly string[]>>;
  /** Share of turns with a Bedrock fault. */
  readonly bedrockFaultRate: number;
  /** Share of chat turns whose worker event is delivered twice. */
  readonly duplicateRate: number;
  /** Share of chat turns whose worker crashes. */
  readonly crashRate: number;
  /** Share of answers that are HANDOFF / COMPLETE tool calls. */
  readonly handoffRate: number;
  readonly completeRate: number;
  /** Share of answers longer than maxAnswerChars. */
  readonly longAnswerRate: number;
}

const QUESTIONS: Readonly<Record<string, readonly string[]>> = {
  ja_JP: ["営業時間は？", "送料はいくらですか？", "返品の方法を教えてください", "注文をキャンセルしたい", "ポイントの有効期限は？", "支払い方法を変更できますか"],
  en_US: ["What are your opening hours?", "How much is shipping?", "How do I return an item?", "Can I cancel my order?", "When do my points expire?", "Can I change how I pay?"],
};

/** Relative weights of the Bedrock faults within `bedrockFaultRate`. */
const FAULT_WEIGHTS: readonly (readonly [Exclude<BedrockFault, "none">, number])[] = [
  ["throttle-retried", 30],
  ["throttle-exhausted", 5],
  ["5xx-retried", 25],
  ["5xx-exhausted", 5],
  ["slow", 30],
  ["past-deadline", 5],
];

function contactIdFrom(random: Random): string {
  const hex = random.hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function stepsFor(fault: BedrockFault, random: Random, answerMs: number, slow: readonly [number, number]): BedrockStep[] {
  const answer: BedrockStep = { kind: "answer", latencyMs: Math.round(answerMs) };
  const errorLatency = () => random.int(20, 300);
  switch (fault) {
    case "none":
      return [answer];
    case "throttle-retried":
      return [...Array.from({ length: random.int(1, 2) }, (): BedrockStep => ({ kind: "throttle", latencyMs: errorLatency() })), answer];
    case "throttle-exhausted":
      return [{ kind: "throttle", latencyMs: errorLatency() }];
    case "5xx-retried":
      return [...Array.from({ length: random.int(1, 2) }, (): BedrockStep => ({ kind: "server-error", status: random.pick([500, 502, 503] as const), latencyMs: errorLatency() })), answer];
    case "5xx-exhausted":
      return [{ kind: "server-error", status: random.pick([500, 503] as const), latencyMs: errorLatency() }];
    case "slow":
      return [{ kind: "answer", latencyMs: Math.round(random.between(slow[0], slow[1])) }];
    case "past-deadline":
      return [{ kind: "hang" }];
  }
}

export function planConversations(options: PlanOptions): ConversationPlan[] {
  const root = new Random(options.seed);
  const plans: ConversationPlan[] = [];
  const voiceCount = Math.round(options.conversations * options.voiceShare);
  for (let index = 0; index < options.conversations; index += 1) {
    const random = root.fork(`conversation ${index}`);
    // Voice and chat interleaved evenly, so both run at the same time throughout.
    const channel: ChannelKind = Math.floor(((index + 1) * voiceCount) / options.conversations) > Math.floor((index * voiceCount) / options.conversations) ? "voice" : "chat";
    const locale = random.pick(options.locales[channel]);
    const token = `token-${random.hex(8)}`;
    const contactId = contactIdFrom(random);
    const turns: TurnPlan[] = [];
    for (let n = 1; n <= options.turnsPerConversation; n += 1) {
      const marker = `⟦${token} t${n}⟧`;
      const fault: BedrockFault = random.chance(options.bedrockFaultRate) ? random.weighted(FAULT_WEIGHTS) : "none";
      const answerMs = random.logBetween(options.answerMs[0], options.answerMs[1]);
      const steps = stepsFor(fault, random, answerMs, options.slowMs[channel]);
      const toolRoll = random.next();
      const tool: ReplyTool = toolRoll < options.handoffRate ? "HANDOFF" : toolRoll < options.handoffRate + options.completeRate ? "COMPLETE" : "ANSWER";
      const deliveryRoll = random.next();
      const delivery: WorkerDelivery =
        channel === "voice"
          ? "once"
          : deliveryRoll < options.crashRate
            ? random.pick(["crash-at-model-call", "crash-at-outcome-write"] as const)
            : deliveryRoll < options.crashRate + options.duplicateRate
              ? random.pick(["twice-concurrent", "twice-sequential"] as const)
              : "once";
      const question = random.pick(QUESTIONS[locale] ?? QUESTIONS.en_US);
      turns.push({
        n,
        thinkMs: Math.round(random.between(options.thinkMs[0], options.thinkMs[1])),
        text: `${question} ${marker}`,
        marker,
        fault,
        steps,
        tool,
        longAnswer: random.chance(options.longAnswerRate),
        delivery,
      });
    }
    plans.push({ index, contactId, token, channel, locale, startAfterMs: Math.round(random.between(0, options.arrivalSpreadMs)), turns });
  }
  return plans;
}

/** Every marker in a text: `[token, turn]` pairs. */
export function markersIn(text: string): [string, number][] {
  return [...text.matchAll(/⟦(token-[0-9a-f]{8}) t(\d+)⟧/g)].map((match) => [match[1], Number(match[2])]);
}
