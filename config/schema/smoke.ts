import { z } from "zod";
import { Locale } from "./common";

/** Flags every smoke-test pattern is compiled with: case-insensitive, Unicode-aware. */
export const SMOKE_PATTERN_FLAGS = "iu";

/** A regular expression given as a string; it must compile with {@link SMOKE_PATTERN_FLAGS}. */
const Pattern = z
  .string()
  .min(1)
  .max(1000)
  .refine(
    (source) => {
      try {
        new RegExp(source, SMOKE_PATTERN_FLAGS);
        return true;
      } catch {
        return false;
      }
    },
    { message: "expected a valid regular expression (JavaScript syntax, compiled with the i and u flags)" },
  );

/** One question the smoke test asks on chat, and what the answer must (not) look like. */
export const SmokeQuestion = z.strictObject({
  /** The customer's message, sent as plain text. */
  text: z.string().min(1).max(1024).describe("the customer's message, sent as plain text (at most 1,024 characters, Connect's chat limit)"),
  /** Pattern the answer must match (case-insensitive). Default: any answer that is not an apology. */
  expect: Pattern.optional().describe("pattern the answer must match (case-insensitive); default: any answer that is not an apology"),
  /** Pattern the answer must not match (case-insensitive), e.g. words that show a wrong knowledge source. */
  mustNotMatch: Pattern.optional().describe("pattern the answer must not match (case-insensitive)"),
});
export type SmokeQuestion = z.output<typeof SmokeQuestion>;

/** What the smoke test says in one locale. */
export const SmokeLocale = z.strictObject({
  /** Questions asked one after another in the same chat; each must get an answer in time. */
  questions: z.array(SmokeQuestion).min(1).max(10).describe("questions asked one after another in the same chat; each must get an answer in time"),
  /**
   * Sent last, to check that the contact is handed to an agent. It must be a phrase the bot routes to an
   * agent: for the bridge bot, one of its TalkToAgent intent's sample utterances.
   */
  handoffPhrase: z
    .string()
    .min(1)
    .max(1024)
    .describe("sent last to check the handoff to an agent; for the bridge bot, one of its TalkToAgent intent's sample utterances"),
});
export type SmokeLocale = z.output<typeof SmokeLocale>;

/** The kit's smoke conversation per locale, used when the environment does not configure one. */
export const DEFAULT_SMOKE_LOCALES: Readonly<Record<Locale, SmokeLocale>> = {
  ja_JP: {
    questions: [{ text: "Amazon Connect とは何ですか？" }],
    handoffPhrase: "担当者と話したい",
  },
  en_US: {
    questions: [{ text: "What is Amazon Connect?" }],
    handoffPhrase: "talk to an agent",
  },
};

/** The post-deploy smoke test's conversation (`npx tsx tools/smoke/index.ts <env>`). */
export const SmokeConfig = z
  .strictObject({
    /** Locale the smoke chat is held in. Default: the environment's first locale. */
    locale: Locale.optional().describe("locale the smoke chat is held in; default: the environment's first locale"),
    /**
     * Seconds an answer may take, counted from sending the question. Default: the limit of the chat
     * path in the latency budget (for example `bridge.poll.turnTimeoutSeconds` with the poll strategy,
     * 10 s for standard chat). A larger value is capped at that limit: it can only tighten the check.
     */
    answerTimeoutSeconds: z
      .number()
      .positive()
      .max(900)
      .optional()
      .describe("seconds an answer may take from sending the question; default and upper bound: the chat path's limit in the latency budget"),
    /** Pause between transcript reads while waiting for an answer, in milliseconds. */
    pollIntervalMs: z.number().int().min(50).max(10000).default(1000).describe("pause between transcript reads while waiting for an answer, in milliseconds"),
    ja_JP: SmokeLocale.default(() => structuredClone(DEFAULT_SMOKE_LOCALES.ja_JP)).describe("the smoke conversation in Japanese"),
    en_US: SmokeLocale.default(() => structuredClone(DEFAULT_SMOKE_LOCALES.en_US)).describe("the smoke conversation in US English"),
  })
  .describe("the post-deploy smoke test's conversation and time limit");
export type SmokeConfig = z.output<typeof SmokeConfig>;
