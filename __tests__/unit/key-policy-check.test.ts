import { Aspects, TerraformStack, Testing } from "cdktf";
import type { IConstruct } from "constructs";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KitContext } from "../../stacks/context";
import { KeyPolicyDocument, type KeyPolicyStatement } from "../../stacks/iam/key-policy";
import { LeastPrivilegeCheck } from "../../stacks/policy/least-privilege-check";
import { defaultEnvironment } from "../support/synth";

/** Error annotations after the least-privilege aspect ran. */
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

function stackWithKey(statements: KeyPolicyStatement[], rawPolicy?: string): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "key-policy-test");
  KitContext.attach(stack, defaultEnvironment("dev"));
  Aspects.of(stack).add(new LeastPrivilegeCheck());
  const document = new KeyPolicyDocument(stack, "policy", statements);
  new KmsKey(stack, "key", { policy: rawPolicy ?? document.json });
  return stack;
}

const root = { type: "AWS" as const, identifiers: ["arn:aws:iam::111122223333:root"] };

describe("least-privilege check: KMS key policies", () => {
  test("`*` resources in a key policy mean the key: accepted, with action groups and a held service principal", () => {
    const stack = stackWithKey([
      { sid: "Admin", principal: root, actions: ["kms:Describe*", "kms:Put*"] },
      {
        sid: "Service",
        principal: { type: "Service", identifiers: ["cloudwatch.amazonaws.com"] },
        actions: ["kms:Decrypt"],
        conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["111122223333"] }],
      },
    ]);
    expect(errorsOf(stack)).toEqual([]);
  });

  test("kms:* is rejected", () => {
    expect(errorsOf(stackWithKey([{ sid: "Admin", principal: root, actions: ["kms:*"] }]))).toEqual([
      expect.stringMatching(/^\[LeastPrivilege\.WildcardAction\] key policy statement Admin grants "kms:\*"/),
    ]);
  });

  test("a service principal without aws:SourceAccount is rejected (confused deputy)", () => {
    expect(errorsOf(stackWithKey([{ sid: "Service", principal: { type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }, actions: ["kms:Decrypt"] }]))).toEqual([
      expect.stringMatching(/^\[LeastPrivilege\.ConfusedDeputy\] key policy statement Service admits cloudwatch\.amazonaws\.com without an aws:SourceAccount condition/),
    ]);
  });

  test("an open principal is rejected", () => {
    expect(errorsOf(stackWithKey([{ sid: "Anyone", principal: { type: "AWS", identifiers: ["*"] }, actions: ["kms:Decrypt"] }]))).toEqual([
      expect.stringMatching(/^\[LeastPrivilege\.OpenPrincipal\] key policy statement Anyone must name its principals/),
    ]);
  });

  test("a key whose policy is raw JSON cannot be checked and is rejected", () => {
    const raw = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" }] });
    expect(errorsOf(stackWithKey([{ sid: "Admin", principal: root, actions: ["kms:Describe*"] }], raw))).toEqual([
      expect.stringMatching(/^\[LeastPrivilege\.UncheckedPolicy\] a KMS key's policy must be the json of a KeyPolicyDocument/),
    ]);
  });
});
