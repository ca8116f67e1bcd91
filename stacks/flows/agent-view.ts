import { Construct } from "constructs";
import type { Locale } from "../../config/schema/common";
import { buildAgentUiFlow, HANDOFF_VIEW_DESCRIPTION, handoffViewTemplate } from "../../flows/agent-view";
import type { FlowDocument } from "../../flows/language";
import { CloudControlResource } from "../cloud-control/cloud-control-resource";
import type { IConnectInstance } from "../connect-instance";
import { KitContext } from "../context";
import { ContactFlow, type IContactFlow } from "./contact-flow";

export interface AgentViewProps {
  readonly instance: IConnectInstance;
  /** Language of the view's title and labels (the environment's default locale). */
  readonly locale: Locale;
  /** Seconds the view stays open in the agent workspace: config `flows.handoff.viewTimeoutSeconds`. */
  readonly timeoutSeconds: number;
  /**
   * Suffix of the view's physical name (`<prefix>-<env>-<name>`); the flow is `<name>-agent-ui` then.
   * @default "handoff-summary" (view) and "agent-ui" (flow)
   */
  readonly name?: string;
}

/**
 * What the agent sees when a bot hands a contact over: a customer-managed view (AWS::Connect::View,
 * created published) with the customer's number or chat identity, the handoff trigger and the four
 * handoff fields; a published version of it (AWS::Connect::ViewVersion); and the agent-UI flow that
 * shows that version (ShowView) and ends. Customer flows make it the contact's step-by-step guide with
 * UpdateContactEventHooks `DefaultAgentUI` = `flowArn`.
 *
 * A template change updates the view in place; the version is then replaced (a new version is
 * published before the old one is deleted) and the flow's content follows the new version ARN.
 */
export class AgentView extends Construct implements IContactFlow {
  readonly view: CloudControlResource<"AWS::Connect::View">;
  readonly version: CloudControlResource<"AWS::Connect::ViewVersion">;
  readonly flow: ContactFlow;
  /** The unqualified view ARN. */
  readonly viewArn: string;
  /** `<view ARN>:<version>`: what the flow's ShowView block shows. */
  readonly viewVersionArn: string;
  /** The agent-UI flow (for `UpdateContactEventHooks` `DefaultAgentUI`). */
  readonly flowArn: string;
  readonly flowId: string;
  /** The agent-UI flow document (the version ARN is a token in it). */
  readonly document: FlowDocument;

  constructor(scope: Construct, id: string, props: AgentViewProps) {
    super(scope, id);
    const context = KitContext.of(this);
    this.view = new CloudControlResource(this, "view", {
      typeName: "AWS::Connect::View",
      desiredState: {
        InstanceArn: props.instance.instanceArn,
        Name: context.name(props.name ?? "handoff-summary"),
        Description: HANDOFF_VIEW_DESCRIPTION,
        Template: handoffViewTemplate(props.locale),
        // Display only: the agent closes the guide, nothing comes back to the flow.
        Actions: [],
      },
    });
    this.viewArn = this.view.getAttribute("ViewArn");
    this.version = new CloudControlResource(this, "version", {
      typeName: "AWS::Connect::ViewVersion",
      desiredState: {
        ViewArn: this.viewArn,
        VersionDescription: "Published by the contact center kit",
        // Create-only: a new content hash publishes a new version.
        ViewContentSha256: this.view.getAttribute("ViewContentSha256"),
      },
      // The hash is unknown while the view is being updated, so the provider cannot see the create-only
      // change at plan time: replace the version whenever the view changes.
      replaceTriggeredBy: [this.view.resource],
      createBeforeDestroy: true,
    });
    this.viewVersionArn = this.version.getAttribute("ViewVersionArn");
    this.document = buildAgentUiFlow({ viewArn: this.viewVersionArn, timeoutSeconds: props.timeoutSeconds });
    this.flow = new ContactFlow(this, "flow", {
      instance: props.instance,
      name: props.name ? `${props.name}-agent-ui` : "agent-ui",
      description: "Step-by-step guide of handed-over contacts: shows the handoff summary view to the agent",
      type: "CONTACT_FLOW",
      document: this.document,
      // The guide runs as its own contact in the agent workspace, where views render (as on chat),
      // whatever the customer's channel; ShowView never runs on the voice contact itself.
      channels: ["CHAT"],
    });
    this.flowArn = this.flow.flowArn;
    this.flowId = this.flow.flowId;
  }
}
