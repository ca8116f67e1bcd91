import { defineEnvironment } from "../schema/environment";

/**
 * Development: a new Connect instance, local state, both engines exercised (the Bedrock bridge answers
 * chat through the poll strategy, Amazon Q in Connect answers voice).
 */
export default defineEnvironment({
  name: "dev",
  region: "ap-northeast-1",
  tags: { "cost-center": "contact-center-dev" },
  backend: { type: "local" },
  connect: { mode: "create", alias: "cc-kit-dev", outboundCalls: true },
  locales: ["ja_JP", "en_US"],
  logRetentionDays: 14,
  // A Japanese number pointed at the voice flow (claiming one has a monthly cost; remove to skip).
  flows: { phoneNumber: { mode: "claim", countryCode: "JP", type: "DID" } },
  channels: {
    chat: { engine: "bedrock-bridge", strategy: "poll" },
    voice: { engine: "q-in-connect" },
  },
  bridge: {
    models: {
      chat: "apac.anthropic.claude-sonnet-4-20250514-v1:0",
      voice: "apac.anthropic.claude-3-haiku-20240307-v1:0",
    },
  },
  qInConnect: {
    knowledgeBase: { type: "web-crawler", seedUrls: ["https://docs.aws.amazon.com/connect/latest/adminguide/what-is-amazon-connect.html"] },
    agents: {
      chat: { preProcessing: "apac.amazon.nova-lite-v1:0", answerGeneration: "apac.amazon.nova-lite-v1:0" },
      voice: {
        preProcessing: "apac.anthropic.claude-sonnet-4-20250514-v1:0",
        answerGeneration: "apac.anthropic.claude-3-5-sonnet-20241022-v2:0",
      },
    },
  },
  // Alarms and their topic exist as everywhere (the dashboard shows their states), but nobody is paged.
  alarms: { paging: false },
  pipeline: { oidcRoleArn: "arn:aws:iam::111122223333:role/contact-center-dev-pipeline" },
});
