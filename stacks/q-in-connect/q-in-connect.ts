import { Construct } from "constructs";
import type { ConnectLambdaFunctionAssociation } from "@cdktf/provider-aws/lib/connect-lambda-function-association";
import type { Channel, Locale } from "../../config/schema/common";
import type { QInConnectConfig } from "../../config/schema/q-in-connect";
import { QConnectSession } from "../../functions/shared/flow-contract";
import type { IConnectInstance } from "../connect-instance";
import { allowConnectToInvoke } from "../connect-lambda";
import { KitContext } from "../context";
import { LambdaCustomResource } from "../lambda/custom-resource";
import { NodejsFunction } from "../lambda/nodejs-function";
import { AiPrompt } from "./ai-prompt";
import { QInConnectAssistant } from "./assistant";
import { SelfServiceAgent } from "./self-service-agent";

/** The self-service prompt templates (YAML) of one language. */
export interface SelfServicePromptTemplates {
  readonly preProcessing: string;
  readonly answerGeneration: string;
}

export interface QInConnectProps {
  /** The environment's `qInConnect` section. */
  readonly config: QInConnectConfig;
  /** The language of the prompts (Q in Connect prompts hold one language). */
  readonly locale: Locale;
  /** The prompt templates in that language. */
  readonly templates: SelfServicePromptTemplates;
  /** The instance whose flows call the session function. */
  readonly instance: IConnectInstance;
}

/** Seconds the session function may run: past the flow's limit (QConnectSession.flowTimeoutSeconds), so Connect gives up first. */
const SESSION_FUNCTION_TIMEOUT_SECONDS = QConnectSession.flowTimeoutSeconds + 1;

/**
 * Amazon Q in Connect self-service: the assistant (and knowledge base), the pre-processing and
 * answer-generation prompts per channel from the repo's templates, one SELF_SERVICE AI agent per
 * channel (chat can use a fast model while voice uses a better one), the assistant's default agent (a
 * custom resource calling UpdateAssistantAIAgent), and `qconnect-session`, which a flow calls after
 * creating the session to pick the channel's agent (UpdateSession).
 */
export class QInConnect extends Construct {
  readonly assistant: QInConnectAssistant;
  readonly prompts: Readonly<Record<Channel, { readonly preProcessing: AiPrompt; readonly answerGeneration: AiPrompt }>>;
  readonly agents: Readonly<Record<Channel, SelfServiceAgent>>;
  readonly defaultAgent: LambdaCustomResource;
  readonly sessionFunction: NodejsFunction;
  /** The session function's association with the instance (the Q in Connect flows depend on it). */
  readonly sessionAssociation: ConnectLambdaFunctionAssociation;

  constructor(scope: Construct, id: string, props: QInConnectProps) {
    super(scope, id);
    const { config, locale, templates, instance } = props;
    const context = KitContext.of(this);

    this.assistant = new QInConnectAssistant(this, "assistant", { config });

    const prompts = {} as Record<Channel, { preProcessing: AiPrompt; answerGeneration: AiPrompt }>;
    const agents = {} as Record<Channel, SelfServiceAgent>;
    for (const channel of ["chat", "voice"] as const) {
      const models = config.agents[channel];
      const preProcessing = new AiPrompt(this, `${channel}-pre-processing`, {
        assistant: this.assistant,
        name: context.name(`${channel}-pre-processing`),
        description: `Self-service pre-processing for ${channel}, ${locale}`,
        type: "SELF_SERVICE_PRE_PROCESSING",
        apiFormat: "MESSAGES",
        modelId: models.preProcessing,
        template: templates.preProcessing,
      });
      const answerGeneration = new AiPrompt(this, `${channel}-answer-generation`, {
        assistant: this.assistant,
        name: context.name(`${channel}-answer-generation`),
        description: `Self-service answer generation for ${channel}, ${locale}`,
        type: "SELF_SERVICE_ANSWER_GENERATION",
        apiFormat: "TEXT_COMPLETIONS",
        modelId: models.answerGeneration,
        template: templates.answerGeneration,
      });
      prompts[channel] = { preProcessing, answerGeneration };
      agents[channel] = new SelfServiceAgent(this, `${channel}-agent`, {
        assistant: this.assistant,
        name: context.name(`${channel}-self-service`),
        description: `Self-service agent for ${channel}`,
        preProcessing,
        answerGeneration,
        knowledgeBaseAssociationId: this.assistant.knowledgeBaseAssociationId,
      });
    }
    this.prompts = prompts;
    this.agents = agents;

    this.defaultAgent = new LambdaCustomResource(this, "default-agent", {
      source: "assistant-default-agent",
      description: "Sets the assistant's default self-service AI agent (Terraform custom resource)",
      input: { assistantId: this.assistant.assistantId, aiAgentType: "SELF_SERVICE", aiAgentId: agents[config.defaultAgent].versionId },
      statements: [
        {
          sid: "SetDefaultAgent",
          actions: ["wisdom:UpdateAssistantAIAgent", "wisdom:RemoveAssistantAIAgent"],
          resources: [this.assistant.assistantArn],
        },
      ],
    });

    this.sessionFunction = new NodejsFunction(this, "session", {
      source: "qconnect-session",
      description: "Selects the channel's self-service AI agent for a contact's Q in Connect session",
      timeoutSeconds: SESSION_FUNCTION_TIMEOUT_SECONDS,
      memoryMb: 256,
      environment: { ASSISTANT_ID: this.assistant.assistantId, AGENT_CHAT: agents.chat.versionId, AGENT_VOICE: agents.voice.versionId },
      statements: [
        {
          sid: "SelectSessionAgent",
          actions: ["wisdom:UpdateSession"],
          resources: [context.arn("wisdom", `session/${this.assistant.assistantId}/*`)],
        },
      ],
    });
    this.sessionAssociation = allowConnectToInvoke(this, "session", instance, this.sessionFunction);
  }
}
