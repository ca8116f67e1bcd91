import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compareStackDirs, flowDiagramsMarkdown, parseArgs, resolvePlanFile, terraformEnvironment, UsageError } from "../../tools/terraform";

const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), "cc-tf-args-"));

function write(dir: string, files: Record<string, string>): string {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describe("tools/terraform.ts command line", () => {
  test("command, environment, options, and terraform arguments after --", () => {
    expect(parseArgs(["plan", "stg", "--summary", "out/plan.md", "--", "-lock=false", "-parallelism=4"])).toEqual({
      command: "plan",
      env: "stg",
      summaryFile: "out/plan.md",
      planFile: undefined,
      autoApproveWithoutPlan: false,
      allowLocalState: false,
      extra: ["-lock=false", "-parallelism=4"],
    });
    expect(parseArgs(["apply", "prod", "--plan", "tfplan"])).toMatchObject({ command: "apply", env: "prod", planFile: "tfplan", extra: [] });
    expect(parseArgs(["apply", "dev", "--auto-approve-without-plan", "--allow-local-state"])).toMatchObject({
      autoApproveWithoutPlan: true,
      allowLocalState: true,
    });
  });

  test.each([
    [[], "no command given"],
    [["plan"], "no environment given"],
    [["deploy", "dev"], 'unknown command "deploy"'],
    [["plan", "Dev"], '"Dev" is not an environment name'],
    [["plan", "dev", "stg"], "unexpected argument(s): stg"],
    [["plan", "dev", "--plan", "x"], "--plan is an apply option"],
    [["diff", "dev", "--auto-approve-without-plan"], "--auto-approve-without-plan is an apply option"],
    [["apply", "dev", "--summary", "x.md"], "--summary is a plan, diff and drift option"],
    [["plan", "dev", "--summary"], "--summary needs a file name"],
    [["plan", "dev", "-lock=false"], "unknown option -lock=false (terraform options go after --)"],
  ])("%j is a usage error: %s", (args, message) => {
    expect(() => parseArgs(args)).toThrow(UsageError);
    expect(() => parseArgs(args)).toThrow(message);
  });

  test("--plan resolves from the current folder when the file is there, else from the stack directory", () => {
    const dir = scratch();
    const stackDir = path.join(dir, "stack");
    const local = write(dir, { "reviewed.tfplan": "x" });
    const options = (planFile?: string) => ({ ...parseArgs(["apply", "dev"]), planFile });
    expect(resolvePlanFile(options(), stackDir)).toBe(path.join(stackDir, "tfplan"));
    expect(resolvePlanFile(options(path.join(local, "reviewed.tfplan")), stackDir)).toBe(path.join(local, "reviewed.tfplan"));
    expect(resolvePlanFile(options("no-such-file-here.tfplan"), stackDir)).toBe(path.join(stackDir, "no-such-file-here.tfplan"));
  });
});

describe("stack directory comparison before applying a saved plan", () => {
  const synthesized = { "cdk.tf.json": '{"a":1}', "assets/fn/abc/fn.zip": "zip-bytes", "voice.mmd": "flowchart TD" };

  test("identical when every synthesized file is there byte for byte; terraform's own files are ignored", () => {
    const fresh = write(scratch(), synthesized);
    const existing = write(scratch(), {
      ...synthesized,
      tfplan: "plan",
      ".terraform.lock.hcl": "lock",
      ".terraform/providers/x": "bin",
      "terraform.tfstate": "{}",
      "old-asset/stale.zip": "stale",
    });
    expect(compareStackDirs(fresh, existing)).toEqual([]);
  });

  test("reports changed and missing files, and extra terraform configuration", () => {
    const fresh = write(scratch(), synthesized);
    const existing = write(scratch(), { "cdk.tf.json": '{"a":2}', "voice.mmd": "flowchart TD", "override.tf": "# injected" });
    expect(compareStackDirs(fresh, existing).sort()).toEqual([
      "assets/fn/abc/fn.zip: missing",
      "cdk.tf.json: differs",
      "override.tf: not written by synthesis, but terraform would read it",
    ]);
  });
});

describe("job summary extras", () => {
  test("each flow's Mermaid diagram becomes a collapsed mermaid block, sorted by name", () => {
    const dir = write(scratch(), { "voice.mmd": "flowchart TD\n  A-->B\n", "chat.mmd": "flowchart TD\n  C-->D\n", "cdk.tf.json": "{}" });
    const md = flowDiagramsMarkdown(dir);
    expect(md.startsWith("#### Contact flows\n")).toBe(true);
    expect(md.indexOf("<summary>chat</summary>")).toBeLessThan(md.indexOf("<summary>voice</summary>"));
    expect(md).toContain("```mermaid\nflowchart TD\n  C-->D\n```");
  });

  test("no diagrams, no section", () => {
    expect(flowDiagramsMarkdown(write(scratch(), { "cdk.tf.json": "{}" }))).toBe("");
    expect(flowDiagramsMarkdown(path.join(scratch(), "missing"))).toBe("");
  });
});

describe("terraform CLI configuration", () => {
  const saved = { mirror: process.env.TF_PROVIDER_MIRROR, config: process.env.TF_CLI_CONFIG_FILE };
  afterEach(() => {
    for (const [name, value] of [["TF_PROVIDER_MIRROR", saved.mirror], ["TF_CLI_CONFIG_FILE", saved.config]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  function fakeMirror(): string {
    const mirror = scratch();
    fs.mkdirSync(path.join(mirror, "registry.terraform.io", "hashicorp", "aws"), { recursive: true });
    return mirror;
  }

  test("without a mirror, TF_CLI_CONFIG_FILE passes through unchanged", () => {
    delete process.env.TF_PROVIDER_MIRROR;
    process.env.TF_CLI_CONFIG_FILE = "/somewhere/terraform.rc";
    const env = terraformEnvironment(scratch());
    expect(env.TF_CLI_CONFIG_FILE).toBe("/somewhere/terraform.rc");
    expect(env).toMatchObject({ TF_IN_AUTOMATION: "1", TF_INPUT: "0" });
  });

  test("a mirror installs hashicorp/aws from it and keeps the rest of an existing CLI configuration", () => {
    const mirror = fakeMirror();
    const existing = write(scratch(), { "user.rc": 'credentials "app.terraform.io" {\n  token = "t"\n}\n' });
    process.env.TF_PROVIDER_MIRROR = mirror;
    process.env.TF_CLI_CONFIG_FILE = path.join(existing, "user.rc");
    const env = terraformEnvironment(scratch());
    const written = fs.readFileSync(env.TF_CLI_CONFIG_FILE!, "utf8");
    expect(written).toContain('credentials "app.terraform.io"');
    expect(written).toContain(`path    = ${JSON.stringify(mirror)}`);
    expect(written).toContain('exclude = ["registry.terraform.io/hashicorp/aws"]');
  });

  test("a missing CLI configuration file is ignored, a configuration with its own provider_installation wins", () => {
    process.env.TF_PROVIDER_MIRROR = fakeMirror();
    process.env.TF_CLI_CONFIG_FILE = "/root/no-such-terraformrc";
    expect(fs.readFileSync(terraformEnvironment(scratch()).TF_CLI_CONFIG_FILE!, "utf8")).toMatch(/^provider_installation \{/);
    const own = path.join(write(scratch(), { "own.rc": "provider_installation {\n  direct {}\n}\n" }), "own.rc");
    process.env.TF_CLI_CONFIG_FILE = own;
    expect(terraformEnvironment(scratch()).TF_CLI_CONFIG_FILE).toBe(own);
  });

  test("a mirror without hashicorp/aws is an error", () => {
    process.env.TF_PROVIDER_MIRROR = scratch();
    expect(() => terraformEnvironment(scratch())).toThrow(/does not hold registry.terraform.io\/hashicorp\/aws/);
  });
});
