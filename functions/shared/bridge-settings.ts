import * as fs from "node:fs";
import * as path from "node:path";
import * as z from "zod/mini";

/**
 * Settings of the Bedrock bridge functions. The stack writes them at synth time as `settings.json` into
 * each function's package (so they change the code hash and need no 4 KB environment space); resource
 * names that Terraform resolves (table, worker function) come as environment variables instead.
 *
 * One zod schema, BridgeSettingsSchema, is the file's type (BridgeSettings) and its validation on both
 * sides: the stack validates what it writes (stacks/bridge/bridge-settings.ts: an invalid file fails
 * synth) and the handlers validate what they read (a SettingsError naming each bad field's path).
 * It is written with `zod/mini`, whose functions tree-shake: the schema and its checks add about 20 KB
 * (minified) to each bridge bundle, where zod's classic API would add about 450 KB.
 */

export const BRIDGE_LOCALES = ["ja_JP", "en_US"] as const;
export type BridgeLocale = (typeof BRIDGE_LOCALES)[number];
export const CHAT_STRATEGIES = ["poll", "streaming", "standard"] as const;
export type ChatStrategy = (typeof CHAT_STRATEGIES)[number];

/**
 * Bounds of the values an environment file sets; config/schema/bridge.ts applies the same ones to the
 * environment's `bridge` section, so what the configuration accepts the functions accept too.
 */
export const BRIDGE_LIMITS = {
  retrievalResults: { min: 1, max: 20 },
  maxTokens: { min: 64, max: 4096 },
  temperature: { min: 0, max: 1 },
  historyTurns: { min: 0, max: 20 },
  maxUtteranceChars: { min: 16, max: 4000 },
  maxAnswerChars: { min: 200, max: 5000 },
  /** Each customer-facing message, in characters. */
  messageChars: { min: 1, max: 1000 },
  ttlHours: { min: 1, max: 720 },
} as const;

/** A Bedrock knowledge base id. */
export const KNOWLEDGE_BASE_ID_RE = /^[0-9A-Z]{10}$/;
/** A Bedrock guardrail id and version. */
export const GUARDRAIL_ID_RE = /^[a-z0-9]{12}$/;
export const GUARDRAIL_VERSION_RE = /^(DRAFT|[1-9][0-9]{0,7})$/;

const bounded = (limit: { readonly min: number; readonly max: number }) => z.number().check(z.gte(limit.min), z.lte(limit.max));
const boundedInt = (limit: { readonly min: number; readonly max: number }) => z.int().check(z.gte(limit.min), z.lte(limit.max));
/** A time budget in milliseconds: a positive whole number. */
const budget = () => z.int().check(z.gte(1));
const text = () => z.string().check(z.minLength(1));

const message = () => z.string().check(z.minLength(BRIDGE_LIMITS.messageChars.min), z.maxLength(BRIDGE_LIMITS.messageChars.max));

export const BridgeMessageSetSchema = z.strictObject({
  /** Sent at once on chat while the answer is prepared (poll strategy). */
  interim: message(),
  /** Sent when no answer could be produced, with an offer to reach an agent. */
  apology: message(),
  /** Sent when the customer's message is empty. */
  emptyInput: message(),
  /** Sent when the customer's message is longer than `maxUtteranceChars`. */
  tooLong: message(),
  /** Sent when the poll window ran out before the answer arrived. */
  expired: message(),
});
export type BridgeMessageSet = z.output<typeof BridgeMessageSetSchema>;

