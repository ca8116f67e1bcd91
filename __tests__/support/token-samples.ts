import type { IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
import { type CloudControlResource, isCloudControlResource } from "../../stacks/cloud-control/cloud-control-resource";
import type { CloudControlTypeName } from "../../stacks/cloud-control/types";
import { resolveInStack } from "../../stacks/resolve";

/**
 * Sample values that stand in for Terraform references when a desired state is checked offline.
 * Cloud Control attributes get a sample per (type, attribute); a contract test checks every one of them
 * against the pattern the type's own schema declares for that attribute, so the samples cannot drift
 * from what AWS returns.
 */

export const SAMPLE_ACCOUNT = "123456789012";
export const SAMPLE_REGION = "ap-northeast-1";
const uuid = (n: number) => `0f1e2d3c-4b5a-4697-8a8b-${String(n).padStart(12, "0")}`;
const wisdomArn = (resource: string) => `arn:aws:wisdom:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:${resource}`;
const lexArn = (resource: string) => `arn:aws:lex:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:${resource}`;
const viewArn = `arn:aws:connect:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:instance/${uuid(7)}/view/${uuid(8)}`;

export const CLOUD_CONTROL_SAMPLES: { readonly [K in CloudControlTypeName]: Readonly<Record<string, string>> } = {
  "AWS::Wisdom::Assistant": { AssistantId: uuid(1), AssistantArn: wisdomArn(`assistant/${uuid(1)}`) },
  "AWS::Wisdom::KnowledgeBase": { KnowledgeBaseId: uuid(2), KnowledgeBaseArn: wisdomArn(`knowledge-base/${uuid(2)}`) },
  "AWS::Wisdom::AssistantAssociation": {
    AssistantAssociationId: uuid(3),
    AssistantAssociationArn: wisdomArn(`association/${uuid(1)}/${uuid(3)}`),
  },
  "AWS::Wisdom::AIPrompt": { AIPromptId: uuid(4), AIPromptArn: wisdomArn(`ai-prompt/${uuid(1)}/${uuid(4)}`) },
  "AWS::Wisdom::AIPromptVersion": { AIPromptVersionId: `${uuid(4)}:1`, VersionNumber: "1" },
  "AWS::Wisdom::AIAgent": { AIAgentId: uuid(5), AIAgentArn: wisdomArn(`ai-agent/${uuid(1)}/${uuid(5)}`) },
  "AWS::Wisdom::AIAgentVersion": { AIAgentVersionId: `${uuid(5)}:1`, VersionNumber: "1" },
  "AWS::Lex::Bot": { Id: "BOTID12345", Arn: lexArn("bot/BOTID12345") },
  "AWS::Lex::BotVersion": { BotVersion: "1" },
  "AWS::Lex::BotAlias": { BotAliasId: "ALIAS12345", Arn: lexArn("bot-alias/BOTID12345/ALIAS12345") },
  "AWS::Connect::IntegrationAssociation": { IntegrationAssociationId: uuid(6) },
  "AWS::Connect::View": { ViewArn: viewArn, ViewId: uuid(8), ViewContentSha256: "5e2c0b8f".repeat(8) },
  "AWS::Connect::ViewVersion": { ViewVersionArn: `${viewArn}:1` },
};

/** Samples for attributes of ordinary provider resources and data sources, by `<type>.<attribute>`. */
const PROVIDER_SAMPLES: Readonly<Record<string, string>> = {
  "data.aws_caller_identity.account_id": SAMPLE_ACCOUNT,
  "aws_connect_instance.arn": `arn:aws:connect:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:instance/${uuid(7)}`,
  "aws_connect_instance.id": uuid(7),
  "data.aws_connect_instance.arn": `arn:aws:connect:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:instance/${uuid(7)}`,
  "data.aws_connect_instance.id": uuid(7),
  "aws_iam_role.arn": `arn:aws:iam::${SAMPLE_ACCOUNT}:role/sample-role`,
  "aws_lambda_function.arn": `arn:aws:lambda:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:function:sample-function`,
  "aws_lambda_function.function_name": "sample-function",
  "aws_cloudwatch_log_group.arn": `arn:aws:logs:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:log-group:/aws/sample`,
  "aws_cloudwatch_log_group.name": "/aws/sample",
  "aws_connect_contact_flow.arn": `arn:aws:connect:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:instance/${uuid(7)}/contact-flow/${uuid(9)}`,
  "aws_connect_contact_flow.contact_flow_id": uuid(9),
  "aws_connect_queue.arn": `arn:aws:connect:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:instance/${uuid(7)}/queue/${uuid(10)}`,
  "aws_connect_queue.queue_id": uuid(10),
};

/** Maps each Cloud Control resource's Terraform address name to its CloudFormation type. */
function cloudControlAddresses(root: IConstruct): Map<string, CloudControlTypeName> {
  const stack = TerraformStack.of(root);
  const byAddress = new Map<string, CloudControlTypeName>();
  for (const node of stack.node.findAll()) {
    if (isCloudControlResource(node)) byAddress.set(stack.getLogicalId(node.resource), node.typeName);
  }
  return byAddress;
}

/** Replaces one `${...}` Terraform expression with its sample, or throws naming the unknown reference. */
function sampleFor(expression: string, addresses: Map<string, CloudControlTypeName>): string {
  const cc = /^jsondecode\(aws_cloudcontrolapi_resource\.([\w-]+)\.properties\)\.(\w+)$/.exec(expression);
  if (cc) {
    const [, address, attribute] = cc;
    const typeName = addresses.get(address);
    const sample = typeName ? CLOUD_CONTROL_SAMPLES[typeName][attribute] : undefined;
    if (sample === undefined) throw new Error(`no sample for ${typeName ?? address}.${attribute}; add one to CLOUD_CONTROL_SAMPLES`);
    return sample;
  }
  const ref = /^(data\.)?(aws_[a-z0-9_]+)\.[\w-]+\.([a-z_]+)$/.exec(expression);
  const key = ref ? `${ref[1] ?? ""}${ref[2]}.${ref[3]}` : undefined;
  if (key && PROVIDER_SAMPLES[key] !== undefined) return PROVIDER_SAMPLES[key];
  throw new Error(`no sample for the Terraform reference \${${expression}}; add one to PROVIDER_SAMPLES`);
}

function substitute(value: unknown, addresses: Map<string, CloudControlTypeName>): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([^{}]+)\}/g, (_match, expression: string) => sampleFor(expression, addresses));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, addresses));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, addresses)]));
  }
  return value;
}

/** Any value of a construct tree (a flow document, say) with every token replaced by a sample value. */
export function sampled<T>(scope: IConstruct, value: T): T {
  return substitute(resolveInStack(scope, value), cloudControlAddresses(scope)) as T;
}

/** A Cloud Control resource's desired state with every token replaced by a sample value. */
export function sampledDesiredState(resource: CloudControlResource<CloudControlTypeName>): unknown {
  return substitute(resolveInStack(resource, resource.desiredState), cloudControlAddresses(resource));
}
