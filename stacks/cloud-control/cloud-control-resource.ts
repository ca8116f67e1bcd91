import { Fn, type ITerraformDependable, type TerraformResource, Token } from "cdktf";
import { Construct } from "constructs";
import { CloudcontrolapiResource } from "@cdktf/provider-aws/lib/cloudcontrolapi-resource";
import { KitContext } from "../context";
import { withoutUndefined } from "../objects";
import { terraformJsonTemplate } from "../terraform-json";
import { type CloudControlTypeName, type CloudControlTypes, TAGGING } from "./types";

export interface CloudControlResourceProps<K extends CloudControlTypeName> {
  /** The CloudFormation type, e.g. `AWS::Wisdom::Assistant`. */
  readonly typeName: K;
  /**
   * The resource's desired state, shaped like the type's CloudFormation schema. Values may be tokens
   * (other resources' attributes), which Terraform interpolates into the JSON.
   */
  readonly desiredState: CloudControlTypes[K]["state"];
  /**
   * Add the kit's tags to the state (under the type's tag property).
   * @default - tags are added when the type is taggable: all tags where a tag change updates in place,
   * only the stable project/environment/managed-by tags where tags are create-only (so editing an
   * environment's tags never replaces, say, the Q in Connect assistant)
   */
  readonly tags?: boolean;
  /** Resources to create first (ordering the API calls where no reference orders them). */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Replace this resource whenever one of these changes (Terraform `replace_triggered_by`). */
  readonly replaceTriggeredBy?: readonly TerraformResource[];
  /** Create the replacement before destroying the old one (Terraform `create_before_destroy`). @default false */
  readonly createBeforeDestroy?: boolean;
}


/** The registry of every Cloud Control resource in a construct tree, for contract tests and the policy check. */
export function isCloudControlResource(node: unknown): node is CloudControlResource<CloudControlTypeName> {
  return node instanceof CloudControlResource;
}

/**
 * A typed `aws_cloudcontrolapi_resource`: a CloudFormation type managed through AWS Cloud Control with
 * the hashicorp/aws provider. At plan time the provider validates a fully known desired state against
 * the type's CloudFormation schema; read-only attributes come from `properties` after apply.
 * The desired state is written as JSON in which references to other resources are interpolated.
 *
 * @example
 * const assistant = new CloudControlResource(this, "assistant", {
 *   typeName: "AWS::Wisdom::Assistant",
 *   desiredState: { Name: "cc-dev-assistant", Type: "AGENT" },
 * });
 * const assistantArn = assistant.getAttribute("AssistantArn");
 */
export class CloudControlResource<K extends CloudControlTypeName> extends Construct {
  readonly typeName: K;
  /** The desired state as written, with tags added (tokens unresolved). */
  readonly desiredState: CloudControlTypes[K]["state"];
  readonly resource: CloudcontrolapiResource;

  constructor(scope: Construct, id: string, props: CloudControlResourceProps<K>) {
    super(scope, id);
    this.typeName = props.typeName;
    const state = withoutUndefined(props.desiredState);
    this.desiredState = props.tags === false ? state : withTags(this, props.typeName, state);
    this.resource = new CloudcontrolapiResource(this, "resource", {
      typeName: props.typeName,
      desiredState: terraformJsonTemplate(this.desiredState),
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      lifecycle:
        props.replaceTriggeredBy || props.createBeforeDestroy
          ? {
              // Terraform's JSON syntax wants bare references here ("type.name"), not "${...}" templates.
              replaceTriggeredBy: props.replaceTriggeredBy?.map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`),
              createBeforeDestroy: props.createBeforeDestroy,
            }
          : undefined,
    });
  }

  /** A read-only attribute of the live resource (a token resolved after apply). */
  getAttribute(name: CloudControlTypes[K]["attributes"]): string {
    return Token.asString(Fn.lookup(Fn.jsondecode(this.resource.properties), name));
  }

  /** The Cloud Control identifier (for compound identifiers, the parts joined with `|`). */
  get identifier(): string {
    return this.resource.id;
  }
}

function withTags<K extends CloudControlTypeName>(
  scope: Construct,
  typeName: K,
  state: CloudControlTypes[K]["state"],
): CloudControlTypes[K]["state"] {
  const tagging = TAGGING[typeName];
  if (!tagging || tagging.property in state) return state;
  const context = KitContext.of(scope);
  const tags = tagging.updatable ? context.tags : context.stableTags;
  const value =
    tagging.shape === "map"
      ? { ...tags }
      : Object.entries(tags)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([Key, Value]) => ({ Key, Value }));
  return { ...state, [tagging.property]: value };
}
