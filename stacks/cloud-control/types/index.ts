import type { ConnectIntegrationAssociationState, ConnectViewState, ConnectViewVersionState } from "./connect";
import type { LexBotAliasState, LexBotState, LexBotVersionState } from "./lex";
import type {
  WisdomAIAgentState,
  WisdomAIAgentVersionState,
  WisdomAIPromptState,
  WisdomAIPromptVersionState,
  WisdomAssistantAssociationState,
  WisdomAssistantState,
  WisdomKnowledgeBaseState,
} from "./wisdom";

export type * from "./common";
export type * from "./connect";
export type * from "./lex";
export type * from "./wisdom";

/**
 * Every CloudFormation type the kit manages through Cloud Control: its desired-state shape and the
 * read-only attributes it exposes (read from `properties` after apply).
 */
export interface CloudControlTypes {
  "AWS::Wisdom::Assistant": { state: WisdomAssistantState; attributes: "AssistantId" | "AssistantArn" };
  "AWS::Wisdom::KnowledgeBase": { state: WisdomKnowledgeBaseState; attributes: "KnowledgeBaseId" | "KnowledgeBaseArn" };
  "AWS::Wisdom::AssistantAssociation": {
    state: WisdomAssistantAssociationState;
    attributes: "AssistantAssociationId" | "AssistantAssociationArn";
  };
  "AWS::Wisdom::AIPrompt": { state: WisdomAIPromptState; attributes: "AIPromptId" | "AIPromptArn" };
  "AWS::Wisdom::AIPromptVersion": { state: WisdomAIPromptVersionState; attributes: "AIPromptVersionId" | "VersionNumber" };
  "AWS::Wisdom::AIAgent": { state: WisdomAIAgentState; attributes: "AIAgentId" | "AIAgentArn" };
  "AWS::Wisdom::AIAgentVersion": { state: WisdomAIAgentVersionState; attributes: "AIAgentVersionId" | "VersionNumber" };
  "AWS::Lex::Bot": { state: LexBotState; attributes: "Id" | "Arn" };
  "AWS::Lex::BotVersion": { state: LexBotVersionState; attributes: "BotVersion" };
  "AWS::Lex::BotAlias": { state: LexBotAliasState; attributes: "BotAliasId" | "Arn" };
  "AWS::Connect::IntegrationAssociation": { state: ConnectIntegrationAssociationState; attributes: "IntegrationAssociationId" };
  "AWS::Connect::View": { state: ConnectViewState; attributes: "ViewArn" | "ViewId" | "ViewContentSha256" };
  "AWS::Connect::ViewVersion": { state: ConnectViewVersionState; attributes: "ViewVersionArn" | "Version" };
}

export type CloudControlTypeName = keyof CloudControlTypes;

export const CLOUD_CONTROL_TYPES: readonly CloudControlTypeName[] = [
  "AWS::Wisdom::Assistant",
  "AWS::Wisdom::KnowledgeBase",
  "AWS::Wisdom::AssistantAssociation",
  "AWS::Wisdom::AIPrompt",
  "AWS::Wisdom::AIPromptVersion",
  "AWS::Wisdom::AIAgent",
  "AWS::Wisdom::AIAgentVersion",
  "AWS::Lex::Bot",
  "AWS::Lex::BotVersion",
  "AWS::Lex::BotAlias",
  "AWS::Connect::IntegrationAssociation",
  "AWS::Connect::View",
  "AWS::Connect::ViewVersion",
];

/**
 * How each taggable type takes tags (from the schema's `tagging` section; a contract test keeps this in
 * step with schemas/cloudformation). `updatable: false` means a tag change replaces the resource.
 */
export const TAGGING: Readonly<
  Record<CloudControlTypeName, { readonly property: string; readonly shape: "list" | "map"; readonly updatable: boolean } | undefined>
> = {
  "AWS::Wisdom::Assistant": { property: "Tags", shape: "list", updatable: false },
  "AWS::Wisdom::KnowledgeBase": { property: "Tags", shape: "list", updatable: false },
  "AWS::Wisdom::AssistantAssociation": { property: "Tags", shape: "list", updatable: false },
  "AWS::Wisdom::AIPrompt": { property: "Tags", shape: "map", updatable: false },
  "AWS::Wisdom::AIPromptVersion": undefined,
  "AWS::Wisdom::AIAgent": { property: "Tags", shape: "map", updatable: false },
  "AWS::Wisdom::AIAgentVersion": undefined,
  "AWS::Lex::Bot": { property: "BotTags", shape: "list", updatable: true },
  "AWS::Lex::BotVersion": undefined,
  "AWS::Lex::BotAlias": { property: "BotAliasTags", shape: "list", updatable: true },
  "AWS::Connect::IntegrationAssociation": { property: "Tags", shape: "list", updatable: true },
  "AWS::Connect::View": { property: "Tags", shape: "list", updatable: true },
  "AWS::Connect::ViewVersion": undefined,
};
