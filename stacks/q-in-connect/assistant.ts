import { Construct } from "constructs";
import type { QInConnectConfig } from "../../config/schema/q-in-connect";
import { CloudControlResource } from "../cloud-control/cloud-control-resource";
import { KitContext } from "../context";
import type { IQInConnectAssistant } from "../lex/self-service-bot";

export interface AssistantProps {
  readonly config: QInConnectConfig;
}

/**
 * The Amazon Q in Connect assistant and, when configured, its knowledge base (a managed web crawler)
 * associated with it. Both are create-only in CloudFormation: a change to them replaces them.
 */
export class QInConnectAssistant extends Construct implements IQInConnectAssistant {
  readonly assistant: CloudControlResource<"AWS::Wisdom::Assistant">;
  readonly knowledgeBase?: CloudControlResource<"AWS::Wisdom::KnowledgeBase">;
  readonly association?: CloudControlResource<"AWS::Wisdom::AssistantAssociation">;
  readonly assistantId: string;
  readonly assistantArn: string;
  /** The assistant association id agents use to search the knowledge base. */
  readonly knowledgeBaseAssociationId?: string;
  readonly knowledgeBaseArn?: string;

  constructor(scope: Construct, id: string, props: AssistantProps) {
    super(scope, id);
    const context = KitContext.of(this);
    const { config } = props;
    const encryption = config.kmsKeyArn ? { ServerSideEncryptionConfiguration: { KmsKeyId: config.kmsKeyArn } } : {};
    this.assistant = new CloudControlResource(this, "assistant", {
      typeName: "AWS::Wisdom::Assistant",
      desiredState: { Name: context.name("assistant"), Type: "AGENT", Description: `Self-service assistant (${context.env.name})`, ...encryption },
    });
    this.assistantId = this.assistant.getAttribute("AssistantId");
    this.assistantArn = this.assistant.getAttribute("AssistantArn");

    const source = config.knowledgeBase;
    if (source.type === "web-crawler") {
      this.knowledgeBase = new CloudControlResource(this, "knowledge-base", {
        typeName: "AWS::Wisdom::KnowledgeBase",
        desiredState: {
          Name: context.name("knowledge-base"),
          KnowledgeBaseType: "MANAGED",
          Description: `Web pages crawled for self-service answers (${context.env.name})`,
          SourceConfiguration: {
            ManagedSourceConfiguration: {
              WebCrawlerConfiguration: {
                UrlConfiguration: { SeedUrls: source.seedUrls.map((Url) => ({ Url })) },
                CrawlerLimits: { RateLimit: source.rateLimit },
                Scope: source.scope,
                InclusionFilters: source.inclusionFilters.length ? source.inclusionFilters : undefined,
                ExclusionFilters: source.exclusionFilters.length ? source.exclusionFilters : undefined,
              },
            },
          },
          ...encryption,
        },
      });
      this.knowledgeBaseArn = this.knowledgeBase.getAttribute("KnowledgeBaseArn");
      this.association = new CloudControlResource(this, "knowledge-base-association", {
        typeName: "AWS::Wisdom::AssistantAssociation",
        desiredState: {
          AssistantId: this.assistantId,
          AssociationType: "KNOWLEDGE_BASE",
          Association: { KnowledgeBaseId: this.knowledgeBase.getAttribute("KnowledgeBaseId") },
        },
      });
      this.knowledgeBaseAssociationId = this.association.getAttribute("AssistantAssociationId");
    }
  }
}
