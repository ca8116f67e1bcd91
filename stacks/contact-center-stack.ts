import { Aspects, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { Engine } from "../config/schema/common";
import { chatStrategy, type EnvironmentConfig } from "../config/schema/environment";
import { addBackend } from "./backend";
import { BedrockBridge } from "./bridge/bedrock-bridge";
import { ChatMessageStreaming } from "./chat-message-streaming";
import { ContactCenterInstance } from "./connect-instance";
import { ConnectIntegrations } from "./connect-integrations";
import { KitContext } from "./context";
import { assertLatencyBudget, type LatencyPath } from "./latency/budget";
import { SelfServiceBot } from "./lex/self-service-bot";
import { LeastPrivilegeCheck } from "./policy/least-privilege-check";
import { RequiredTagsCheck } from "./policy/required-tags-check";
import { addAwsProvider } from "./provider";
import { QInConnect } from "./q-in-connect/q-in-connect";

/** Stack name of an environment: also the Terraform working directory under cdktf.out/stacks/. */
export function stackName(env: EnvironmentConfig): string {
  return `contact-center-${env.name}`;
}

export interface ContactCenterStackProps {
  /** The validated environment configuration. */
  readonly env: EnvironmentConfig;
}

/**
 * Everything one environment needs, as one Terraform stack: provider and state backend, the Connect
 * instance, and the self-service pieces the configured channels use. Policy checks run on synth.
 */
export class ContactCenterStack extends TerraformStack {
  readonly context: KitContext;
  readonly instance: ContactCenterInstance;
  /** Every configured self-service path with its expected time and limit (all fit, or synth failed). */
  readonly latency: readonly LatencyPath[];
  readonly bridge?: BedrockBridge;
  readonly qInConnect?: QInConnect;
  /** The `live` alias of each engine's bot. */
  readonly bots: Readonly<Partial<Record<Engine, SelfServiceBot>>>;
  readonly messageStreaming?: ChatMessageStreaming;

  constructor(scope: Construct, id: string, props: ContactCenterStackProps) {
    super(scope, id);
    const env = props.env;
    this.context = KitContext.attach(this, env);
    addAwsProvider(this, this.context);
    addBackend(this, env, id);

    this.latency = assertLatencyBudget(env);

    this.instance = new ContactCenterInstance(this, "connect-instance", { config: env.connect });
    new TerraformOutput(this, "connect-instance-id", { value: this.instance.instanceId });
    new TerraformOutput(this, "connect-instance-arn", { value: this.instance.instanceArn });

    const integrations = new ConnectIntegrations(this, "integrations", { instance: this.instance });
    const engines = new Set([env.channels.chat.engine, env.channels.voice.engine]);
    const bots: Partial<Record<Engine, SelfServiceBot>> = {};
    if (engines.has("bedrock-bridge")) {
      this.bridge = new BedrockBridge(this, "bedrock-bridge", { env, instance: this.instance });
      new TerraformOutput(this, "bridge-table-name", { value: this.bridge.table.tableName });
      if (this.bridge.poller) new TerraformOutput(this, "answer-poller-arn", { value: this.bridge.poller.functionArn });
      bots["bedrock-bridge"] = new SelfServiceBot(this, "bedrock-bridge-bot", { env, engine: "bedrock-bridge", fulfillment: this.bridge.fulfillment });
    }
    if (engines.has("q-in-connect")) {
      this.qInConnect = new QInConnect(this, "q-in-connect", { env, instance: this.instance });
      integrations.add("wisdom-assistant", "WISDOM_ASSISTANT", this.qInConnect.assistant.assistantArn);
      if (this.qInConnect.assistant.knowledgeBaseArn) {
        integrations.add("wisdom-knowledge-base", "WISDOM_KNOWLEDGE_BASE", this.qInConnect.assistant.knowledgeBaseArn);
      }
      new TerraformOutput(this, "q-in-connect-assistant-arn", { value: this.qInConnect.assistant.assistantArn });
      new TerraformOutput(this, "qconnect-session-arn", { value: this.qInConnect.sessionFunction.functionArn });
      bots["q-in-connect"] = new SelfServiceBot(this, "q-in-connect-bot", { env, engine: "q-in-connect", assistant: this.qInConnect.assistant });
    }
    for (const [engine, bot] of Object.entries(bots)) {
      integrations.add(`${engine}-lex-bot`, "LEX_BOT", bot.aliasArn);
      new TerraformOutput(this, `${engine}-bot-alias-arn`, { value: bot.aliasArn });
    }
    this.bots = bots;

    if (chatStrategy(env) === "streaming") {
      this.messageStreaming = new ChatMessageStreaming(this, "chat-message-streaming", {
        instance: this.instance,
        chatBot: bots[env.channels.chat.engine]!,
        after: integrations.associations.map((a) => a.resource),
      });
    }

    Aspects.of(this).add(new LeastPrivilegeCheck());
    Aspects.of(this).add(new RequiredTagsCheck());
  }
}
