import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EnvironmentConfig } from "../../config/schema/environment";
import { validateFlow } from "../../flows/language";
import type { ContactCenterStack } from "../../stacks/contact-center-stack";
import { type FakeAwsPlanEndpoint, startFakeAwsPlanEndpoint } from "./fake-aws-plan-endpoint";
import { synthEnvironment, type TerraformJson } from "./synth";
import { expectSuccess, prepareWorkdir, terraform, type TerraformResult, writeCliConfig } from "./terraform-harness";

export interface PlannedStack {
  readonly workdir: string;
  readonly init: TerraformResult;
  readonly validate: TerraformResult;
  readonly plan: TerraformResult;
  /** `terraform show -json` of the saved plan (when the plan succeeded). */
  readonly planJson?: TerraformJson;
  readonly endpoint: FakeAwsPlanEndpoint;
}

/**
 * Synthesizes `env`, then runs terraform init, validate and plan against the loopback endpoint.
 * `mutate` may change the stack before synthesis (negative tests). Plan failures are returned, not thrown.
 */
export async function planEnvironment(
  env: EnvironmentConfig,
  mutate?: (stack: ContactCenterStack) => void,
): Promise<PlannedStack> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `cc-plan-${env.name}-`));
  const cliConfig = writeCliConfig(scratch);
  const synthesized = synthEnvironment(env, { outdir: path.join(scratch, "out"), mutate });
  const endpoint = await startFakeAwsPlanEndpoint({ region: env.region, accountId: env.allowedAccountIds?.[0] });
  try {
    const workdir = prepareWorkdir(synthesized.stackDir, { endpoint: endpoint.url, region: env.region });
    const init = expectSuccess("init", await terraform(["init", "-input=false"], workdir, cliConfig));
    const validate = expectSuccess("validate", await terraform(["validate"], workdir, cliConfig));
    const plan = await terraform(["plan", "-input=false", "-lock=false", "-out=tfplan"], workdir, cliConfig);
    const planJson =
      plan.code === 0 ? JSON.parse(expectSuccess("show", await terraform(["show", "-json", "tfplan"], workdir, cliConfig)).stdout) : undefined;
    return { workdir, init, validate, plan, planJson, endpoint };
  } catch (error) {
    await endpoint.close();
    throw error;
  }
}

/** The "Plan: N to add, ..." counts of a successful plan. */
export function planCounts(output: string): { add: number; change: number; destroy: number } {
  const match = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(output);
  if (!match && /No changes\.|without changing any real infrastructure/.test(output)) return { add: 0, change: 0, destroy: 0 };
  if (!match) throw new Error(`no plan summary in terraform output:\n${output.slice(-2000)}`);
  return { add: Number(match[1]), change: Number(match[2]), destroy: Number(match[3]) };
}

/**
 * The standard terraform suite for one default environment: init from the mirror, validate, and a plan
 * that succeeds, creates resources, destroys nothing, and makes only the AWS calls the harness serves.
 */
export function describeTerraformPlan(env: EnvironmentConfig, expectations: { readonly minResources: number }): void {
  describe(`terraform init/validate/plan: ${env.name}`, () => {
    let planned: PlannedStack;

    beforeAll(async () => {
      planned = await planEnvironment(env);
    }, 600_000);

    afterAll(async () => {
      await planned?.endpoint.close();
    });

    test("init installs the pinned hashicorp/aws provider", () => {
      expect(planned.init.stdout).toMatch(/hashicorp\/aws v5\.100\.0/);
    });

    test("validate accepts the configuration", () => {
      expect(planned.validate.stdout).toContain("The configuration is valid");
    });

    test("plan succeeds, creates the stack and destroys nothing", () => {
      if (planned.plan.code !== 0) throw new Error(`plan failed:\n${planned.plan.stderr}`);
      const counts = planCounts(planned.plan.stdout);
      expect(counts.add).toBeGreaterThanOrEqual(expectations.minResources);
      expect(counts.change).toBe(0);
      expect(counts.destroy).toBe(0);
    });

    test("plan creates the chat, voice and agent-UI flows, each content valid flow JSON once Terraform knows it", () => {
      const flows = (planned.planJson?.resource_changes ?? []).filter((r: TerraformJson) => r.type === "aws_connect_contact_flow");
      expect(flows.map((r: TerraformJson) => r.change.after.name).sort()).toEqual([`cc-${env.name}-agent-ui`, `cc-${env.name}-chat`, `cc-${env.name}-voice`]);
      for (const flow of flows) {
        expect(flow.change.actions).toEqual(["create"]);
        const content = flow.change.after.content;
        // Content that references resources created in the same apply is unknown until then.
        if (typeof content !== "string") {
          expect(flow.change.after_unknown.content).toBe(true);
          continue;
        }
        const channels = /-voice$/.test(flow.change.after.name) ? (["VOICE"] as const) : (["CHAT"] as const);
        expect(validateFlow(JSON.parse(content), { strict: true, flowType: "CONTACT_FLOW", channels })).toEqual([]);
      }
    });

    test("plan only made AWS calls the harness serves (no live AWS, no unknown calls)", () => {
      expect(planned.endpoint.unknown).toEqual([]);
      expect(planned.endpoint.calls.some((c) => c.service === "sts" && c.action === "GetCallerIdentity")).toBe(true);
    });

    if (env.assumeRoleArn) {
      test("the provider assumed the configured deploy role", () => {
        expect(planned.endpoint.calls).toContainEqual({ service: "sts", action: "AssumeRole", detail: env.assumeRoleArn });
      });
    }

    if (env.connect.mode === "existing") {
      test("the existing Connect instance is read by id at plan time", () => {
        expect(planned.endpoint.calls.some((c) => c.service === "connect" && c.action === "DescribeInstance")).toBe(true);
      });
    }
  });
}
