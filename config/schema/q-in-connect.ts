import { z } from "zod";
import { KmsKeyArn, ModelIdField } from "./common";

/** The models of one channel's self-service AI agent. */
const AgentModels = z.strictObject({
  /** Model of the SELF_SERVICE_PRE_PROCESSING prompt (picks the tool: QUESTION, HANDOFF, ...). */
  preProcessing: ModelIdField,
  /** Model of the SELF_SERVICE_ANSWER_GENERATION prompt (writes the answer from knowledge base passages). */
  answerGeneration: ModelIdField,
});

const WebCrawlerSource = z.strictObject({
  type: z.literal("web-crawler"),
  /** Pages the managed crawler starts from (1-10 https URLs). */
  seedUrls: z.array(z.url({ protocol: /^https$/ })).min(1).max(10),
  /** Crawl scope. Default: HOST_ONLY, pages on the seed URLs' hosts. */
  scope: z.enum(["HOST_ONLY", "SUBDOMAINS"]).default("HOST_ONLY"),
  /** Pages crawled per second per host (1-300). */
  rateLimit: z.number().int().min(1).max(300).default(20),
  /** URL regexes to include; default: everything in scope. */
  inclusionFilters: z.array(z.string().min(1).max(1000)).max(25).default([]),
  /** URL regexes to exclude. */
  exclusionFilters: z.array(z.string().min(1).max(1000)).max(25).default([]),
});

const NoKnowledgeBase = z.strictObject({ type: z.literal("none") });

export const QInConnectConfig = z.strictObject({
  /** Customer managed KMS key for the assistant and knowledge base. Default: an AWS owned key. */
  kmsKeyArn: KmsKeyArn.optional(),
  knowledgeBase: z
    .discriminatedUnion("type", [WebCrawlerSource, NoKnowledgeBase])
    .default({ type: "none" })
    .describe("the assistant's knowledge base: a managed web crawler, or none"),
  /** One SELF_SERVICE AI agent per channel, each with its own models. */
  agents: z.strictObject({ chat: AgentModels, voice: AgentModels }),
  /** Which channel's agent becomes the assistant's default self-service agent. */
  defaultAgent: z.enum(["chat", "voice"]).default("voice"),
  /** Seconds Q in Connect spends on knowledge base retrieval per turn, for the latency budget. */
  retrievalSeconds: z.number().min(0).max(10).default(1),
});
export type QInConnectConfig = z.output<typeof QInConnectConfig>;