export const BridgeSettingsSchema = z
  .strictObject({
    version: z.literal(1),
    defaultLocale: z.enum(BRIDGE_LOCALES),
    locales: z.array(z.enum(BRIDGE_LOCALES)).check(z.minLength(1)),
    chatStrategy: z.enum(CHAT_STRATEGIES),
    /** Converse model id per channel. */
    models: z.strictObject({ chat: text(), voice: text() }),
    knowledgeBaseId: z.optional(z.string().check(z.regex(KNOWLEDGE_BASE_ID_RE))),
    retrievalResults: boundedInt(BRIDGE_LIMITS.retrievalResults),
    guardrail: z.optional(z.strictObject({ id: z.string().check(z.regex(GUARDRAIL_ID_RE)), version: z.string().check(z.regex(GUARDRAIL_VERSION_RE)) })),
    maxTokens: boundedInt(BRIDGE_LIMITS.maxTokens),
    temperature: bounded(BRIDGE_LIMITS.temperature),
    historyTurns: boundedInt(BRIDGE_LIMITS.historyTurns),
    maxUtteranceChars: boundedInt(BRIDGE_LIMITS.maxUtteranceChars),
    maxAnswerChars: boundedInt(BRIDGE_LIMITS.maxAnswerChars),
    budgets: z.strictObject({
      /** Time allowed for a synchronous voice answer (the Lex fulfillment timeout less a margin). */
      voiceMs: budget(),
      /** Time allowed for a synchronous chat answer (streaming or standard strategy). */
      chatSyncMs: budget(),
      /** A turn still PENDING this long after it started is EXPIRED. */
      turnTimeoutMs: budget(),
      /** How long one answer-poller call waits before returning PENDING. */
      pollerBudgetMs: budget(),
      /** Pause between reads in the answer-poller. */
      pollIntervalMs: budget(),
    }),
    ttlHours: bounded(BRIDGE_LIMITS.ttlHours),
    /** Messages per configured locale. */
    messages: z.record(z.string(), BridgeMessageSetSchema),
    /** Full system prompt per configured locale. */
    systemPrompts: z.record(z.string(), text()),
  })
  .check(
    z.superRefine((settings, ctx) => {
      const issue = (path: PropertyKey[], text: string) => ctx.issues.push({ code: "custom", message: text, input: settings, path });
      if (new Set(settings.locales).size !== settings.locales.length) issue(["locales"], "lists a locale twice");
      if (!settings.locales.includes(settings.defaultLocale)) issue(["defaultLocale"], `must be one of locales (${settings.locales.join(", ")})`);
      for (const key of ["messages", "systemPrompts"] as const) {
        for (const locale of settings.locales) if (!(locale in settings[key])) issue([key, locale], "missing: every configured locale needs one");
        for (const locale of Object.keys(settings[key])) {
          if (!settings.locales.includes(locale as BridgeLocale)) issue([key, locale], `is not a configured locale (${settings.locales.join(", ")})`);
        }
      }
    }),
  );

/** The settings file's contents, as BridgeSettingsSchema checks them. */
export type BridgeSettings = z.output<typeof BridgeSettingsSchema>;

/** Thrown when settings are missing or invalid: a packaging error (at cold start) or a stack defect (at synth). */
export class SettingsError extends Error {
  override name = "SettingsError";
}

type Issue = z.core.$ZodIssue;

function count(n: number | bigint, origin: string): string {
  const unit = origin === "string" ? "character" : "entry";
  return `${String(n)} ${n === 1 ? unit : origin === "string" ? "characters" : "entries"}`;
}

/** One issue as "settings.<path>: <what is wrong>". */
function describeIssue(issue: Issue): string {
  const where = ["settings", ...issue.path.map(String)].join(".");
  const what = ((): string => {
    switch (issue.code) {
      case "invalid_type":
        return `expected ${issue.expected}`;
      case "invalid_value":
        return `expected ${issue.values.map((value) => JSON.stringify(value)).join(" or ")}`;
      case "too_small":
        return issue.origin === "string" || issue.origin === "array" ? `must have at least ${count(issue.minimum, issue.origin)}` : `must be at least ${String(issue.minimum)}`;
      case "too_big":
        return issue.origin === "string" || issue.origin === "array" ? `must have at most ${count(issue.maximum, issue.origin)}` : `must be at most ${String(issue.maximum)}`;
      case "invalid_format":
        return issue.format === "regex" && "pattern" in issue ? `must match ${String(issue.pattern)}` : `must be a valid ${issue.format}`;
      case "unrecognized_keys":
        return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
      default:
        return issue.message;
    }
  })();
  return `${where}: ${what}`;
}

/** Checks parsed settings against BridgeSettingsSchema; returns them typed or throws a SettingsError naming every bad field's path. */
export function validateBridgeSettings(value: unknown): BridgeSettings {
  const result = BridgeSettingsSchema.safeParse(value);
  if (result.success) return result.data;
  throw new SettingsError(`invalid bridge settings: ${result.error.issues.map(describeIssue).join("; ")}`);
}

/** File name of the settings inside a function package. */
export const SETTINGS_FILE = "settings.json";

let cached: BridgeSettings | undefined;

/**
 * Loads settings once per container: from `BRIDGE_SETTINGS_PATH` when set (tests), otherwise from
 * `settings.json` beside the bundled handler.
 */
export function loadBridgeSettings(): BridgeSettings {
  if (!cached) {
    const file = process.env.BRIDGE_SETTINGS_PATH ?? path.join(__dirname, SETTINGS_FILE);
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      throw new SettingsError(`cannot read bridge settings from ${file}: ${(error as Error).message}`);
    }
    cached = validateBridgeSettings(parsed);
  }
  return cached;
}

/** Forgets the cached settings (tests). */
export function resetBridgeSettingsCache(): void {
  cached = undefined;
}
