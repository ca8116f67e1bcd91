import { z } from "zod";

/** How the Q in Connect integration associations are made (see `integrations` below). */
export const CONNECT_INTEGRATIONS_MODES = ["cloud-control", "custom-resource"] as const;
export type ConnectIntegrationsMode = (typeof CONNECT_INTEGRATIONS_MODES)[number];

/**
 * How the Q in Connect assistant and knowledge base are associated with the instance
 * (WISDOM_ASSISTANT, WISDOM_KNOWLEDGE_BASE):
 * - `cloud-control` (default): the CloudFormation type AWS::Connect::IntegrationAssociation through
 *   Cloud Control, like the Lex bot associations. Its registry schema lists both Wisdom types
 *   (CloudFormation coverage issue 2468, shipped 2026-06-11).
 * - `custom-resource`: a Lambda function run by Terraform (aws_lambda_invocation) calls Connect's
 *   CreateIntegrationAssociation / DeleteIntegrationAssociation. For accounts or partitions where the
 *   Cloud Control type still rejects the Wisdom types (CloudFormation accepted only LEX_BOT,
 *   LAMBDA_FUNCTION, APPLICATION and CASES_DOMAIN before, which is why public projects use a custom
 *   resource), or where Cloud Control may not be used.
 *
 * Lex bot associations always use Cloud Control: the Connect API's CreateIntegrationAssociation does
 * not take LEX_BOT. Switching an applied environment re-creates the two associations: see the README.
 */
const Integrations = z.enum(CONNECT_INTEGRATIONS_MODES).default("cloud-control");
const INTEGRATIONS_DESCRIPTION =
  'how the Q in Connect assistant and knowledge base are associated with the instance: "cloud-control" (AWS::Connect::IntegrationAssociation, whose registry schema lists WISDOM_ASSISTANT and WISDOM_KNOWLEDGE_BASE) or "custom-resource" (a Lambda run by aws_lambda_invocation calls Connect CreateIntegrationAssociation; for accounts where the Cloud Control type rejects the Wisdom types, as CloudFormation did before June 2026). Lex bot associations always use Cloud Control. Switching an applied environment: see the README';

/** Create a new Amazon Connect instance in this stack. */
export const CreateInstanceConfig = z.strictObject({
  mode: z.literal("create"),
  /** Instance alias, unique in the account: becomes `<alias>.my.connect.aws`. */
  alias: z
    .string()
    .regex(/^(?!d-)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,60}[a-zA-Z0-9])?$/, "expected 1-62 letters, digits or hyphens, not starting with d-"),
  identityManagementType: z
    .enum(["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"])
    .default("CONNECT_MANAGED")
    .describe("how users sign in: Connect-managed users, SAML federation, or an existing AWS Directory Service directory"),
  /** Directory id, required with EXISTING_DIRECTORY. */
  directoryId: z.string().regex(/^d-[0-9a-f]{10}$/).optional(),
  inboundCalls: z.boolean().default(true).describe("accept inbound calls"),
  outboundCalls: z.boolean().default(false).describe("allow outbound calls"),
  contactLens: z.boolean().default(true).describe("Contact Lens conversational analytics on the instance"),
  earlyMedia: z.boolean().default(true).describe("early media for outbound calls (the agent hears the call before it is answered)"),
  integrations: Integrations.describe(INTEGRATIONS_DESCRIPTION),
});

/** Use an instance that exists already (created by another pipeline or by hand). */
export const ExistingInstanceConfig = z.strictObject({
  mode: z.literal("existing"),
  instanceId: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "expected a Connect instance id (a UUID)")
    .describe("id of the existing instance (read with the aws_connect_instance data source, never changed)"),
  integrations: Integrations.describe(INTEGRATIONS_DESCRIPTION),
});

export const ConnectConfig = z
  .discriminatedUnion("mode", [CreateInstanceConfig, ExistingInstanceConfig])
  .superRefine((c, ctx) => {
    if (c.mode !== "create") return;
    if (c.identityManagementType === "EXISTING_DIRECTORY" && !c.directoryId) {
      ctx.addIssue({ code: "custom", path: ["directoryId"], message: "directoryId is required when identityManagementType is EXISTING_DIRECTORY" });
    }
    if (c.identityManagementType !== "EXISTING_DIRECTORY" && c.directoryId) {
      ctx.addIssue({ code: "custom", path: ["directoryId"], message: "directoryId is only allowed with identityManagementType EXISTING_DIRECTORY" });
    }
  });
export type ConnectConfig = z.output<typeof ConnectConfig>;
