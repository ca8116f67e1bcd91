/**
 * The resources whose loss costs more than a re-create: they keep data (the turn table, failed events,
 * logs, conversation history), an identity other systems hold (the instance, a claimed phone number, a
 * queue agents are routed to, flow ids in phone numbers and other flows, bot and assistant ids), or both.
 * A destroy, a replacement, or an address change without a `moved` block loses them.
 *
 * One list for every check that needs it: the address inventory (tools/addresses.ts), prevent_destroy in
 * protected environments (protect-stateful-resources.ts) and the plan summary (tools/plan-summary.ts).
 */

/** Terraform resource types that hold data or identity, with what to call them in messages. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_dynamodb_table: "DynamoDB table",
  aws_sqs_queue: "SQS queue",
  aws_cloudwatch_log_group: "CloudWatch log group",
  aws_sns_topic: "SNS topic",
  aws_connect_instance: "Connect instance",
  aws_connect_queue: "Connect queue",
  aws_connect_hours_of_operation: "Connect hours of operation",
  aws_connect_routing_profile: "Connect routing profile",
  // Flows hold no data, but their ids are what phone numbers, other flows and quick connects point at.
  aws_connect_contact_flow: "Connect contact flow",
  aws_connect_phone_number: "Connect phone number",
};

/** The Terraform type of Cloud Control resources; which of them are stateful depends on `type_name`. */
export const CLOUD_CONTROL_TYPE = "aws_cloudcontrolapi_resource";

/**
 * Cloud Control resource types (CloudFormation type names) that hold data or identity. Versions (bot,
 * prompt, agent, view) are left out on purpose: the kit replaces them whenever their source changes.
 */
export const STATEFUL_CLOUD_CONTROL_TYPES: Readonly<Record<string, string>> = {
  "AWS::Lex::Bot": "Lex bot",
  "AWS::Wisdom::Assistant": "Q in Connect assistant",
  "AWS::Wisdom::KnowledgeBase": "Q in Connect knowledge base",
};

/**
 * What kind of stateful resource a resource of `type` is ("DynamoDB table"), or undefined for a
 * stateless one. `typeName` is the CloudFormation type of a Cloud Control resource.
 */
export function statefulKind(type: string, typeName?: string): string | undefined {
  if (type === CLOUD_CONTROL_TYPE) return typeName && Object.hasOwn(STATEFUL_CLOUD_CONTROL_TYPES, typeName) ? STATEFUL_CLOUD_CONTROL_TYPES[typeName] : undefined;
  return Object.hasOwn(STATEFUL_TYPES, type) ? STATEFUL_TYPES[type] : undefined;
}
