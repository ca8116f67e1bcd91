import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ConnectContactFlow } from "@cdktf/provider-aws/lib/connect-contact-flow";
import { assertValidFlow, type FlowChannel, type FlowDocument, flowToMermaid } from "../../flows/language";
import type { IConnectInstance } from "../connect-instance";
import { KitContext } from "../context";
import { resolveInStack } from "../resolve";
import { terraformJsonTemplate } from "../terraform-json";

/** Flow types the kit deploys (`aws_connect_contact_flow.type`). */
export type ContactFlowType = "CONTACT_FLOW" | "CUSTOMER_QUEUE" | "CUSTOMER_WHISPER" | "AGENT_WHISPER";

/** What other constructs and flows need of a deployed flow. */
export interface IContactFlow {
  readonly flowId: string;
  readonly flowArn: string;
}

export interface ContactFlowProps {
  readonly instance: IConnectInstance;
  /** Suffix of the physical name (`<prefix>-<env>-<name>`); also the Mermaid file name. */
  readonly name: string;
  readonly description: string;
  /** @default "CONTACT_FLOW" (inbound flow) */
  readonly type?: ContactFlowType;
  /** The flow; ARNs may be tokens, which Terraform interpolates into the content. */
  readonly document: FlowDocument;
  /** Channels the flow serves: the validator refuses actions those channels do not support. */
  readonly channels: readonly FlowChannel[];
  /** Resources the flow uses that no reference orders (bot and Lambda associations with the instance). */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * One Amazon Connect flow as `aws_connect_contact_flow`. The document is validated when the construct
 * is created (strict: the kit's own flows must pass every rule), so a flow Connect would refuse, or one
 * with a dangling branch, stops synth with the action and rule named.
 */
export class ContactFlow extends Construct implements IContactFlow {
  readonly resource: ConnectContactFlow;
  readonly flowId: string;
  readonly flowArn: string;
  readonly name: string;
  readonly document: FlowDocument;

  constructor(scope: Construct, id: string, props: ContactFlowProps) {
    super(scope, id);
    const type = props.type ?? "CONTACT_FLOW";
    assertValidFlow(props.name, props.document, { strict: true, flowType: type, channels: props.channels });
    this.name = props.name;
    this.document = props.document;
    this.resource = new ConnectContactFlow(this, "flow", {
      instanceId: props.instance.instanceId,
      name: KitContext.of(this).name(props.name),
      description: props.description,
      type,
      content: terraformJsonTemplate(props.document),
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
    this.flowId = this.resource.contactFlowId;
    this.flowArn = this.resource.arn;
  }

  /** The flow as a Mermaid flowchart, with references shown as the Terraform expressions they are. */
  mermaid(): string {
    return flowToMermaid(resolveInStack(this, this.document));
  }
}

/** Every ContactFlow in a construct tree (for diagrams and tests). */
export function contactFlowsIn(scope: Construct): ContactFlow[] {
  return scope.node.findAll().filter((node): node is ContactFlow => node instanceof ContactFlow);
}
