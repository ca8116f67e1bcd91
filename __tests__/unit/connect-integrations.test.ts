import { parseEnvironment } from "../../config/load";
import { resolveInStack } from "../../stacks/resolve";
import { withIntegrations } from "../support/integrations-env";
import { attributeOf, defaultEnvironment, referenceTo, resourceAt, resourcesOfType, synthEnvironment, type TerraformJson } from "../support/synth";

/** `type.name` of the resource at a construct path, as depends_on lists it. */
const addressAt = (json: TerraformJson, type: string, pathSuffix: string) => referenceTo(json, type, pathSuffix, "id").slice(2, -".id}".length);

const dev = synthEnvironment(defaultEnvironment("dev"));
const devCustom = synthEnvironment(withIntegrations("dev", "custom-resource"));
const stgCustom = synthEnvironment(withIntegrations("stg", "custom-resource"));

describe("connect.integrations", () => {
  test('defaults to "cloud-control" in every shipped environment; "custom-resource" is accepted, anything else is a config error naming the field', () => {
    for (const name of ["dev", "stg", "prod"]) expect(defaultEnvironment(name).connect.integrations).toBe("cloud-control");
    expect(withIntegrations("prod", "custom-resource").connect).toMatchObject({ mode: "existing", integrations: "custom-resource" });
    const env = defaultEnvironment("dev");
    expect(() => parseEnvironment({ ...env, connect: { ...env.connect, integrations: "cloudformation" } }, "test")).toThrow(
      /connect.integrations: Invalid option: expected one of "cloud-control"\|"custom-resource" \(given: "cloudformation"\)/,
    );
  });
});

describe('mode "cloud-control" (default): the Terraform addresses of existing environments are unchanged', () => {
  test("every association is an aws_cloudcontrolapi_resource at the address it always had; no custom resource is synthesized", () => {
    // These names are users' Terraform state: a change here destroys and re-creates the associations.
    expect(Object.keys(resourcesOfType(dev.json, "aws_cloudcontrolapi_resource")).filter((k) => k.startsWith("integrations_")).sort()).toEqual([
      "integrations_bedrock-bridge-lex-bot_resource_D370C795",
      "integrations_q-in-connect-lex-bot_resource_19687B79",
      "integrations_wisdom-assistant_resource_C8A9BFEA",
      "integrations_wisdom-knowledge-base_resource_2806F86D",
    ]);
    expect(dev.stack.integrations.mode).toBe("cloud-control");
    expect(dev.stack.integrations.handler).toBeUndefined();
    expect(dev.stack.integrations.associations.map((a) => [a.type, a.via])).toEqual([
      ["WISDOM_ASSISTANT", "cloud-control"],
      ["WISDOM_KNOWLEDGE_BASE", "cloud-control"],
      ["LEX_BOT", "cloud-control"],
      ["LEX_BOT", "cloud-control"],
    ]);
    const invocations = Object.values(resourcesOfType(dev.json, "aws_lambda_invocation")).map((r) => String(r["//"].metadata.path));
    expect(invocations.filter((p) => p.includes("/integrations/"))).toEqual([]);
    expect(Object.values(resourcesOfType(dev.json, "aws_lambda_function")).map((f) => f.function_name)).not.toContain("cc-dev-connect-integration");
  });
});

