import { z } from "zod";
import { catalogueWith, checkModelForRegion, PROFILE_PREFIXES, unlistedQInConnectModelsOf } from "../models";
import { AlarmsConfig } from "./alarms";
import { BackendConfig } from "./backend";
import { BridgeConfig } from "./bridge";
import { AccountId, AwsRegion, Engine, IamRoleArn, KmsKeyArn, Locale, LogRetentionDays, Tags } from "./common";
import { ConnectConfig } from "./connect";
import { FlowsConfig } from "./flows";
import { LexConfig } from "./lex";
import { PipelineConfig } from "./pipeline";
import { QInConnectConfig } from "./q-in-connect";
import { SmokeConfig } from "./smoke";

/**
 * How the chat channel meets Connect's Lex timeout:
 * - `poll` (bedrock-bridge only): answer asynchronously; the chat flow polls for it.
 * - `streaming`: turn on Connect message streaming (60 s Lex limit) and answer synchronously.
 * - `standard`: answer synchronously within the standard 10 s chat limit.
 */
export const CHAT_STRATEGIES = ["poll", "streaming", "standard"] as const;
export type ChatStrategy = (typeof CHAT_STRATEGIES)[number];

const ChatChannel = z.strictObject({
  engine: Engine.describe("the self-service engine that answers chat"),
  /** Default: `poll` for bedrock-bridge, `standard` for q-in-connect. */
  strategy: z.enum(CHAT_STRATEGIES).optional(),
});

const VoiceChannel = z.strictObject({ engine: Engine.describe("the self-service engine that answers voice") });

const ExtraModel = z.strictObject({
  profiles: z.array(z.enum(PROFILE_PREFIXES)).default([]).describe("cross-region inference profile prefixes the model is offered with"),
  inRegion: z.array(AwsRegion).default([]).describe("regions that serve the model in-region (called by its base id)"),
  expectedSeconds: z.number().positive().max(900).describe("typical seconds to a full answer, for the latency budget"),
  source: z.string().default("environment config").describe("where the latency figure comes from"),
  qInConnect: z
    .array(z.enum([...PROFILE_PREFIXES, "in-region"]))
    .default([])
    .describe("prefixes (or in-region) Amazon Q in Connect accepts the model with for custom prompts"),
});

