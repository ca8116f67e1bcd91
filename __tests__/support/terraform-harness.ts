import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Runs the terraform CLI against synthesized stacks without AWS: `init` from a provider filesystem
 * mirror when TF_PROVIDER_MIRROR points at one (the normal registry otherwise), `validate`, and `plan`
 * against a loopback endpoint (see fake-aws-plan-endpoint.ts) with dummy credentials.
 */

/** Environment variable naming a Terraform provider filesystem mirror (registry.terraform.io/hashicorp/aws/...). */
export const MIRROR_VARIABLE = "TF_PROVIDER_MIRROR";

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let checkedBinary: string | undefined;

/** The terraform binary (TERRAFORM_BINARY or `terraform` on PATH); fails with a clear message when missing. */
export function terraformBinary(): string {
  if (checkedBinary) return checkedBinary;
  const binary = process.env.TERRAFORM_BINARY || "terraform";
  const probe = spawnSync(binary, ["version", "-json"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `the terraform CLI is required for the terraform test suite but "${binary}" could not be run ` +
        `(${probe.error?.message ?? probe.stderr.trim()}); install Terraform >= 1.6 or set TERRAFORM_BINARY`,
    );
  }
  checkedBinary = binary;
  return binary;
}

/**
 * Writes a terraform CLI configuration that installs hashicorp/aws from the mirror in TF_PROVIDER_MIRROR
 * and everything else from the registry. Returns undefined when no mirror is configured.
 */
export function writeCliConfig(dir: string): string | undefined {
  const mirror = process.env[MIRROR_VARIABLE];
  if (!mirror) return undefined;
  if (!fs.existsSync(path.join(mirror, "registry.terraform.io", "hashicorp", "aws"))) {
    throw new Error(`${MIRROR_VARIABLE}=${mirror} does not hold registry.terraform.io/hashicorp/aws/<version>/<platform>/`);
  }
  const file = path.join(dir, "terraform.rc");
  fs.writeFileSync(
    file,
    [
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(mirror)}`,
      '    include = ["registry.terraform.io/hashicorp/aws"]',
      "  }",
      "  direct {",
      '    exclude = ["registry.terraform.io/hashicorp/aws"]',
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  return file;
}

export interface PlanOverrides {
  /** The loopback endpoint URL serving STS, CloudFormation and Connect. */
  readonly endpoint: string;
  readonly region: string;
}

/**
 * Copies a synthesized stack folder to a scratch folder and adds an override file: local state (HCP
 * Terraform and S3 backends cannot be reached here) and an AWS provider pointed at the loopback endpoint
 * with dummy credentials. The stack's own provider settings (region, default tags, assume role, allowed
 * accounts) stay in force.
 */
export function prepareWorkdir(stackDir: string, overrides: PlanOverrides): string {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), `tf-${path.basename(stackDir)}-`));
  fs.cpSync(stackDir, workdir, { recursive: true });
  const endpoints = { cloudformation: overrides.endpoint, sts: overrides.endpoint, connect: overrides.endpoint };
  fs.writeFileSync(
    path.join(workdir, "zz_plan_harness_override.tf.json"),
    JSON.stringify(
      {
        terraform: { backend: { local: { path: "terraform.tfstate" } } },
        provider: {
          aws: {
            access_key: "AKIAPLANHARNESS00000",
            secret_key: "plan-harness-secret",
            skip_metadata_api_check: true,
            skip_region_validation: true,
            endpoints: [endpoints],
            sts_region: overrides.region,
          },
        },
      },
      null,
      2,
    ),
  );
  return workdir;
}

/**
 * Runs terraform asynchronously: the loopback endpoint lives in this process, so a blocking spawn would
 * keep it from answering the provider.
 */
export function terraform(args: readonly string[], cwd: string, cliConfig?: string): Promise<TerraformResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    AWS_EC2_METADATA_DISABLED: "true",
  };
  // Only ours: a developer's shared AWS profile must not leak into the plan.
  delete env.AWS_PROFILE;
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  delete env.AWS_SESSION_TOKEN;
  if (cliConfig) env.TF_CLI_CONFIG_FILE = cliConfig;
  return new Promise((resolve, reject) => {
    const child = spawn(terraformBinary(), [...args, "-no-color"], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Throws with terraform's own output when a command failed, so a test failure shows the reason. */
export function expectSuccess(step: string, result: TerraformResult): TerraformResult {
  if (result.code !== 0) {
    throw new Error(`terraform ${step} failed (exit ${result.code}):\n${result.stderr || result.stdout}`);
  }
  return result;
}
