import { defineEnvironment } from "../schema/environment";

/**
 * Staging: state in S3 (S3-native locking plus the legacy lock table during migration), Amazon Q in
 * Connect on chat with message streaming (60 s limit), the Bedrock bridge on voice.
 */
export default defineEnvironment({
  name: "stg",
  region: "ap-northeast-1",
  tags: { "cost-center": "contact-center-stg" },
  backend: {
    type: "s3",
    bucket: "example-contact-center-tfstate",
    keyPrefix: "contact-center",
    dynamodbTable: "example-contact-center-tflock",
  },
  connect: { mode: "create", alias: "cc-kit-stg", outboundCalls: true },
  locales: ["ja_JP"],
  logRetentionDays: 90,
  channels: {
    chat: { engine: "q-in-connect", strategy: "streaming" },
    voice: { engine: "bedrock-bridge" },
  },
  bridge: {
    models: {
      chat: "apac.amazon.nova-pro-v1:0",
      voice: "apac.anthropic.claude-3-5-sonnet-20241022-v2:0",
    },
    table: { pointInTimeRecovery: true, ttlHours: 24, deletionProtection: false },
  },
  qInConnect: {
    knowledgeBase: { type: "none" },
    agents: {
      chat: { preProcessing: "apac.amazon.nova-pro-v1:0", answerGeneration: "apac.anthropic.claude-3-5-sonnet-20241022-v2:0" },
      voice: { preProcessing: "apac.amazon.nova-pro-v1:0", answerGeneration: "apac.amazon.nova-pro-v1:0" },
    },
    defaultAgent: "chat",
  },
  // Alarms go to the team's address, not to on-call: staging failures wait for working hours.
  alarms: { topic: { create: true, emails: ["contact-center-team@example.com"] } },
  pipeline: { oidcRoleArn: "arn:aws:iam::111122223333:role/contact-center-stg-pipeline" },
});
