import { Annotations, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { isCloudControlResource } from "../cloud-control/cloud-control-resource";
import { TAGGING } from "../cloud-control/types";
import { KIT_TAG_KEYS } from "../context";
import { resolveInStack } from "../resolve";

/**
 * Every taggable resource carries the kit's tags: provider resources through the AWS provider's
 * `default_tags`, Cloud Control resources (which default_tags do not reach) in their desired state.
 */
export class RequiredTagsCheck implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof AwsProvider) {
      const resolved = resolveInStack(node, node.defaultTagsInput) as { tags?: Record<string, string> }[] | undefined;
      const tags = resolved?.[0]?.tags ?? {};
      const missing = KIT_TAG_KEYS.filter((k) => !tags[k]);
      if (missing.length) error(node, `the AWS provider's default_tags lack ${missing.join(", ")}`);
      return;
    }
    if (isCloudControlResource(node)) {
      const tagging = TAGGING[node.typeName];
      if (!tagging) return;
      const value = (node.desiredState as unknown as Record<string, unknown>)[tagging.property];
      const keys =
        tagging.shape === "map"
          ? Object.keys((value as Record<string, string> | undefined) ?? {})
          : ((value as { Key: string }[] | undefined) ?? []).map((t) => t.Key);
      const missing = KIT_TAG_KEYS.filter((k) => !keys.includes(k));
      if (missing.length) error(node, `${node.typeName} is taggable but its ${tagging.property} lack ${missing.join(", ")}`);
    }
  }
}

function error(node: IConstruct, message: string): void {
  Annotations.of(node).addError(`[RequiredTags] ${message}`);
}
