import { Aspects, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/schema/environment";
import { addBackend } from "./backend";
import { BedrockBridge } from "./bridge/bedrock-bridge";
import { ContactCenterInstance } from "./connect-instance";
import { KitContext } from "./context";
import { assertLatencyBudget, type LatencyPath } from "./latency/budget";
import { LeastPrivilegeCheck } from "./policy/least-privilege-check";
import { RequiredTagsCheck } from "./policy/required-tags-check";
import { addAwsProvider } from "./provider";

/** Stack name of an environment: also the Terraform working directory under cdktf.out/stacks/. */
export function stackName(env: EnvironmentConfig): string {
  return `contact-center-${env.name}`;
}

export interface ContactCenterStackProps {
  /** The validated environment configuration. */
  readonly env: EnvironmentConfig;
}

/**
 * Everything one environment needs, as one Terraform stack: provider and state backend, the Connect
 * instance, and the self-service pieces the configured channels use. Policy checks run on synth.
 */
export class ContactCenterStack extends TerraformStack {
  readonly context: KitContext;
  readonly instance: ContactCenterInstance;
  /** Every configured self-service path with its expected time and limit (all fit, or synth failed). */
  readonly latency: readonly LatencyPath[];
  readonly bridge?: BedrockBridge;

  constructor(scope: Construct, id: string, props: ContactCenterStackProps) {
    super(scope, id);
    const env = props.env;
    this.context = KitContext.attach(this, env);
    addAwsProvider(this, this.context);
    addBackend(this, env, id);

    this.latency = assertLatencyBudget(env);

    this.instance = new ContactCenterInstance(this, "connect-instance", { config: env.connect });
    new TerraformOutput(this, "connect-instance-id", { value: this.instance.instanceId });
    new TerraformOutput(this, "connect-instance-arn", { value: this.instance.instanceArn });

    const engines = new Set([env.channels.chat.engine, env.channels.voice.engine]);
    if (engines.has("bedrock-bridge")) {
      this.bridge = new BedrockBridge(this, "bedrock-bridge", { env, instance: this.instance });
      new TerraformOutput(this, "bridge-table-name", { value: this.bridge.table.tableName });
      if (this.bridge.poller) new TerraformOutput(this, "answer-poller-arn", { value: this.bridge.poller.functionArn });
    }

    Aspects.of(this).add(new LeastPrivilegeCheck());
    Aspects.of(this).add(new RequiredTagsCheck());
  }
}
