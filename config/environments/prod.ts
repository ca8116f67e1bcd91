import { defineEnvironment } from "../schema/environment";

/**
 * Production: an existing Connect instance (owned by another pipeline), HCP Terraform state with one
 * workspace, the provider pinned to the production account through a deploy role.
 * Replace the example account, role, instance id and organization with your own.
 */
export default defineEnvironment({
  name: "prod",
  region: "ap-northeast-1",
  // prevent_destroy on the stateful resources; set false in a reviewed commit before removing prod.
  protected: true,
  allowedAccountIds: ["111122223333"],
  assumeRoleArn: "arn:aws:iam::111122223333:role/contact-center-deploy",
  tags: { "cost-center": "contact-center" },
  backend: { type: "cloud", organization: "example-org", project: "contact-center" },
  connect: { mode: "existing", instanceId: "7c5b3f5e-1f4e-4c1e-9a7e-2f1d0c9b8a76" },
  flows: { handoff: { queueId: "4f6b2a1e-8c3d-4e5f-9a0b-1c2d3e4f5a6b" } },
  locales: ["ja_JP", "en_US"],
  logRetentionDays: 365,
  channels: {
    chat: { engine: "bedrock-bridge", strategy: "poll" },
    voice: { engine: "q-in-connect" },
  },
  bridge: {
    models: {
      chat: "apac.anthropic.claude-sonnet-4-20250514-v1:0",
      voice: "apac.anthropic.claude-3-haiku-20240307-v1:0",
    },
    table: { pointInTimeRecovery: true, ttlHours: 48, deletionProtection: true },
  },
  qInConnect: {
    knowledgeBase: { type: "web-crawler", seedUrls: ["https://www.example.com/support/"] },
    agents: {
      chat: { preProcessing: "apac.amazon.nova-lite-v1:0", answerGeneration: "apac.anthropic.claude-3-haiku-20240307-v1:0" },
      voice: {
        preProcessing: "apac.anthropic.claude-sonnet-4-20250514-v1:0",
        answerGeneration: "apac.anthropic.claude-sonnet-4-20250514-v1:0",
      },
    },
  },
  alarms: {
    // The topic the bridge created before alarms became their own section: same name, so it is moved
    // (stacks/moves.ts), not replaced, and the on-call address need not confirm its subscription again.
    topic: { create: true, name: "bridge-alarms", emails: ["contact-center-oncall@example.com"] },
  },
  pipeline: { oidcRoleArn: "arn:aws:iam::111122223333:role/contact-center-prod-pipeline", protected: true, smokeMode: "read-only" },
});