export const EnvironmentConfig = z
  .strictObject({
    /** Environment name; the stack is `contact-center-<name>`. */
    name: z.string().regex(/^[a-z][a-z0-9]{1,11}$/, "expected 2-12 lower-case letters or digits, starting with a letter"),
    region: AwsRegion.describe("AWS region of every resource"),
    /** Accounts the provider may act on; a plan against any other account fails. */
    allowedAccountIds: z.array(AccountId).min(1).optional(),
    /** Role the provider assumes (for example a per-environment deploy role). */
    assumeRoleArn: IamRoleArn.optional(),
    /**
     * Protect the environment's stateful resources (turn table, failure queue, log groups, alarm topic,
     * the instance when created, handoff queue with its hours and routing profile, flows, phone number,
     * Lex bots, Q in Connect assistant and knowledge base) with Terraform `prevent_destroy`: a plan that
     * would destroy or replace one fails. Set it on production; to remove the environment on purpose, set
     * it to false in a reviewed commit first. Unlike `pipeline.protected` (whether applying needs
     * approval), this changes the synthesized stack.
     */
    protected: z.boolean().default(false),
    /** Tags added to every resource, after the kit's project/environment/managed-by tags. */
    tags: Tags.default({}),
    /** Prefix of physical resource names: `<prefix>-<env>-<resource>`. */
    namePrefix: z.string().regex(/^[a-z][a-z0-9]{0,9}$/, "expected 1-10 lower-case letters or digits").default("cc"),
    backend: BackendConfig.describe("the Terraform state backend"),
    connect: ConnectConfig.describe("the Amazon Connect instance: created by the stack, or an existing one"),
    /** Bot locales; the first is the default. */
    locales: z
      .array(Locale)
      .min(1)
      .refine((l) => new Set(l).size === l.length, { message: "locales must not repeat" })
      .default(["ja_JP"]),
    logRetentionDays: LogRetentionDays.default(30).describe(
      "retention of every log group, in days; one of the periods CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
    ),
    /**
     * Folder (relative to the project root) with prompt files laid out like config/prompts
     * (`<locale>/<file>`); a file found there replaces the kit's. Default: the kit's prompts only.
     */
    promptsDir: z.string().min(1).optional(),
    /** Customer managed KMS key for log groups. Default: CloudWatch Logs' own encryption. */
    logsKmsKeyArn: KmsKeyArn.optional(),
    channels: z.strictObject({ chat: ChatChannel, voice: VoiceChannel }).describe("the engine (and for chat the strategy) per channel"),
    /** Required when a channel uses the bedrock-bridge engine. */
    bridge: BridgeConfig.optional(),
    /** Required when a channel uses the q-in-connect engine. */
    qInConnect: QInConnectConfig.optional(),
    /**
     * CloudWatch alarms on the rate at which customers fail (Bedrock errors, apologies, failed or expired
     * chat turns, Q in Connect agent selection), on function errors and timeouts, and where they notify:
     * an SNS topic in every environment.
     */
    alarms: AlarmsConfig.default(AlarmsConfig.parse({})),
    lex: LexConfig.default(LexConfig.parse({})).describe("the self-service Lex bots: NLU, session, voices, fulfillment settings, conversation logs"),
    /** The contact flows: their messages, chat and voice behaviour, where handed-off contacts go, a phone number. */
    flows: FlowsConfig.default(FlowsConfig.parse({})),
    models: z
      .strictObject({
        /** Models to add to (or override in) the kit's catalogue, keyed by base model id. */
        extra: z.record(z.string().regex(/^[a-z0-9-]+\.[\w.:-]+$/, "expected a base model id such as amazon.nova-lite-v1:0"), ExtraModel).default({}),
        /**
         * A Q in Connect agent model that the published list of custom-prompt models (the Q in Connect API
         * reference's, config/models.ts Q_IN_CONNECT_PUBLISHED) does not name for the region, although the
         * catalogue accepts it from another source: `warn` (synth prints a warning naming the model, the
         * region and the sources) or `fail` (a configuration error on the agent's field).
         */
        qInConnectUnlisted: z.enum(["warn", "fail"]).default("warn"),
      })
      .default({ extra: {}, qInConnectUnlisted: "warn" })
      .describe("additions to the Bedrock model catalogue (config/models.ts) and how Q in Connect models missing from the published list are treated"),
    latency: z
      .strictObject({
        /** Expected answer seconds per base model id, replacing the catalogue's figure. */
        modelSeconds: z.record(z.string(), z.number().positive().max(900)).default({}),
      })
      .default({ modelSeconds: {} })
      .describe("your own latency figures for the synth-time latency budget"),
    /** GitOps pipeline settings (OIDC role, approval, smoke mode); synthesis ignores them. */
    pipeline: PipelineConfig.optional(),
    /** The post-deploy smoke test's conversation; the kit's questions per locale by default. */
    smoke: SmokeConfig.default(() => SmokeConfig.parse({})),
  })
  .superRefine((env, ctx) => {
    const engines = new Set([env.channels.chat.engine, env.channels.voice.engine]);
    if (engines.has("bedrock-bridge") && !env.bridge) {
      ctx.addIssue({ code: "custom", path: ["bridge"], message: "a channel uses bedrock-bridge, so the bridge section is required" });
    }
    if (engines.has("q-in-connect") && !env.qInConnect) {
      ctx.addIssue({ code: "custom", path: ["qInConnect"], message: "a channel uses q-in-connect, so the qInConnect section is required" });
    }
    const queueId = env.flows.handoff.queueId;
    if (env.connect.mode === "existing" && !queueId) {
      ctx.addIssue({
        code: "custom",
        path: ["flows", "handoff", "queueId"],
        message: 'connect.mode is "existing", so the queue that receives handed-off contacts must be given (its id)',
      });
    }
    if (env.connect.mode === "create" && queueId) {
      ctx.addIssue({
        code: "custom",
        path: ["flows", "handoff", "queueId"],
        message: 'connect.mode is "create": the kit creates the handoff queue, so queueId must be left out',
      });
    }
    const { engine, strategy } = env.channels.chat;
    if (engine === "q-in-connect" && strategy === "poll") {
      ctx.addIssue({
        code: "custom",
        path: ["channels", "chat", "strategy"],
        message: 'poll is a bedrock-bridge strategy; q-in-connect chat allows "standard" or "streaming"',
      });
    }
    const catalogue = catalogueWith(env.models.extra);
    const check = (path: (string | number)[], id: string, qInConnect: boolean) => {
      const problem = checkModelForRegion(catalogue, id, env.region, { qInConnect });
      if (problem) ctx.addIssue({ code: "custom", path, message: problem });
    };
    if (env.bridge && engines.has("bedrock-bridge")) {
      check(["bridge", "models", "chat"], env.bridge.models.chat, false);
      check(["bridge", "models", "voice"], env.bridge.models.voice, false);
    }
    if (env.qInConnect && engines.has("q-in-connect")) {
      for (const channel of ["chat", "voice"] as const) {
        for (const role of ["preProcessing", "answerGeneration"] as const) {
          check(["qInConnect", "agents", channel, role], env.qInConnect.agents[channel][role], true);
        }
      }
    }
    if (env.models.qInConnectUnlisted === "fail") {
      for (const unlisted of unlistedQInConnectModelsOf(env)) {
        for (const path of unlisted.paths) ctx.addIssue({ code: "custom", path: [...path], message: unlisted.error });
      }
    }
  });

/** What an environment file is written as (defaults may be left out). */
export type EnvironmentInput = z.input<typeof EnvironmentConfig>;
/** A validated environment with every default filled in. */
export type EnvironmentConfig = z.output<typeof EnvironmentConfig>;

/** Typed identity helper for environment files, so editors complete and check fields. */
export function defineEnvironment(env: EnvironmentInput): EnvironmentInput {
  return env;
}

/** The chat strategy in effect, with the engine's default filled in. */
export function chatStrategy(env: EnvironmentConfig): ChatStrategy {
  return env.channels.chat.strategy ?? (env.channels.chat.engine === "bedrock-bridge" ? "poll" : "standard");
}
