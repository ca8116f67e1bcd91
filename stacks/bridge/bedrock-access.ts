import { parseModelId } from "../../config/models";
import type { KitContext } from "../context";
import type { PolicyStatement } from "../iam/service-role";

/**
 * `bedrock:InvokeModel` (used by the Converse API) on exactly the configured models. A cross-region
 * profile is granted on its ARN, and the foundation model behind it on every Region the profile may
 * route to, but only when the call comes through that profile (`bedrock:InferenceProfileArn`), as the
 * Bedrock user guide prescribes for inference profiles.
 */
export function invokeModelStatements(context: KitContext, modelIds: readonly string[]): PolicyStatement[] {
  const unique = [...new Set(modelIds)].sort();
  const profileArns: string[] = [];
  const routedModelArns: string[] = [];
  const inRegionModelArns: string[] = [];
  for (const id of unique) {
    const { prefix, baseId } = parseModelId(id);
    if (prefix) {
      profileArns.push(context.arn("bedrock", `inference-profile/${id}`));
      routedModelArns.push(context.arn("bedrock", `foundation-model/${baseId}`, { region: "*", account: "" }));
    } else {
      inRegionModelArns.push(context.arn("bedrock", `foundation-model/${baseId}`, { account: "" }));
    }
  }
  const statements: PolicyStatement[] = [];
  if (profileArns.length || inRegionModelArns.length) {
    statements.push({ sid: "InvokeConfiguredModels", actions: ["bedrock:InvokeModel"], resources: [...profileArns, ...inRegionModelArns] });
  }
  if (routedModelArns.length) {
    statements.push({
      sid: "InvokeModelsThroughProfiles",
      actions: ["bedrock:InvokeModel"],
      resources: [...new Set(routedModelArns)],
      conditions: [{ test: "StringLike", variable: "bedrock:InferenceProfileArn", values: profileArns }],
    });
  }
  return statements;
}

/** Retrieval from the configured Bedrock knowledge base and the configured guardrail, when set. */
export function knowledgeAndGuardrailStatements(
  context: KitContext,
  options: { readonly knowledgeBaseId?: string; readonly guardrailId?: string },
): PolicyStatement[] {
  return [
    ...(options.knowledgeBaseId
      ? [{ sid: "RetrieveFromKnowledgeBase", actions: ["bedrock:Retrieve"], resources: [context.arn("bedrock", `knowledge-base/${options.knowledgeBaseId}`)] }]
      : []),
    ...(options.guardrailId
      ? [{ sid: "ApplyGuardrail", actions: ["bedrock:ApplyGuardrail"], resources: [context.arn("bedrock", `guardrail/${options.guardrailId}`)] }]
      : []),
  ];
}
