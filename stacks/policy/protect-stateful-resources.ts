import { type IAspect, TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";
import { CloudcontrolapiResource } from "@cdktf/provider-aws/lib/cloudcontrolapi-resource";
import { statefulKind } from "./stateful-resources";

/**
 * In a protected environment (`protected: true` in its config), gives every stateful resource (see
 * stateful-resources.ts) `lifecycle { prevent_destroy = true }`: a plan that would destroy or replace one,
 * whether by `terraform destroy`, a removed construct, a changed address without a `moved` block, or an
 * attribute that forces replacement, fails instead of deleting data. Other lifecycle settings stay.
 *
 * Removing a protected environment on purpose: set `protected: false` in a reviewed commit, plan, then
 * destroy (the turn table's own deletion protection, `bridge.table.deletionProtection`, must go too).
 */
export class ProtectStatefulResources implements IAspect {
  /** Addresses given prevent_destroy, for tests and reports. */
  readonly protectedAddresses: string[] = [];

  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    const typeName = node instanceof CloudcontrolapiResource ? node.typeNameInput : undefined;
    if (!statefulKind(node.terraformResourceType, typeName)) return;
    node.lifecycle = { ...node.lifecycle, preventDestroy: true };
    this.protectedAddresses.push(`${node.terraformResourceType}.${node.friendlyUniqueId}`);
  }
}
