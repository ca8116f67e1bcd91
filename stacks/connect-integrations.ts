import { Fn, type ITerraformDependable, type TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { LambdaInvocation } from "@cdktf/provider-aws/lib/lambda-invocation";
import type { ConnectIntegrationsMode } from "../config/schema/connect";
import { CloudControlResource } from "./cloud-control/cloud-control-resource";
import type { IntegrationType } from "./cloud-control/types";
import type { IConnectInstance } from "./connect-instance";
import { KitContext } from "./context";
import { NodejsFunction } from "./lambda/nodejs-function";

export interface ConnectIntegrationsProps {
  readonly instance: IConnectInstance;
  /**
   * How the Q in Connect associations (WISDOM_ASSISTANT, WISDOM_KNOWLEDGE_BASE) are made; Lex bot
   * associations always use Cloud Control.
   * @default "cloud-control"
   */
  readonly mode?: ConnectIntegrationsMode;
}

/** One association of a resource with the instance, whichever way it is made. */
export interface ConnectIntegrationAssociation {
  readonly type: IntegrationType;
  readonly integrationArn: string;
  /** How it is made. */
  readonly via: ConnectIntegrationsMode;
  /** What later steps depend on: the Cloud Control resource, or the custom resource's invocation. */
  readonly resource: TerraformResource;
  /** The custom resource's input (besides `tf`), tokens unresolved; undefined for Cloud Control. */
  readonly input?: Readonly<Record<string, unknown>>;
}

/** The types the custom resource makes: the ones the Connect API's CreateIntegrationAssociation takes. */
const CUSTOM_RESOURCE_TYPES: readonly IntegrationType[] = ["WISDOM_ASSISTANT", "WISDOM_KNOWLEDGE_BASE"];

/** The Q in Connect resource type behind each Wisdom integration type, for the handler's read permission. */
const WISDOM_READ_ACTION: Partial<Record<IntegrationType, string>> = {
  WISDOM_ASSISTANT: "wisdom:GetAssistant",
  WISDOM_KNOWLEDGE_BASE: "wisdom:GetKnowledgeBase",
};

/**
 * The instance's integration associations (Q in Connect assistant and knowledge base, Lex bot aliases),
 * created one after another: Connect throttles parallel association calls.
 *
 * Each is a Cloud Control `AWS::Connect::IntegrationAssociation` (`<id>/resource`), except that with
 * mode "custom-resource" the Q in Connect ones are made by the `connect-integration` function, run by
 * Terraform through `aws_lambda_invocation` (`<id>/invocation`; one function for all of them). Either
 * way `add` returns a resource later steps can depend on.
 */
export class ConnectIntegrations extends Construct {
  readonly associations: ConnectIntegrationAssociation[] = [];
  readonly mode: ConnectIntegrationsMode;
  private last?: ITerraformDependable;
  private handlerFunction?: NodejsFunction;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ConnectIntegrationsProps,
  ) {
    super(scope, id);
    this.mode = props.mode ?? "cloud-control";
  }

  /** The custom resource's function, once a custom-resource association was added. */
  get handler(): NodejsFunction | undefined {
    return this.handlerFunction;
  }

  /** Associates `integrationArn` with the instance, after every association added before. */
  add(id: string, type: IntegrationType, integrationArn: string): ConnectIntegrationAssociation {
    const via: ConnectIntegrationsMode = this.mode === "custom-resource" && CUSTOM_RESOURCE_TYPES.includes(type) ? "custom-resource" : "cloud-control";
    const input = via === "custom-resource" ? this.customResourceInput(type, integrationArn) : undefined;
    const resource = input ? this.addInvocation(id, type, integrationArn, input) : this.addCloudControl(id, type, integrationArn);
    this.last = resource;
    const association = { type, integrationArn, via, resource, ...(input ? { input } : {}) };
    this.associations.push(association);
    return association;
  }

  private addCloudControl(id: string, type: IntegrationType, integrationArn: string): TerraformResource {
    // The construct ID is part of the Terraform address: it must not change (users' state).
    return new CloudControlResource(this, id, {
      typeName: "AWS::Connect::IntegrationAssociation",
      desiredState: { InstanceId: this.props.instance.instanceArn, IntegrationType: type, IntegrationArn: integrationArn },
      dependsOn: this.last ? [this.last] : undefined,
    }).resource;
  }

  private customResourceInput(type: IntegrationType, integrationArn: string): Readonly<Record<string, unknown>> {
    // Only the stable tags: a tag edit would re-run the handler, which leaves an existing association as it is.
    return { instanceArn: this.props.instance.instanceArn, integrationType: type, integrationArn, tags: KitContext.of(this).stableTags };
  }

  private addInvocation(id: string, type: IntegrationType, integrationArn: string, input: Readonly<Record<string, unknown>>): TerraformResource {
    const fn = this.customResourceHandler();
    fn.addStatements({
      sid: `Read${sidPart(id)}`,
      // Connect reads the resource, and tags it as Connect-enabled, with the caller's permissions.
      actions: [WISDOM_READ_ACTION[type]!, "wisdom:TagResource"],
      resources: [integrationArn],
    });
    return new LambdaInvocation(new Construct(this, id), "invocation", {
      functionName: fn.functionName,
      input: Fn.jsonencode(input),
      lifecycleScope: "CRUD",
      terraformKey: "tf",
      // The delete call still needs the role's permissions and the log group: destroy them afterwards.
      dependsOn: [fn.function, fn.role.policy, fn.logGroup, ...(this.last ? [this.last] : [])],
    });
  }

  /** One function for every custom-resource association (its physical name is per stack). */
  private customResourceHandler(): NodejsFunction {
    if (this.handlerFunction) return this.handlerFunction;
    const context = KitContext.of(this);
    const instanceArn = this.props.instance.instanceArn;
    this.handlerFunction = new NodejsFunction(this, "custom-resource-handler", {
      source: "connect-integration",
      description: "Associates Q in Connect resources with the Connect instance (Terraform custom resource)",
      // The handler retries throttled calls for up to about two minutes.
      timeoutSeconds: 180,
      memoryMb: 256,
      statements: [
        {
          sid: "ManageIntegrationAssociations",
          actions: [
            "connect:ListIntegrationAssociations",
            "connect:CreateIntegrationAssociation",
            "connect:DeleteIntegrationAssociation",
            "connect:TagResource",
            "connect:DescribeInstance",
          ],
          resources: [instanceArn, `${instanceArn}/integration-association/*`],
        },
        {
          // Connect adds (and on delete removes) the Q in Connect permissions of its service-linked role
          // with the caller's IAM permissions (admin guide: iam:PutRolePolicy on this role, for
          // integrations; registry handler permissions of AWS::Connect::IntegrationAssociation).
          sid: "UpdateConnectServiceLinkedRolePolicy",
          actions: ["iam:GetRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy"],
          resources: [context.arn("iam", "role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect*", { region: "" })],
        },
      ],
    });
    return this.handlerFunction;
  }
}

/** Letters and digits of a construct id, for a statement id: `wisdom-assistant` -> `WisdomAssistant`. */
function sidPart(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");
}
