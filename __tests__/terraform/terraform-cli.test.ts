import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type FakeAwsPlanEndpoint, startFakeAwsPlanEndpoint } from "../support/fake-aws-plan-endpoint";
import { terraformBinary } from "../support/terraform-harness";

/**
 * tools/terraform.ts end to end, offline: the real CLI synthesizes dev into a scratch folder, runs
 * terraform init (from TF_PROVIDER_MIRROR when set) and plan with dummy credentials against the loopback
 * AWS endpoint (the provider reads AWS_ENDPOINT_URL_<SERVICE>), and refuses unsafe applies.
 */

const ROOT = path.join(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI asynchronously: the loopback endpoint lives in this process and must keep answering. */
function tool(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", AWS_EC2_METADATA_DISABLED: "true", ...env };
  for (const name of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"]) delete childEnv[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, "tools/terraform.ts", ...args], { cwd: ROOT, env: childEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 240_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

describe("tools/terraform.ts (dev, against the loopback endpoint)", () => {
  let scratch: string;
  let endpoint: FakeAwsPlanEndpoint;
  let env: NodeJS.ProcessEnv;
  let plan: Run;
  const stackDir = () => path.join(scratch, "out", "stacks", "contact-center-dev");

  beforeAll(async () => {
    terraformBinary();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cc-terraform-cli-"));
    endpoint = await startFakeAwsPlanEndpoint({ region: "ap-northeast-1" });
    env = {
      CONTACT_CENTER_OUTDIR: path.join(scratch, "out"),
      AWS_ACCESS_KEY_ID: "AKIATERRAFORMCLI0000",
      AWS_SECRET_ACCESS_KEY: "terraform-cli-test-secret",
      AWS_ENDPOINT_URL_STS: endpoint.url,
      AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint.url,
      AWS_ENDPOINT_URL_CONNECT: endpoint.url,
    };
    plan = await tool(["plan", "dev", "--summary", path.join(scratch, "summary.md")], env);
  }, 300_000);

  afterAll(async () => {
    await endpoint?.close();
  });

  test("plan synthesizes only dev, saves tfplan and prints the summary", () => {
    if (plan.code !== 0) throw new Error(`plan failed (exit ${plan.code}):\n${plan.stderr}\n${plan.stdout.slice(-3000)}`);
    expect(fs.readdirSync(path.join(scratch, "out", "stacks"))).toEqual(["contact-center-dev"]);
    expect(fs.existsSync(path.join(stackDir(), "tfplan"))).toBe(true);
    expect(plan.stdout).toMatch(/^contact-center-dev: \d{2,} to add, 0 to change, 0 to destroy$/m);
    expect(plan.stdout).toContain(`saved plan: ${path.join(stackDir(), "tfplan")}`);
    expect(plan.stdout).toMatch(/\+ {3}aws_dynamodb_table\.\S+ \(DynamoDB table\)/);
  });

  test("--summary writes the Markdown summary for the pipeline's job summary", () => {
    const md = fs.readFileSync(path.join(scratch, "summary.md"), "utf8");
    expect(md).toMatch(/^### Terraform plan: contact-center-dev\n\n\*\*\d+ to add, 0 to change, 0 to destroy\*\*/);
    expect(md).toMatch(/\| create \| `aws_connect_instance\.\S+` \| Connect instance \|/);
    expect(md).not.toContain("CAUTION");
  });

  test("the plan ran against the loopback endpoint only", () => {
    expect(endpoint.unknown).toEqual([]);
    expect(endpoint.calls.some((c) => c.service === "sts" && c.action === "GetCallerIdentity")).toBe(true);
    expect(endpoint.calls.some((c) => c.service === "cloudformation" && c.action === "DescribeType")).toBe(true);
  });

  test("apply refuses on a CI runner when the stack keeps local state, after checking the saved plan's stack directory", async () => {
    const result = await tool(["apply", "dev"], { ...env, CI: "true" });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("matches this commit's synthesis byte for byte");
    expect(result.stderr).toContain("error: refusing to apply dev on a CI runner: its state backend is local");
  }, 120_000);

  test("apply refuses a saved plan whose stack directory is not what this commit synthesizes", async () => {
    const extra = path.join(stackDir(), "zz_extra.tf.json");
    fs.writeFileSync(extra, JSON.stringify({ output: { injected: { value: "x" } } }));
    try {
      const result = await tool(["apply", "dev", "--plan", "tfplan"], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("is not what this commit synthesizes for dev");
      expect(result.stderr).toContain("zz_extra.tf.json: not written by synthesis, but terraform would read it");
    } finally {
      fs.rmSync(extra);
    }
  }, 120_000);

  test("apply without a saved plan is refused before anything runs", async () => {
    const out = path.join(scratch, "empty-out");
    const result = await tool(["apply", "dev"], { ...env, CONTACT_CENTER_OUTDIR: out });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`refusing to apply dev without a saved plan: ${path.join(out, "stacks", "contact-center-dev", "tfplan")} does not exist`);
    expect(result.stderr).toContain("--auto-approve-without-plan");
    expect(fs.existsSync(out)).toBe(false);
  });

  test("a usage error exits 1 with the usage text", async () => {
    const result = await tool(["deploy", "dev"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown command "deploy"');
    expect(result.stderr).toContain("usage: npx tsx tools/terraform.ts <plan|apply|diff|drift> <env>");
  });
});
