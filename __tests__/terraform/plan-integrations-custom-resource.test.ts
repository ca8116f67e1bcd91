import { planCounts, planEnvironment, type PlannedStack } from "../support/plan-suite";
import { withIntegrations } from "../support/integrations-env";
import type { TerraformJson } from "../support/synth";

// dev with connect.integrations: "custom-resource": the Q in Connect associations become aws_lambda_invocation
// resources of the connect-integration function; the real provider plans them against the loopback endpoint.
describe('terraform init/validate/plan: dev with connect.integrations "custom-resource"', () => {
  let planned: PlannedStack;
  const changes = (): TerraformJson[] => planned.planJson?.resource_changes ?? [];

  beforeAll(async () => {
    planned = await planEnvironment(withIntegrations("dev", "custom-resource"));
  }, 600_000);

  afterAll(async () => {
    await planned?.endpoint.close();
  });

  test("validate accepts the configuration and the plan succeeds, creating everything and destroying nothing", () => {
    expect(planned.validate.stdout).toContain("The configuration is valid");
    if (planned.plan.code !== 0) throw new Error(`plan failed:\n${planned.plan.stderr}`);
    const counts = planCounts(planned.plan.stdout);
    expect(counts.add).toBeGreaterThanOrEqual(60);
    expect(counts).toMatchObject({ change: 0, destroy: 0 });
    expect(planned.endpoint.unknown).toEqual([]);
  });

  test("the assistant and knowledge-base associations are planned as CRUD invocations of cc-dev-connect-integration; the Lex bot ones stay Cloud Control", () => {
    const integrations = changes().filter((c) => c.address.includes(".integrations_"));
    const byType = (type: string) => integrations.filter((c) => c.type === type).map((c) => c.address.replace(/_[0-9A-F]{8}$/, ""));
    expect(byType("aws_lambda_invocation").sort()).toEqual([
      "aws_lambda_invocation.integrations_wisdom-assistant_invocation",
      "aws_lambda_invocation.integrations_wisdom-knowledge-base_invocation",
    ]);
    expect(byType("aws_cloudcontrolapi_resource").sort()).toEqual([
      "aws_cloudcontrolapi_resource.integrations_bedrock-bridge-lex-bot_resource",
      "aws_cloudcontrolapi_resource.integrations_q-in-connect-lex-bot_resource",
    ]);
    for (const invocation of integrations.filter((c) => c.type === "aws_lambda_invocation")) {
      expect(invocation.change.actions).toEqual(["create"]);
      expect(invocation.change.after).toMatchObject({ lifecycle_scope: "CRUD", terraform_key: "tf" });
    }
    const fn = changes().find((c) => c.type === "aws_lambda_function" && c.change.after.function_name === "cc-dev-connect-integration");
    expect(fn?.change.after).toMatchObject({ timeout: 180, runtime: "nodejs22.x", architectures: ["arm64"] });
  });
});
