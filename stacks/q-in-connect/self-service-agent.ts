import { Construct } from "constructs";
import { CloudControlResource } from "../cloud-control/cloud-control-resource";
import type { IQInConnectAssistant } from "../lex/self-service-bot";
import type { AiPrompt } from "./ai-prompt";

export interface SelfServiceAgentProps {
  readonly assistant: IQInConnectAssistant;
  readonly name: string;
  readonly description: string;
  readonly preProcessing: AiPrompt;
  readonly answerGeneration: AiPrompt;
  /** The assistant's knowledge base association, searched by the QUESTION tool. */
  readonly knowledgeBaseAssociationId?: string;
}

/**
 * A SELF_SERVICE AI agent that references the two prompts by version id (`uuid:n`), and a version of
 * the agent that is replaced whenever the agent changes (sessions and the assistant default point at
 * agent versions, never at the editable agent).
 */
export class SelfServiceAgent extends Construct {
  readonly agent: CloudControlResource<"AWS::Wisdom::AIAgent">;
  readonly version: CloudControlResource<"AWS::Wisdom::AIAgentVersion">;
  /** `<agentId>:<version>`, as UpdateSession and UpdateAssistantAIAgent take it. */
  readonly versionId: string;

  constructor(scope: Construct, id: string, props: SelfServiceAgentProps) {
    super(scope, id);
    this.agent = new CloudControlResource(this, "agent", {
      typeName: "AWS::Wisdom::AIAgent",
      desiredState: {
        AssistantId: props.assistant.assistantId,
        Name: props.name,
        Description: props.description,
        Type: "SELF_SERVICE",
        Configuration: {
          SelfServiceAIAgentConfiguration: {
            SelfServicePreProcessingAIPromptId: props.preProcessing.versionId,
            SelfServiceAnswerGenerationAIPromptId: props.answerGeneration.versionId,
            AssociationConfigurations: props.knowledgeBaseAssociationId
              ? [{ AssociationId: props.knowledgeBaseAssociationId, AssociationType: "KNOWLEDGE_BASE" }]
              : undefined,
          },
        },
      },
    });
    this.version = new CloudControlResource(this, "version", {
      typeName: "AWS::Wisdom::AIAgentVersion",
      desiredState: { AssistantId: props.assistant.assistantId, AIAgentId: this.agent.getAttribute("AIAgentId") },
      replaceTriggeredBy: [this.agent.resource],
      createBeforeDestroy: true,
    });
    this.versionId = this.version.getAttribute("AIAgentVersionId");
  }
}
