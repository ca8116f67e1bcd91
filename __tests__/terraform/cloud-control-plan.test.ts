import { CloudControlResource } from "../../stacks/cloud-control/cloud-control-resource";
import { planEnvironment, type PlannedStack } from "../support/plan-suite";
import { defaultEnvironment } from "../support/synth";

// The harness can fail: a desired state that breaks its CloudFormation schema fails the plan, because the
// real provider validates it against the schema served by the loopback DescribeType endpoint.
describe("terraform plan rejects a desired state that breaks its CloudFormation schema", () => {
  let planned: PlannedStack;

  beforeAll(async () => {
    planned = await planEnvironment(defaultEnvironment("dev"), (stack) => {
      new CloudControlResource(stack, "broken-assistant", {
        typeName: "AWS::Wisdom::Assistant",
        // "AGENT" is the only Type the schema allows.
        desiredState: { Name: "broken", Type: "CHATBOT" as "AGENT" },
      });
    });
  }, 600_000);

  afterAll(async () => {
    await planned?.endpoint.close();
  });

  test("validate still passes (it does not read CloudFormation schemas)", () => {
    expect(planned.validate.stdout).toContain("The configuration is valid");
  });

  test("plan fails with the provider's schema validation error naming the property", () => {
    expect(planned.plan.code).not.toBe(0);
    expect(planned.plan.stderr).toMatch(/validating desired_state against CloudFormation Resource Schema/);
    expect(planned.plan.stderr).toMatch(/Type must be one of the following: "AGENT"/);
  });

  test("the schema came from the harness's DescribeType endpoint", () => {
    expect(planned.endpoint.calls).toContainEqual({ service: "cloudformation", action: "DescribeType", detail: "AWS::Wisdom::Assistant" });
  });
});

// Desired states carry prompt templates: multi-line text with quotes, backslashes, Japanese and
// sequences Terraform would otherwise read as template syntax. The plan must hold them byte for byte.
describe("desired states reach the provider exactly as written", () => {
  const tricky = [
    'line one\nline "two"\ttab \\ backslash',
    "Q in Connect variables {{$.transcript}} and {{$.contentExcerpt}}",
    "literal ${not_a_reference} and %{if true}directive%{endif} and $${already} and %%{x}",
    "日本語のテキスト。「かぎかっこ」と絵文字😀",
  ].join("\n");
  let planned: PlannedStack;

  beforeAll(async () => {
    planned = await planEnvironment(defaultEnvironment("dev"), (stack) => {
      new CloudControlResource(stack, "encoding-probe", {
        typeName: "AWS::Wisdom::Assistant",
        desiredState: { Name: "encoding-probe", Type: "AGENT", Description: tricky.slice(0, 255) },
      });
    });
  }, 600_000);

  afterAll(async () => {
    await planned?.endpoint.close();
  });

  test("the planned desired_state parses to the object the construct was given", () => {
    const change = planned.planJson?.resource_changes.find((c: { address: string }) => c.address.includes("encoding-probe"));
    expect(JSON.parse(change.change.after.desired_state)).toEqual({
      Name: "encoding-probe",
      Type: "AGENT",
      Description: tricky.slice(0, 255),
      Tags: [
        { Key: "environment", Value: "dev" },
        { Key: "managed-by", Value: "cdktf" },
        { Key: "project", Value: "contact-center-kit" },
      ],
    });
  });

  test("a fully known desired state is validated at plan time (DescribeType was called for it)", () => {
    expect(planned.endpoint.calls).toContainEqual({ service: "cloudformation", action: "DescribeType", detail: "AWS::Wisdom::Assistant" });
  });
});
