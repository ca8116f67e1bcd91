import type { Engine, Locale } from "../../config/schema/common";
import type { EnvironmentConfig } from "../../config/schema/environment";
import { SMOKE_PATTERN_FLAGS, type SmokeQuestion } from "../../config/schema/smoke";
import { DEFAULT_BRIDGE_MESSAGES } from "../../stacks/bridge/default-messages";
import { latencyPaths } from "../../stacks/latency/budget";
import { resolveFulfillment } from "../../stacks/lex/fulfillment";
import { Q_IN_CONNECT_RESPONSE } from "../../stacks/lex/fulfillment-defaults";
import { definedOnly } from "../../stacks/objects";

/** What the chat smoke test asks, how long an answer may take, and which bot texts are not answers. */
export interface SmokePlan {
  readonly environment: string;
  readonly locale: Locale;
  readonly engine: Engine;
  readonly questions: readonly SmokeQuestion[];
  readonly handoffPhrase: string;
  /** Seconds an answer may take from sending the question. */
  readonly limitSeconds: number;
  /** Where the limit comes from. */
  readonly limitName: string;
  /** Extra seconds to keep waiting past the limit, so a late answer is told apart from a missing one. */
  readonly graceSeconds: number;
  readonly pollIntervalMs: number;
  /** Seconds to wait for the flow's greeting before the first question. */
  readonly greetingWaitSeconds: number;
  /** Bot texts that only say "please wait" (the bridge's interim message, Lex progress updates). */
  readonly interimTexts: readonly string[];
  /** Bot texts that say no answer could be given (the bridge's apology and expired texts, Lex failure and timeout responses). */
  readonly apologyTexts: readonly string[];
}

export interface SmokeOverrides {
  readonly answerTimeoutSeconds?: number;
  readonly pollIntervalMs?: number;
  readonly graceSeconds?: number;
  readonly greetingWaitSeconds?: number;
}

/** The chat answer path of the latency budget: the limit a customer's answer must arrive within. */
export function chatLimit(env: EnvironmentConfig): { seconds: number; name: string } {
  const chat = latencyPaths(env).filter((p) => p.channel === "chat" && p.models !== "none");
  if (!chat.length) throw new Error(`environment ${env.name} has no chat path in its latency budget`);
  return { seconds: chat[0].limitSeconds, name: chat[0].limitName };
}

const unique = (texts: readonly (string | undefined)[]) => [...new Set(texts.filter((t): t is string => Boolean(t?.trim())).map((t) => t.trim()))];

/**
 * The smoke plan of an environment: its smoke conversation in the chosen locale, the chat path's limit
 * (tightened by `smoke.answerTimeoutSeconds` or an override, never loosened), and the texts that are not
 * answers, from the same defaults and overrides the stack deploys.
 */
export function smokePlan(env: EnvironmentConfig, overrides: SmokeOverrides = {}): SmokePlan {
  const locale = env.smoke.locale ?? env.locales[0];
  if (!env.locales.includes(locale)) {
    throw new Error(`smoke.locale is ${locale}, but environment ${env.name} serves ${env.locales.join(", ")}`);
  }
  const engine = env.channels.chat.engine;
  const limit = chatLimit(env);
  const requested = overrides.answerTimeoutSeconds ?? env.smoke.answerTimeoutSeconds;
  const limitSeconds = requested !== undefined ? Math.min(requested, limit.seconds) : limit.seconds;
  const limitName =
    requested !== undefined && requested < limit.seconds
      ? `${overrides.answerTimeoutSeconds !== undefined ? "--answer-timeout" : "smoke.answerTimeoutSeconds"} (tighter than ${limit.name}, ${limit.seconds} s)`
      : limit.name;
  const fulfillment = resolveFulfillment(env, engine, locale);
  const bridgeMessages = engine === "bedrock-bridge" ? { ...DEFAULT_BRIDGE_MESSAGES[locale], ...definedOnly(env.bridge?.messages[locale] ?? {}) } : undefined;
  const conversation = env.smoke[locale];
  return {
    environment: env.name,
    locale,
    engine,
    questions: conversation.questions,
    handoffPhrase: conversation.handoffPhrase,
    limitSeconds,
    limitName,
    graceSeconds: overrides.graceSeconds ?? Math.min(limitSeconds, 30),
    pollIntervalMs: overrides.pollIntervalMs ?? env.smoke.pollIntervalMs,
    greetingWaitSeconds: overrides.greetingWaitSeconds ?? 10,
    interimTexts: unique([bridgeMessages?.interim, ...(fulfillment.start?.messages ?? []), ...(fulfillment.update?.messages ?? [])]),
    apologyTexts: unique([
      bridgeMessages?.apology,
      bridgeMessages?.expired,
      ...[fulfillment.failure, fulfillment.timeout].flatMap((r) => r?.messages ?? []).filter((m) => m !== Q_IN_CONNECT_RESPONSE),
    ]),
  };
}

/** Compiles a configured pattern with the flags the config schema validated it with. */
export function pattern(source: string): RegExp {
  return new RegExp(source, SMOKE_PATTERN_FLAGS);
}
