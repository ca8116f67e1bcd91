import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

function synth(env: Record<string, string>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-app-"));
  const result = spawnSync(process.execPath, [TSX, "main.ts"], {
    cwd: ROOT,
    env: { ...process.env, CONTACT_CENTER_OUTDIR: outdir, ...env },
    encoding: "utf8",
  });
  return { result, outdir, stacks: fs.existsSync(path.join(outdir, "stacks")) ? fs.readdirSync(path.join(outdir, "stacks")).sort() : [] };
}

describe("the synth app (main.ts)", () => {
  test("synthesizes every environment with the embedded config and no AWS credentials", () => {
    const { result, outdir, stacks } = synth({ AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "" });
    expect(result.status).toBe(0);
    expect(stacks).toEqual(["contact-center-dev", "contact-center-prod", "contact-center-stg"]);
    for (const stack of stacks) {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      expect(json.terraform.required_providers.aws).toEqual({ source: "aws", version: "5.100.0" });
      // Function packages travel with the stack directory.
      for (const fn of Object.values(json.resource.aws_lambda_function) as { filename: string }[]) {
        expect(fs.existsSync(path.join(outdir, "stacks", stack, fn.filename))).toBe(true);
      }
    }
    expect(result.stdout).toMatch(/^synthesized contact-center-dev, contact-center-prod, contact-center-stg into .* in \d+ ms$/m);
    // Synth warnings (cdktf annotations, which only the cdktf CLI would print) go to stderr: dev and prod
    // use a Q in Connect model the published list lacks; stg's are all listed.
    const warnings = result.stderr.split("\n").filter((line) => line.startsWith("warning: "));
    expect(warnings.map((line) => line.slice(0, line.indexOf(" is not in"))).sort()).toEqual([
      'warning: contact-center-dev: Amazon Q in Connect model "apac.anthropic.claude-sonnet-4-20250514-v1:0" (qInConnect.agents.voice.preProcessing)',
      'warning: contact-center-prod: Amazon Q in Connect model "apac.anthropic.claude-sonnet-4-20250514-v1:0" (qInConnect.agents.voice.preProcessing, qInConnect.agents.voice.answerGeneration)',
    ]);
    for (const line of warnings) expect(line).toContain("published list for ap-northeast-1: Amazon Q in Connect API reference");
  });

  test("CONTACT_CENTER_ENV synthesizes one environment", () => {
    const { result, stacks } = synth({ CONTACT_CENTER_ENV: "stg" });
    expect(result.status).toBe(0);
    expect(stacks).toEqual(["contact-center-stg"]);
  });

  test("an unknown environment name fails with the list of environments and exit code 2", () => {
    const { result, stacks } = synth({ CONTACT_CENTER_ENV: "qa" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no environment file named "qa"; available: dev, prod, stg');
    expect(stacks).toEqual([]);
  });
});
