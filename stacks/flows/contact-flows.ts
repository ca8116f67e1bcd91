import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { Engine, Locale } from "../../config/schema/common";
import type { ChatStrategy } from "../../config/schema/environment";
import type { FlowsConfig } from "../../config/schema/flows";
import { buildChatFlow, chatPollSettings } from "../../flows/chat";
import { flowMessages } from "../../flows/default-messages";
import type { HandoffTargets } from "../../flows/handoff";
import type { QInConnectFlowTargets, SelfServiceFlowProps } from "../../flows/self-service";
import { buildVoiceFlow, type VoiceSettings } from "../../flows/voice";
import type { IConnectInstance } from "../connect-instance";
import type { ILexBotAlias } from "../lex/self-service-bot";
import { AgentView } from "./agent-view";
import { ContactFlow } from "./contact-flow";
import { HandoffQueue } from "./handoff-queue";
import { VoicePhoneNumber } from "./phone-number";

/** One channel's bot and what its flow must wait for. */
export interface ChannelFlowInputs {
  readonly engine: Engine;
  /** The bot (its `live` alias) that serves the channel. */
  readonly bot: ILexBotAlias;
  /** Associations the flow uses (the bot's, Q in Connect's, the invoked functions'). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** The bridge's answer-poller, for the chat flow of the poll strategy. */
export interface PollerInputs {
  readonly functionArn: string;
  readonly pollerBudgetMs: number;
  readonly turnTimeoutSeconds: number;
}

export interface ContactFlowsProps {
  readonly instance: IConnectInstance;
  /** Whether this stack created the instance (then it also creates the handoff queue). */
  readonly instanceManaged: boolean;
  /** The environment's `flows` section. */
  readonly config: FlowsConfig;
  /** Language of the flows' own texts, the agent view and the bots' locale selection. */
  readonly locale: Locale;
  readonly chat: ChannelFlowInputs & { readonly strategy: ChatStrategy; readonly poller?: PollerInputs };
  readonly voice: ChannelFlowInputs & { readonly voice: Omit<VoiceSettings, "recording" | "analytics"> };
  /** Required when a channel uses the q-in-connect engine. */
  readonly qInConnect?: QInConnectFlowTargets;
}

/**
 * The environment's contact flows: the chat flow and the voice flow (separate modules in flows/chat and
 * flows/voice), the agent view with its agent-UI flow, the queue handed-off contacts go to, and
 * optionally a phone number pointed at the voice flow. Each
 * customer flow references its bot alias, functions, queue and agent-UI flow through Terraform and is
 * created after the associations it uses.
 */
export class ContactFlows extends Construct {
  readonly queue: HandoffQueue;
  readonly agentView: AgentView;
  readonly chat: ContactFlow;
  readonly voice: ContactFlow;
  /** The number pointed at the voice flow, when configured. */
  readonly phoneNumber?: VoicePhoneNumber;

  constructor(scope: Construct, id: string, props: ContactFlowsProps) {
    super(scope, id);
    const { instance, config, locale } = props;
    this.queue = new HandoffQueue(this, "handoff-queue", { instance, createQueue: props.instanceManaged, config: config.handoff });
    this.agentView = new AgentView(this, "agent-view", { instance, locale, timeoutSeconds: config.handoff.viewTimeoutSeconds });
    const handoff: HandoffTargets = { agentUiFlowArn: this.agentView.flowArn, queueArn: this.queue.queueArn };
    const messages = flowMessages(locale, config.messages[locale]);
    const common = (channel: ChannelFlowInputs): SelfServiceFlowProps => ({
      engine: channel.engine,
      locale,
      messages,
      botAliasArn: channel.bot.aliasArn,
      handoff,
      logging: config.logging,
      qInConnect: channel.engine === "q-in-connect" ? props.qInConnect : undefined,
    });

    const poller = props.chat.poller;
    this.chat = new ContactFlow(this, "chat", {
      instance,
      name: "chat",
      description: `Chat self-service (${props.chat.engine}, ${props.chat.strategy} strategy) with handoff to an agent`,
      channels: ["CHAT"],
      document: buildChatFlow({
        ...common(props.chat),
        strategy: props.chat.strategy,
        inputTimeoutSeconds: config.chat.inputTimeoutSeconds,
        poll: poller
          ? chatPollSettings({ pollerArn: poller.functionArn, pollerBudgetMs: poller.pollerBudgetMs, turnTimeoutSeconds: poller.turnTimeoutSeconds })
          : undefined,
      }),
      dependsOn: props.chat.dependsOn,
    });
    this.voice = new ContactFlow(this, "voice", {
      instance,
      name: "voice",
      description: `Voice self-service (${props.voice.engine}) with handoff to an agent`,
      channels: ["VOICE"],
      document: buildVoiceFlow({
        ...common(props.voice),
        voice: { ...props.voice.voice, recording: config.voice.recording, analytics: config.voice.analytics },
      }),
      dependsOn: props.voice.dependsOn,
    });
    if (config.phoneNumber) this.phoneNumber = new VoicePhoneNumber(this, "phone-number", { instance, config: config.phoneNumber, flow: this.voice });
  }
}
