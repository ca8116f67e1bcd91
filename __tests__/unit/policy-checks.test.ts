import { Aspects, TerraformStack, Testing } from "cdktf";
import type { IConstruct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudControlResource } from "../../stacks/cloud-control/cloud-control-resource";
import { KitContext } from "../../stacks/context";
import { ServiceRole } from "../../stacks/iam/service-role";
import { LeastPrivilegeCheck } from "../../stacks/policy/least-privilege-check";
import { RequiredTagsCheck } from "../../stacks/policy/required-tags-check";
import { defaultEnvironment, defaultEnvironments, synthEnvironment } from "../support/synth";

/** Error annotations after running the aspects (Testing.synth runs aspects but does not throw). */
function errorsOf(stack: TerraformStack): string[] {
  Testing.synth(stack);
  const found: string[] = [];
  const visit = (node: IConstruct) => {
    for (const entry of node.node.metadata) if (entry.type === "@cdktf/error") found.push(String(entry.data));
    node.node.children.forEach(visit);
  };
  visit(stack);
  return found;
}

function checkedStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "policy-test");
  KitContext.attach(stack, defaultEnvironment("dev"));
  Aspects.of(stack).add(new LeastPrivilegeCheck());
  Aspects.of(stack).add(new RequiredTagsCheck());
  return stack;
}

function roleWith(stack: TerraformStack, actions: string[], resources: string[]): void {
  new ServiceRole(stack, "role", {
    roleName: "r",
    description: "test",
    servicePrincipal: "lambda.amazonaws.com",
    statements: [{ sid: "Test", actions, resources }],
  });
}

describe("policy checks", () => {
  test.each(defaultEnvironments().map((e) => [e.name, e]))("the %s stack has no policy findings", (_name, env) => {
    const { stack } = synthEnvironment(env);
    expect(errorsOf(stack)).toEqual([]);
  });

  test("an action wildcard is rejected", () => {
    const stack = checkedStack();
    roleWith(stack, ["dynamodb:*"], ["arn:aws:dynamodb:ap-northeast-1:111122223333:table/t"]);
    expect(errorsOf(stack)).toEqual([expect.stringMatching(/^\[LeastPrivilege.WildcardAction\] statement Test grants "dynamodb:\*"/)]);
  });

  test("a * resource is rejected for an action that supports resource-level permissions", () => {
    const stack = checkedStack();
    roleWith(stack, ["dynamodb:GetItem"], ["*"]);
    expect(errorsOf(stack)).toEqual([expect.stringMatching(/^\[LeastPrivilege.WildcardResource\] statement Test grants dynamodb:GetItem on "\*"/)]);
  });

  test("a * resource is accepted only for the exempted actions written down with a reason", () => {
    const stack = checkedStack();
    roleWith(stack, ["polly:SynthesizeSpeech"], ["*"]);
    expect(errorsOf(stack)).toEqual([]);
    const mixed = checkedStack();
    roleWith(mixed, ["polly:SynthesizeSpeech", "s3:GetObject"], ["*"]);
    expect(errorsOf(mixed)).toEqual([expect.stringMatching(/grants s3:GetObject on "\*"/)]);
  });

  test("NotAction and raw JSON policies are rejected, managed policy attachments too", () => {
    const stack = checkedStack();
    new DataAwsIamPolicyDocument(stack, "doc", { statement: [{ notActions: ["iam:*"], resources: ["arn:aws:s3:::b"] }] });
    const role = new IamRole(stack, "raw-role", { assumeRolePolicy: "{}" });
    new IamRolePolicy(stack, "raw", { role: role.id, policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) });
    new IamRolePolicyAttachment(stack, "managed", { role: role.id, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
    const errors = errorsOf(stack);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\[LeastPrivilege.NotAction\]/),
        expect.stringMatching(/\[LeastPrivilege.UncheckedPolicy\]/),
        expect.stringMatching(/\[LeastPrivilege.ManagedPolicy\]/),
      ]),
    );
  });

  test("a Lambda permission open to anyone, or without a source ARN, is rejected", () => {
    const stack = checkedStack();
    new LambdaPermission(stack, "open", { action: "lambda:InvokeFunction", functionName: "f", principal: "*" });
    expect(errorsOf(stack)).toEqual([
      expect.stringMatching(/principal must be an AWS service, got "\*"/),
      expect.stringMatching(/must restrict the caller with a source ARN/),
    ]);
  });

  test("a provider without the kit's default tags, and an untagged taggable Cloud Control resource, are rejected", () => {
    const stack = checkedStack();
    new AwsProvider(stack, "aws", { region: "ap-northeast-1", defaultTags: [{ tags: { project: "x" } }] });
    new CloudControlResource(stack, "assistant", { typeName: "AWS::Wisdom::Assistant", desiredState: { Name: "a", Type: "AGENT" }, tags: false });
    expect(errorsOf(stack)).toEqual([
      expect.stringMatching(/^\[RequiredTags\] the AWS provider's default_tags lack environment, managed-by$/),
      expect.stringMatching(/^\[RequiredTags\] AWS::Wisdom::Assistant is taggable but its Tags lack project, environment, managed-by$/),
    ]);
  });

  test("synth of a stack with a policy finding fails (cdktf throws on error annotations)", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "failing");
    KitContext.attach(stack, defaultEnvironment("dev"));
    new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
    Aspects.of(stack).add(new LeastPrivilegeCheck());
    roleWith(stack, ["*"], ["*"]);
    expect(() => app.synth()).toThrow(/LeastPrivilege.WildcardAction/);
  });
});
