import { Aspects, type ITerraformDependable, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { Channel, Engine } from "../config/schema/common";
import { chatStrategy, type EnvironmentConfig } from "../config/schema/environment";
import { QConnectSession } from "../functions/shared/flow-contract";
import { AddressMoves, type AddressMove } from "./address-moves";
import { addBackend } from "./backend";
import { BedrockBridge } from "./bridge/bedrock-bridge";
import { buildBridgeSettings } from "./bridge/bridge-settings";
import { ChatMessageStreaming } from "./chat-message-streaming";
import { ContactCenterInstance } from "./connect-instance";
import { ConnectIntegrations } from "./connect-integrations";
import { KitContext } from "./context";
import { assertLatencyBudget, type LatencyPath, latencyPaths } from "./latency/budget";
import { ContactFlows } from "./flows/contact-flows";
import { writeFlowDiagrams } from "./flows/diagrams";
import { NodejsFunction } from "./lambda/nodejs-function";
import { botLocales, DEFAULT_VOICES } from "./lex/bot-definition";
import { LexBotAlarms } from "./lex/bot-alarms";
import { SelfServiceBot } from "./lex/self-service-bot";
import { warnUnlistedQInConnectModels } from "./model-warnings";
import { MOVES } from "./moves";
import { AlarmTopic } from "./observability/alarm-topic";
import { ContactCenterDashboard } from "./observability/dashboard";
import { LeastPrivilegeCheck } from "./policy/least-privilege-check";
import { ProtectStatefulResources } from "./policy/protect-stateful-resources";
import { RequiredTagsCheck } from "./policy/required-tags-check";
import { addAwsProvider } from "./provider";
import { readPrompt } from "./prompts";
import { QInConnect } from "./q-in-connect/q-in-connect";
import { SessionAlarms } from "./q-in-connect/session-alarms";

/** Stack name of an environment: also the Terraform working directory under cdktf.out/stacks/. */
export function stackName(env: EnvironmentConfig): string {
  return `contact-center-${env.name}`;
}

export interface ContactCenterStackProps {
  /** The validated environment configuration. */
  readonly env: EnvironmentConfig;
  /** Address moves written as Terraform `moved` blocks. @default MOVES (stacks/moves.ts) */
  readonly moves?: readonly AddressMove[];
  /**
   * `enforce`: synth stops with LatencyBudgetError when a configured path cannot fit its channel.
   * `report`: the paths are only recorded in `latency`; the offline simulator uses it to run a refused
   * configuration and show what it would do if it were deployed anyway.
   * @default "enforce"
   */
  readonly latencyBudget?: "enforce" | "report";
}

/** The bot that serves each channel (one bot per engine, so both channels may share one). */
export interface ChannelBots {
  readonly chat: SelfServiceBot;
  readonly voice: SelfServiceBot;
}

/**
 * Everything one environment needs, as one Terraform stack: provider and state backend, the Connect
 * instance, and the self-service pieces the configured channels use. Policy checks run on synth.
 */
export class ContactCenterStack extends TerraformStack {
  readonly context: KitContext;
  readonly instance: ContactCenterInstance;
  /** The instance's integration associations (bots, Q in Connect), created one after another. */
  readonly integrations: ConnectIntegrations;
  /** Every configured self-service path with its expected time and limit (all fit, or synth failed, unless `latencyBudget` is `report`). */
  readonly latency: readonly LatencyPath[];
  readonly bridge?: BedrockBridge;
  readonly qInConnect?: QInConnect;
  /** The bot of each engine in use. */
  readonly botsByEngine: Readonly<Partial<Record<Engine, SelfServiceBot>>>;
  /** The bot each channel talks to. */
  readonly bots: ChannelBots;
  readonly messageStreaming?: ChatMessageStreaming;
  /** The chat and voice flows, the agent view and the handoff queue. */
  readonly flows: ContactFlows;
  /** The SNS topic every alarm of the stack notifies (created, or an existing one). */
  readonly alarmTopic: AlarmTopic;
  /** `<prefix>-<env>-contact-center`: turns, outcomes, latencies, errors of what the environment deploys. */
  readonly dashboard: ContactCenterDashboard;

  constructor(scope: Construct, id: string, props: ContactCenterStackProps) {
    super(scope, id);
    const env = props.env;
    this.context = KitContext.attach(this, env);
    addAwsProvider(this, this.context);
    addBackend(this, env, id);

    this.latency = props.latencyBudget === "report" ? latencyPaths(env) : assertLatencyBudget(env);
    warnUnlistedQInConnectModels(this, env);
    const strategy = chatStrategy(env);

    this.instance = new ContactCenterInstance(this, "connect-instance", { config: env.connect });
    new TerraformOutput(this, "connect-instance-id", { value: this.instance.instanceId });
    new TerraformOutput(this, "connect-instance-arn", { value: this.instance.instanceArn });

    this.integrations = new ConnectIntegrations(this, "integrations", { instance: this.instance, mode: env.connect.integrations });
    const engineOf: Record<Channel, Engine> = { chat: env.channels.chat.engine, voice: env.channels.voice.engine };
    const bots: Partial<Record<Engine, SelfServiceBot>> = {};
    const qInConnectAssociations: ITerraformDependable[] = [];
    const botProps = { idleSessionTtlSeconds: env.lex.idleSessionTtlSeconds, conversationLogs: env.lex.conversationLogs };
    if (env.bridge && Object.values(engineOf).includes("bedrock-bridge")) {
      this.bridge = new BedrockBridge(this, "bedrock-bridge", {
        config: env.bridge,
        settings: buildBridgeSettings(env),
        channels: { chat: engineOf.chat === "bedrock-bridge" ? strategy : undefined, voice: engineOf.voice === "bedrock-bridge" },
        instance: this.instance,
        alarms: env.alarms,
      });
      new TerraformOutput(this, "bridge-table-name", { value: this.bridge.table.tableName });
      if (this.bridge.poller) new TerraformOutput(this, "answer-poller-arn", { value: this.bridge.poller.functionArn });
      bots["bedrock-bridge"] = new SelfServiceBot(this, "bedrock-bridge-bot", {
        ...botProps,
        engine: "bedrock-bridge",
        locales: botLocales(env, "bedrock-bridge"),
        fulfillment: this.bridge.fulfillment,
      });
    }
    if (env.qInConnect && Object.values(engineOf).includes("q-in-connect")) {
      // Q in Connect prompts are single-language: they follow the environment's default locale.
      const locale = env.locales[0];
      this.qInConnect = new QInConnect(this, "q-in-connect", {
        config: env.qInConnect,
        locale,
        templates: {
          preProcessing: readPrompt(env, locale, "self-service-pre-processing.yaml"),
          answerGeneration: readPrompt(env, locale, "self-service-answer-generation.yaml"),
        },
        instance: this.instance,
      });
      const assistant = this.qInConnect.assistant;
      qInConnectAssociations.push(this.integrations.add("wisdom-assistant", "WISDOM_ASSISTANT", assistant.assistantArn).resource, this.qInConnect.sessionAssociation);
      if (assistant.knowledgeBaseArn) this.integrations.add("wisdom-knowledge-base", "WISDOM_KNOWLEDGE_BASE", assistant.knowledgeBaseArn);
      new TerraformOutput(this, "q-in-connect-assistant-arn", { value: assistant.assistantArn });
      new TerraformOutput(this, "qconnect-session-arn", { value: this.qInConnect.sessionFunction.functionArn });
      bots["q-in-connect"] = new SelfServiceBot(this, "q-in-connect-bot", {
        ...botProps,
        engine: "q-in-connect",
        locales: botLocales(env, "q-in-connect", { assistantArn: assistant.assistantArn }),
        assistant,
      });
    }
    const botAssociations: Partial<Record<Engine, ITerraformDependable>> = {};
    for (const [engine, bot] of Object.entries(bots) as [Engine, SelfServiceBot][]) {
      botAssociations[engine] = this.integrations.add(`${engine}-lex-bot`, "LEX_BOT", bot.aliasArn).resource;
      new TerraformOutput(this, `${engine}-bot-alias-arn`, { value: bot.aliasArn });
    }
    this.botsByEngine = bots;
    const botFor = (channel: Channel): SelfServiceBot => {
      const bot = bots[engineOf[channel]];
      if (!bot) throw new Error(`environment ${env.name}: the ${channel} channel uses ${engineOf[channel]}, whose section is missing`);
      return bot;
    };
    this.bots = { chat: botFor("chat"), voice: botFor("voice") };

    const locale = env.locales[0];
    const dependsOn = (channel: Channel): ITerraformDependable[] => [
      botAssociations[engineOf[channel]]!,
      ...(engineOf[channel] === "q-in-connect" ? qInConnectAssociations : []),
      ...(channel === "chat" && this.bridge?.pollerAssociation ? [this.bridge.pollerAssociation] : []),
    ];
    const voice = env.lex.voices[locale];
    this.flows = new ContactFlows(this, "flows", {
      instance: this.instance,
      instanceManaged: this.instance.managed,
      config: env.flows,
      locale,
      chat: {
        engine: engineOf.chat,
        bot: this.bots.chat,
        strategy,
        dependsOn: dependsOn("chat"),
        poller:
          this.bridge?.poller && env.bridge
            ? { functionArn: this.bridge.poller.functionArn, pollerBudgetMs: env.bridge.poll.pollerBudgetMs, turnTimeoutSeconds: env.bridge.poll.turnTimeoutSeconds }
            : undefined,
      },
      voice: {
        engine: engineOf.voice,
        bot: this.bots.voice,
        dependsOn: dependsOn("voice"),
        voice: { voiceId: voice?.voiceId ?? DEFAULT_VOICES[locale], engine: voice?.engine ?? "neural" },
      },
      qInConnect: this.qInConnect
        ? {
            assistantArn: this.qInConnect.assistant.assistantArn,
            sessionFunctionArn: this.qInConnect.sessionFunction.functionArn,
            sessionTimeoutSeconds: QConnectSession.flowTimeoutSeconds,
          }
        : undefined,
    });
    const outputs: Record<string, string> = {
      "chat-flow-id": this.flows.chat.flowId,
      "chat-flow-arn": this.flows.chat.flowArn,
      "voice-flow-id": this.flows.voice.flowId,
      "voice-flow-arn": this.flows.voice.flowArn,
      "agent-ui-flow-id": this.flows.agentView.flowId,
      "agent-ui-flow-arn": this.flows.agentView.flowArn,
      "agent-view-arn": this.flows.agentView.viewArn,
      "handoff-queue-id": this.flows.queue.queueId,
    };
    if (this.flows.phoneNumber) outputs["voice-phone-number-id"] = this.flows.phoneNumber.phoneNumberId;
    if (this.flows.phoneNumber?.phoneNumber) outputs["voice-phone-number"] = this.flows.phoneNumber.phoneNumber;
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
    writeFlowDiagrams(this);

    if (strategy === "streaming") {
      this.messageStreaming = new ChatMessageStreaming(this, "chat-message-streaming", {
        instance: this.instance,
        chatBot: this.bots.chat,
        after: this.integrations.associations.map((a) => a.resource),
      });
    }

    this.alarmTopic = this.addAlarms(env);
    this.dashboard = this.addDashboard(env);

    Aspects.of(this).add(new LeastPrivilegeCheck());
    Aspects.of(this).add(new RequiredTagsCheck());
    if (env.protected) Aspects.of(this).add(new ProtectStatefulResources());
    new AddressMoves(this, "address-moves", { environment: env.name, moves: props.moves ?? MOVES });
  }

  /**
   * Alarms outside the bridge (which owns its own): qconnect-session's, and Lex's errors per bot; then
   * the topic, which routes every alarm of the stack (the bridge's included) to itself.
   */
  private addAlarms(env: EnvironmentConfig): AlarmTopic {
    if (this.qInConnect) {
      new SessionAlarms(this.qInConnect, "alarms", { config: env.alarms, functionName: this.qInConnect.sessionFunction.functionName });
    }
    for (const [engine, bot] of Object.entries(this.botsByEngine) as [Engine, SelfServiceBot][]) {
      new LexBotAlarms(bot, "alarms", { bot, config: env.alarms, codeHook: engine === "bedrock-bridge" });
    }
    return new AlarmTopic(this, "alarms", { config: env.alarms });
  }

  private addDashboard(env: EnvironmentConfig): ContactCenterDashboard {
    const prefix = `${env.namePrefix}-${env.name}-`;
    const functions = this.node
      .findAll()
      .filter((n): n is NodejsFunction => n instanceof NodejsFunction)
      .map((fn) => ({ label: String(fn.function.functionNameInput ?? fn.node.path).replace(prefix, ""), functionName: fn.functionName }));
    const bridge = this.bridge;
    return new ContactCenterDashboard(this, "dashboard", {
      channels: { chat: { engine: env.channels.chat.engine, strategy: chatStrategy(env) }, voice: { engine: env.channels.voice.engine } },
      bridge: bridge
        ? {
            poll: Boolean(bridge.poller),
            synchronous: bridge.alarms.synchronous,
            bedrockCallers: bridge.alarms.bedrockCallers,
            failureQueueName: bridge.failureQueue?.name,
          }
        : undefined,
      qInConnect: Boolean(this.qInConnect),
      bots: Object.values(this.botsByEngine),
      functions,
      alarmArns: this.node
        .findAll()
        .filter((n): n is CloudwatchMetricAlarm => n instanceof CloudwatchMetricAlarm)
        .map((alarm) => alarm.arn),
    });
  }
}
