import { Aspects, TerraformStack, Testing } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { parseEnvironment } from "../../config/load";
import { ProtectStatefulResources } from "../../stacks/policy/protect-stateful-resources";
import { statefulKind } from "../../stacks/policy/stateful-resources";
import { defaultEnvironment, synthEnvironment, type TerraformJson } from "../support/synth";

/** address -> [stateful kind, lifecycle] of every resource in a synthesized stack. */
function resources(json: TerraformJson): Map<string, { kind?: string; lifecycle?: TerraformJson }> {
  const all = new Map<string, { kind?: string; lifecycle?: TerraformJson }>();
  for (const [type, named] of Object.entries(json.resource as TerraformJson)) {
    for (const [name, body] of Object.entries(named as TerraformJson)) {
      all.set(`${type}.${name}`, { kind: statefulKind(type, body.type_name), lifecycle: body.lifecycle });
    }
  }
  return all;
}

const protectedOnes = (json: TerraformJson) => [...resources(json)].filter(([, r]) => r.lifecycle?.prevent_destroy === true).map(([a]) => a);
const statefulOnes = (json: TerraformJson) => [...resources(json)].filter(([, r]) => r.kind).map(([a]) => a);

describe("protected environments: prevent_destroy on stateful resources", () => {
  test("configuration: `protected` is off unless set; prod sets it; it is not pipeline.protected", () => {
    expect(defaultEnvironment("prod").protected).toBe(true);
    expect(defaultEnvironment("dev").protected).toBe(false);
    expect(defaultEnvironment("stg").protected).toBe(false);
    const approvalOnly = parseEnvironment({ ...defaultEnvironment("stg"), pipeline: { oidcRoleArn: "arn:aws:iam::111122223333:role/p", protected: true } }, "test");
    expect(approvalOnly.protected).toBe(false);
    expect(protectedOnes(synthEnvironment(approvalOnly).json)).toEqual([]);
  });

  test("prod: every stateful resource has prevent_destroy, and nothing else", () => {
    const { json } = synthEnvironment(defaultEnvironment("prod"));
    const stateful = statefulOnes(json);
    expect(protectedOnes(json)).toEqual(stateful);
    const kinds = new Set([...resources(json).values()].filter((r) => r.lifecycle?.prevent_destroy).map((r) => r.kind));
    expect([...kinds].sort()).toEqual([
      "CloudWatch log group",
      "Connect contact flow",
      "DynamoDB table",
      "Lex bot",
      "Q in Connect assistant",
      "Q in Connect knowledge base",
      "SNS topic",
      "SQS queue",
    ]);
    // Versions are replaced by design whenever their source changes: never protected.
    const botVersion = Object.values(json.resource.aws_cloudcontrolapi_resource as TerraformJson).find((r) => r.type_name === "AWS::Lex::BotVersion");
    expect(botVersion.lifecycle.prevent_destroy).toBeUndefined();
    expect(botVersion.lifecycle.create_before_destroy).toBe(true);
  });

  test.each([["dev"], ["stg"]])("%s: no prevent_destroy anywhere", (name) => {
    expect(protectedOnes(synthEnvironment(defaultEnvironment(name)).json)).toEqual([]);
  });

  test("a created instance, the handoff queue with its hours and routing profile, and a claimed number are protected too", () => {
    const env = parseEnvironment({ ...defaultEnvironment("dev"), protected: true }, "test (dev, protected)");
    const { json } = synthEnvironment(env);
    const protectedTypes = new Set(protectedOnes(json).map((a) => a.split(".")[0]));
    for (const type of ["aws_connect_instance", "aws_connect_queue", "aws_connect_hours_of_operation", "aws_connect_routing_profile", "aws_connect_phone_number"]) {
      expect(protectedTypes).toContain(type);
    }
    expect(protectedOnes(json)).toEqual(statefulOnes(json));
  });

  test("the aspect keeps a resource's other lifecycle settings and leaves stateless resources alone", () => {
    const stack = new TerraformStack(Testing.app(), "aspect");
    new DynamodbTable(stack, "table", { name: "t", hashKey: "pk", attribute: [{ name: "pk", type: "S" }], lifecycle: { ignoreChanges: ["tags"] } });
    new IamRole(stack, "role", { assumeRolePolicy: "{}" });
    const aspect = new ProtectStatefulResources();
    Aspects.of(stack).add(aspect);
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.aws_dynamodb_table.table.lifecycle).toEqual({ ignore_changes: ["tags"], prevent_destroy: true });
    expect(json.resource.aws_iam_role.role.lifecycle).toBeUndefined();
    expect(aspect.protectedAddresses).toEqual(["aws_dynamodb_table.table"]);
  });
});
