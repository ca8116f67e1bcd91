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

/**
 * A view component of a customer-managed view template: `{_id, Type, Props, Content}`. Dynamic prop
 * values are strings `"$.<key>"` read from the ShowView block's ViewData.
 */
export interface ConnectViewComponent {
  readonly _id: string;
  readonly Type: string;
  readonly Props: { readonly [key: string]: unknown };
  readonly Content: readonly (ConnectViewComponent | string)[];
}

/** The template of a customer-managed view (the JSON the view designer writes). */
export interface ConnectViewTemplate {
  readonly Head: {
    readonly Title: string;
    readonly Configuration?: { readonly Layout?: { readonly Columns?: readonly string[] } };
  };
  readonly Body: readonly ConnectViewComponent[];
}

/** Desired-state shape of AWS::Connect::View (created already published). */
export interface ConnectViewState {
  readonly InstanceArn: string;
  /** Letters, digits, `_.:/=+-@`, spaces after the first character; at most 512. */
  readonly Name: string;
  readonly Description?: string;
  readonly Template: ConnectViewTemplate;
  /** The view's action names; `[]` for a view that only displays. */
  readonly Actions: readonly string[];
  readonly Tags?: readonly CfnTag[];
}

/** Desired-state shape of AWS::Connect::ViewVersion (every property create-only: a change makes a new version). */
export interface ConnectViewVersionState {
  /** The unqualified view ARN. */
  readonly ViewArn: string;
  readonly VersionDescription?: string;
  /** The view's ViewContentSha256: passing it makes a template change replace (re-publish) the version. */
  readonly ViewContentSha256?: string;
}
