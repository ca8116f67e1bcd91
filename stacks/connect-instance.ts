import { Construct } from "constructs";
import { ConnectInstance as ConnectInstanceResource } from "@cdktf/provider-aws/lib/connect-instance";
import { DataAwsConnectInstance } from "@cdktf/provider-aws/lib/data-aws-connect-instance";
import type { ConnectConfig } from "../config/schema/connect";

/** What other constructs need of an Amazon Connect instance. */
export interface IConnectInstance {
  /** The instance id (a UUID). */
  readonly instanceId: string;
  /** The instance ARN. */
  readonly instanceArn: string;
}

export interface ContactCenterInstanceProps {
  /** Create a new instance or look up an existing one. */
  readonly config: ConnectConfig;
}

/**
 * The environment's Amazon Connect instance: created here (contact flow logs always on, so flows can be
 * debugged in CloudWatch) or an existing one found by id. Either way it is exposed as `IConnectInstance`.
 */
export class ContactCenterInstance extends Construct implements IConnectInstance {
  readonly instanceId: string;
  readonly instanceArn: string;
  /** Whether this stack owns (and would destroy) the instance. */
  readonly managed: boolean;

  constructor(scope: Construct, id: string, props: ContactCenterInstanceProps) {
    super(scope, id);
    const config = props.config;
    if (config.mode === "existing") {
      const existing = new DataAwsConnectInstance(this, "existing", { instanceId: config.instanceId });
      this.instanceId = existing.id;
      this.instanceArn = existing.arn;
      this.managed = false;
      return;
    }
    const instance = new ConnectInstanceResource(this, "resource", {
      instanceAlias: config.alias,
      identityManagementType: config.identityManagementType,
      directoryId: config.directoryId,
      inboundCallsEnabled: config.inboundCalls,
      outboundCallsEnabled: config.outboundCalls,
      contactFlowLogsEnabled: true,
      contactLensEnabled: config.contactLens,
      earlyMediaEnabled: config.earlyMedia,
      autoResolveBestVoicesEnabled: true,
    });
    this.instanceId = instance.id;
    this.instanceArn = instance.arn;
    this.managed = true;
  }
}
