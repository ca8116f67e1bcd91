import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { CloudControlResource } from "./cloud-control/cloud-control-resource";
import type { IntegrationType } from "./cloud-control/types";
import type { IConnectInstance } from "./connect-instance";

export interface ConnectIntegrationsProps {
  readonly instance: IConnectInstance;
}

/**
 * The instance's integration associations (Q in Connect assistant and knowledge base, Lex bot aliases),
 * created one after another: Connect throttles parallel association calls.
 */
export class ConnectIntegrations extends Construct {
  readonly associations: CloudControlResource<"AWS::Connect::IntegrationAssociation">[] = [];
  private last?: ITerraformDependable;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ConnectIntegrationsProps,
  ) {
    super(scope, id);
  }

  /** Associates `integrationArn` with the instance, after every association added before. */
  add(id: string, type: IntegrationType, integrationArn: string): CloudControlResource<"AWS::Connect::IntegrationAssociation"> {
    const association = new CloudControlResource(this, id, {
      typeName: "AWS::Connect::IntegrationAssociation",
      desiredState: { InstanceId: this.props.instance.instanceArn, IntegrationType: type, IntegrationArn: integrationArn },
      dependsOn: this.last ? [this.last] : undefined,
    });
    this.last = association.resource;
    this.associations.push(association);
    return association;
  }
}
