import { z } from "zod";

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
});

/** Use an instance that exists already (created by another pipeline or by hand). */
export const ExistingInstanceConfig = z.strictObject({
  mode: z.literal("existing"),
  instanceId: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "expected a Connect instance id (a UUID)")
    .describe("id of the existing instance (read with the aws_connect_instance data source, never changed)"),
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
