/**
 * Desired-state shapes of the Amazon Q in Connect (AWS::Wisdom::*) types the kit creates: the subset of
 * each CloudFormation schema it uses, with the schema's property names. Values may be Terraform tokens.
 */
import type { CfnTag } from "./common";

export interface WisdomAssistantState {
  readonly Name: string;
  readonly Type: "AGENT";
  readonly Description?: string;
  readonly ServerSideEncryptionConfiguration?: { readonly KmsKeyId: string };
  readonly Tags?: readonly CfnTag[];
}

export interface WebCrawlerConfiguration {
  readonly UrlConfiguration: { readonly SeedUrls: readonly { readonly Url: string }[] };
  readonly CrawlerLimits?: { readonly RateLimit: number };
  readonly InclusionFilters?: readonly string[];
  readonly ExclusionFilters?: readonly string[];
  readonly Scope?: "HOST_ONLY" | "SUBDOMAINS";
}

export interface WisdomKnowledgeBaseState {
  readonly Name: string;
  readonly KnowledgeBaseType: "EXTERNAL" | "CUSTOM" | "MESSAGE_TEMPLATES" | "MANAGED" | "QUICK_RESPONSES";
  readonly Description?: string;
  readonly SourceConfiguration?: { readonly ManagedSourceConfiguration: { readonly WebCrawlerConfiguration: WebCrawlerConfiguration } };
  readonly ServerSideEncryptionConfiguration?: { readonly KmsKeyId: string };
  readonly Tags?: readonly CfnTag[];
}

export interface WisdomAssistantAssociationState {
  readonly AssistantId: string;
  readonly AssociationType: "KNOWLEDGE_BASE";
  readonly Association: { readonly KnowledgeBaseId: string };
  readonly Tags?: readonly CfnTag[];
}

export type AIPromptType = "SELF_SERVICE_PRE_PROCESSING" | "SELF_SERVICE_ANSWER_GENERATION";
export type AIPromptApiFormat = "MESSAGES" | "TEXT_COMPLETIONS" | "ANTHROPIC_CLAUDE_MESSAGES" | "ANTHROPIC_CLAUDE_TEXT_COMPLETIONS";

export interface WisdomAIPromptState {
  readonly AssistantId: string;
  readonly Name: string;
  readonly Description?: string;
  readonly Type: AIPromptType;
  readonly ApiFormat: AIPromptApiFormat;
  readonly ModelId: string;
  readonly TemplateType: "TEXT";
  readonly TemplateConfiguration: { readonly TextFullAIPromptEditTemplateConfiguration: { readonly Text: string } };
  readonly Tags?: Readonly<Record<string, string>>;
}

export interface WisdomAIPromptVersionState {
  readonly AssistantId: string;
  readonly AIPromptId: string;
}

export interface SelfServiceAIAgentConfiguration {
  readonly SelfServicePreProcessingAIPromptId?: string;
  readonly SelfServiceAnswerGenerationAIPromptId?: string;
  readonly SelfServiceAIGuardrailId?: string;
  readonly AssociationConfigurations?: readonly {
    readonly AssociationId: string;
    readonly AssociationType: "KNOWLEDGE_BASE";
    readonly AssociationConfigurationData?: {
      readonly KnowledgeBaseAssociationConfigurationData: {
        readonly MaxResults?: number;
        readonly OverrideKnowledgeBaseSearchType?: "HYBRID" | "SEMANTIC";
      };
    };
  }[];
}

export interface WisdomAIAgentState {
  readonly AssistantId: string;
  readonly Name: string;
  readonly Description?: string;
  readonly Type: "SELF_SERVICE";
  readonly Configuration: { readonly SelfServiceAIAgentConfiguration: SelfServiceAIAgentConfiguration };
  readonly Tags?: Readonly<Record<string, string>>;
}

export interface WisdomAIAgentVersionState {
  readonly AssistantId: string;
  readonly AIAgentId: string;
}
