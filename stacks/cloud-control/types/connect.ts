/** Desired-state shape of AWS::Connect::IntegrationAssociation (the subset the kit uses). */
import type { CfnTag } from "./common";

export type IntegrationType = "LEX_BOT" | "LAMBDA_FUNCTION" | "WISDOM_ASSISTANT" | "WISDOM_KNOWLEDGE_BASE";

export interface ConnectIntegrationAssociationState {
  /** The Connect instance ARN (the schema calls it InstanceId but requires an ARN). */
  readonly InstanceId: string;
  readonly IntegrationType: IntegrationType;
  readonly IntegrationArn: string;
  readonly Tags?: readonly CfnTag[];
}
