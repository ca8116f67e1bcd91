import { Construct } from "constructs";
import type { AIPromptApiFormat, AIPromptType } from "../cloud-control/types";
import { CloudControlResource } from "../cloud-control/cloud-control-resource";
import type { IQInConnectAssistant } from "../lex/self-service-bot";

export interface AiPromptProps {
  readonly assistant: IQInConnectAssistant;
  /** Prompt name (letters, digits, spaces, `_.,-`). */
  readonly name: string;
  readonly type: AIPromptType;
  readonly apiFormat: AIPromptApiFormat;
  readonly modelId: string;
  /** The template text (YAML). */
  readonly template: string;
  readonly description: string;
}

/**
 * A Q in Connect AI prompt and a version of it. The template and model update the prompt in place;
 * the version is a snapshot, so it is replaced whenever the prompt changes (new version first, then
 * the agent moves to it, then the old version is deleted).
 */
export class AiPrompt extends Construct {
  readonly prompt: CloudControlResource<"AWS::Wisdom::AIPrompt">;
  readonly version: CloudControlResource<"AWS::Wisdom::AIPromptVersion">;
  /** `<promptId>:<version>`: what an AI agent's configuration references. */
  readonly versionId: string;

  constructor(scope: Construct, id: string, props: AiPromptProps) {
    super(scope, id);
    if (!/^[a-zA-Z0-9\s_.,-]+$/.test(props.name)) throw new Error(`AI prompt name "${props.name}" may only hold letters, digits, spaces and _.,-`);
    this.prompt = new CloudControlResource(this, "prompt", {
      typeName: "AWS::Wisdom::AIPrompt",
      desiredState: {
        AssistantId: props.assistant.assistantId,
        Name: props.name,
        Description: props.description,
        Type: props.type,
        ApiFormat: props.apiFormat,
        ModelId: props.modelId,
        TemplateType: "TEXT",
        TemplateConfiguration: { TextFullAIPromptEditTemplateConfiguration: { Text: props.template } },
      },
    });
    this.version = new CloudControlResource(this, "version", {
      typeName: "AWS::Wisdom::AIPromptVersion",
      desiredState: { AssistantId: props.assistant.assistantId, AIPromptId: this.prompt.getAttribute("AIPromptId") },
      replaceTriggeredBy: [this.prompt.resource],
      createBeforeDestroy: true,
    });
    this.versionId = this.version.getAttribute("AIPromptVersionId");
  }
}