describe('mode "custom-resource": the Q in Connect associations are made by functions/connect-integration', () => {
  const { json, stack } = devCustom;
  const instanceArn = referenceTo(json, "aws_connect_instance", "connect-instance/resource", "arn");
  const invocation = (id: string) => resourceAt(json, "aws_lambda_invocation", `integrations/${id}/invocation`);

  test("assistant and knowledge base are CRUD aws_lambda_invocations of one function; the input names the instance ARN, type, ARN and the stable tags", () => {
    const expected = {
      "wisdom-assistant": ["WISDOM_ASSISTANT", attributeOf(json, "q-in-connect/assistant/assistant", "AssistantArn")],
      "wisdom-knowledge-base": ["WISDOM_KNOWLEDGE_BASE", attributeOf(json, "q-in-connect/assistant/knowledge-base", "KnowledgeBaseArn")],
    };
    const functionName = referenceTo(json, "aws_lambda_function", "integrations/custom-resource-handler/function", "function_name");
    for (const id of Object.keys(expected)) {
      const resource = invocation(id);
      expect(resource).toMatchObject({ function_name: functionName, lifecycle_scope: "CRUD", terraform_key: "tf" });
      expect(resource.input).toMatch(/^\$\{jsonencode\(/);
    }
    const custom = stack.integrations.associations.filter((a) => a.via === "custom-resource");
    expect(custom.map((a) => resolveInStack(stack, a.input))).toEqual(
      Object.values(expected).map(([integrationType, integrationArn]) => ({
        instanceArn,
        integrationType,
        integrationArn,
        tags: { project: "contact-center-kit", environment: "dev", "managed-by": "cdktf" },
      })),
    );
    // No Cloud Control resource for them any more; the Lex bot associations keep theirs, at the same addresses.
    expect(Object.keys(resourcesOfType(json, "aws_cloudcontrolapi_resource")).filter((k) => k.startsWith("integrations_")).sort()).toEqual([
      "integrations_bedrock-bridge-lex-bot_resource_D370C795",
      "integrations_q-in-connect-lex-bot_resource_19687B79",
    ]);
    const functions = Object.values(resourcesOfType(json, "aws_lambda_function")).filter((f) => f.function_name === "cc-dev-connect-integration");
    expect(functions).toHaveLength(1);
    expect(functions[0]).toMatchObject({ timeout: 180, runtime: "nodejs22.x", handler: "index.handler" });
  });

  test("still one after another: assistant, knowledge base, then each Lex bot; the first waits for the function, its policy and log group", () => {
    const fnAddress = (suffix: string, type: string) => addressAt(json, type, `integrations/custom-resource-handler/${suffix}`);
    expect(invocation("wisdom-assistant").depends_on).toEqual([
      fnAddress("function", "aws_lambda_function"),
      fnAddress("role/policy", "aws_iam_role_policy"),
      fnAddress("logs", "aws_cloudwatch_log_group"),
    ]);
    expect(invocation("wisdom-knowledge-base").depends_on).toEqual([
      fnAddress("function", "aws_lambda_function"),
      fnAddress("role/policy", "aws_iam_role_policy"),
      fnAddress("logs", "aws_cloudwatch_log_group"),
      addressAt(json, "aws_lambda_invocation", "integrations/wisdom-assistant/invocation"),
    ]);
    expect(resourceAt(json, "aws_cloudcontrolapi_resource", "integrations/bedrock-bridge-lex-bot/resource").depends_on).toEqual([
      addressAt(json, "aws_lambda_invocation", "integrations/wisdom-knowledge-base/invocation"),
    ]);
    expect(resourceAt(json, "aws_cloudcontrolapi_resource", "integrations/q-in-connect-lex-bot/resource").depends_on).toEqual([
      addressAt(json, "aws_cloudcontrolapi_resource", "integrations/bedrock-bridge-lex-bot/resource"),
    ]);
  });

  test("the flows depend on the assistant's invocation in this mode, as on the Cloud Control resource in the other", () => {
    const voice = resourceAt(json, "aws_connect_contact_flow", "flows/voice/flow");
    expect(voice.depends_on).toContain(addressAt(json, "aws_lambda_invocation", "integrations/wisdom-assistant/invocation"));
    expect(resourceAt(dev.json, "aws_connect_contact_flow", "flows/voice/flow").depends_on).toContain(
      addressAt(dev.json, "aws_cloudcontrolapi_resource", "integrations/wisdom-assistant/resource"),
    );
    // stg (streaming chat): the message-streaming step waits for every association, invocations included.
    const streaming = resourceAt(stgCustom.json, "aws_lambda_invocation", "chat-message-streaming/invocation");
    expect(streaming.depends_on).toEqual(expect.arrayContaining([addressAt(stgCustom.json, "aws_lambda_invocation", "integrations/wisdom-assistant/invocation")]));
  });

  test("least privilege: Connect calls on the instance and its associations, reads of exactly the associated ARNs, the Connect service-linked role's inline policy", () => {
    const statements = Object.fromEntries(resolveInStack(stack, stack.integrations.handler!.role.policyStatements).map((s) => [s.sid, s]));
    expect(Object.keys(statements).sort()).toEqual(["ManageIntegrationAssociations", "ReadWisdomAssistant", "ReadWisdomKnowledgeBase", "UpdateConnectServiceLinkedRolePolicy", "WriteOwnLogs"]);
    expect(statements.ManageIntegrationAssociations).toEqual({
      sid: "ManageIntegrationAssociations",
      actions: [
        "connect:ListIntegrationAssociations",
        "connect:CreateIntegrationAssociation",
        "connect:DeleteIntegrationAssociation",
        "connect:TagResource",
        "connect:DescribeInstance",
      ],
      resources: [instanceArn, `${instanceArn}/integration-association/*`],
    });
    expect(statements.ReadWisdomAssistant).toEqual({
      sid: "ReadWisdomAssistant",
      actions: ["wisdom:GetAssistant", "wisdom:TagResource"],
      resources: [attributeOf(json, "q-in-connect/assistant/assistant", "AssistantArn")],
    });
    expect(statements.ReadWisdomKnowledgeBase).toEqual({
      sid: "ReadWisdomKnowledgeBase",
      actions: ["wisdom:GetKnowledgeBase", "wisdom:TagResource"],
      resources: [attributeOf(json, "q-in-connect/assistant/knowledge-base", "KnowledgeBaseArn")],
    });
    expect(statements.UpdateConnectServiceLinkedRolePolicy).toEqual({
      sid: "UpdateConnectServiceLinkedRolePolicy",
      actions: ["iam:GetRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy"],
      resources: ["arn:aws:iam::${data.aws_caller_identity.caller-identity.account_id}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect*"],
    });
  });

  test("stg (no knowledge base) gets only the assistant's invocation", () => {
    expect(stgCustom.stack.integrations.associations.map((a) => [a.type, a.via])).toEqual([
      ["WISDOM_ASSISTANT", "custom-resource"],
      ["LEX_BOT", "cloud-control"],
      ["LEX_BOT", "cloud-control"],
    ]);
    expect(Object.keys(resourcesOfType(stgCustom.json, "aws_lambda_invocation")).filter((k) => k.startsWith("integrations_"))).toHaveLength(1);
  });
});
