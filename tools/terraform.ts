/**
 * Terraform per environment without the cdktf CLI:
 *
 *   npx tsx tools/terraform.ts <plan|apply|diff|drift> <env> [options] [-- extra terraform args]
 *
 * Each command synthesizes only that environment (main.ts with CONTACT_CENTER_ENV=<env>, like
 * `npm run synth`), runs `terraform init -input=false` in cdktf.out/stacks/contact-center-<env>, then:
 *
 * - plan:  `terraform plan -out=tfplan`, then a summary of the saved plan (stateful replacements and
 *          destroys called out); `--summary <file>` also writes it as Markdown, with the flow diagrams.
 * - apply: applies exactly a saved plan (`tfplan` in the stack directory, or `--plan <file>`), after
 *          checking that the stack directory is what this commit synthesizes. Without a saved plan it
 *          refuses, unless `--auto-approve-without-plan` is given.
 * - diff:  plans without keeping the plan file; prints the summary only.
 * - drift: `terraform plan -refresh-only -detailed-exitcode`; exit 0 no drift, 2 drift, 1 error.
 *
 * The provider installs from the registry, from the CLI configuration in TF_CLI_CONFIG_FILE, or from a
 * filesystem mirror in TF_PROVIDER_MIRROR (as the test suite does). TERRAFORM_BINARY selects the binary;
 * CONTACT_CENTER_OUTDIR and CONTACT_CENTER_CONFIG_DIR work as for `npm run synth`.
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  type PlanJson,
  renderDriftMarkdown,
  renderDriftText,
  renderPlanMarkdown,
  renderPlanText,
  summarizeDrift,
  summarizePlan,
} from "./plan-summary";

export const ROOT = path.join(__dirname, "..");
const TSX_CLI = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
/** The plan file `plan` saves and `apply` looks for, in the stack directory. */
export const PLAN_FILE = "tfplan";

export const COMMANDS = ["plan", "apply", "diff", "drift"] as const;
export type Command = (typeof COMMANDS)[number];

export const USAGE = `usage: npx tsx tools/terraform.ts <plan|apply|diff|drift> <env> [options] [-- extra terraform args]

  plan    synthesize, init, terraform plan -out=tfplan, print a summary of the saved plan
  apply   apply exactly the saved plan (tfplan in the stack directory, or --plan <file>)
  diff    synthesize, init, plan without saving; print the summary only
  drift   terraform plan -refresh-only -detailed-exitcode: exit 0 no drift, 2 drift, 1 error

options:
  --summary <file>              plan, diff, drift: also write the summary as Markdown to <file>
  --plan <file>                 apply: the saved plan (a path from the current folder, else from the stack directory)
  --auto-approve-without-plan   apply: plan and apply in one step when there is no saved plan (no review!)
  --allow-local-state           apply: allow a stack with a local state backend on a CI runner
`;

/** A mistake in the command line; reported with the usage text. */
export class UsageError extends Error {}

/** A step that failed; reported with its message, exit code 1. */
export class StepError extends Error {}

export interface Options {
  readonly command: Command;
  readonly env: string;
  readonly summaryFile?: string;
  readonly planFile?: string;
  readonly autoApproveWithoutPlan: boolean;
  readonly allowLocalState: boolean;
  /** Arguments after `--`, passed to terraform plan/apply. */
  readonly extra: readonly string[];
}

/** Parses the command line (without `node` and the script). */
export function parseArgs(argv: readonly string[]): Options {
  const separator = argv.indexOf("--");
  const own = separator >= 0 ? argv.slice(0, separator) : [...argv];
  const extra = separator >= 0 ? argv.slice(separator + 1) : [];
  const positional: string[] = [];
  let summaryFile: string | undefined;
  let planFile: string | undefined;
  let autoApproveWithoutPlan = false;
  let allowLocalState = false;
  for (let i = 0; i < own.length; i++) {
    const arg = own[i];
    const value = () => {
      const next = own[++i];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${arg} needs a file name`);
      return next;
    };
    if (arg === "--summary") summaryFile = value();
    else if (arg === "--plan") planFile = value();
    else if (arg === "--auto-approve-without-plan") autoApproveWithoutPlan = true;
    else if (arg === "--allow-local-state") allowLocalState = true;
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg} (terraform options go after --)`);
    else positional.push(arg);
  }
  const [command, env, ...rest] = positional;
  if (!command || !(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  }
  if (!env) throw new UsageError("no environment given");
  if (!/^[a-z][a-z0-9]{1,11}$/.test(env)) throw new UsageError(`"${env}" is not an environment name`);
  if (rest.length) throw new UsageError(`unexpected argument(s): ${rest.join(" ")}`);
  if (planFile && command !== "apply") throw new UsageError("--plan is an apply option");
  if (autoApproveWithoutPlan && command !== "apply") throw new UsageError("--auto-approve-without-plan is an apply option");
  if (summaryFile && command === "apply") throw new UsageError("--summary is a plan, diff and drift option");
  return { command: command as Command, env, summaryFile, planFile, autoApproveWithoutPlan, allowLocalState, extra };
}

/** The synth output folder: CONTACT_CENTER_OUTDIR (from the current folder) or cdktf.out at the project root. */
export function outdir(): string {
  const configured = process.env.CONTACT_CENTER_OUTDIR;
  return configured ? path.resolve(configured) : path.join(ROOT, "cdktf.out");
}

export function stackDirOf(env: string, out = outdir()): string {
  return path.join(out, "stacks", `contact-center-${env}`);
}

/** Runs main.ts for one environment into `out`; throws StepError when synthesis fails. */
export function synthesize(env: string, out: string, quiet = false): void {
  const result = spawnSync(process.execPath, [TSX_CLI, "main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      CONTACT_CENTER_ENV: env,
      CONTACT_CENTER_OUTDIR: out,
      ...(process.env.CONTACT_CENTER_CONFIG_DIR ? { CONTACT_CENTER_CONFIG_DIR: path.resolve(process.env.CONTACT_CENTER_CONFIG_DIR) } : {}),
    },
    stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
  });
  if (result.error) throw new StepError(`synthesis could not start: ${result.error.message}`);
  if (result.status !== 0) throw new StepError(`synthesis of ${env} failed (exit ${result.status}); nothing was planned or applied`);
  if (!fs.existsSync(path.join(stackDirOf(env, out), "cdk.tf.json"))) {
    throw new StepError(`synthesis wrote no ${path.join(stackDirOf(env, out), "cdk.tf.json")}`);
  }
}

/** Files terraform or a run leaves in a stack directory; not part of what synthesis writes. */
function isRunArtifact(relative: string): boolean {
  const first = relative.split(path.sep)[0];
  return first === ".terraform" || first === ".terraform.lock.hcl" || /\.tfstate(\.|$)/.test(first) || first === PLAN_FILE;
}

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    const relative = path.relative(base, full);
    if (isRunArtifact(relative)) return [];
    return entry.isDirectory() ? listFiles(full, base) : [relative];
  });
}

/**
 * Differences between a fresh synthesis (`fresh`) and a stack directory (`existing`): files missing or
 * different in `existing`, and Terraform configuration files in `existing` the synthesis did not write.
 */
export function compareStackDirs(fresh: string, existing: string): string[] {
  const problems: string[] = [];
  const freshFiles = new Set(listFiles(fresh));
  for (const file of freshFiles) {
    const target = path.join(existing, file);
    if (!fs.existsSync(target)) problems.push(`${file}: missing`);
    else if (!fs.readFileSync(target).equals(fs.readFileSync(path.join(fresh, file)))) problems.push(`${file}: differs`);
  }
  for (const file of listFiles(existing)) {
    if (!freshFiles.has(file) && /\.tf(\.json)?$/.test(file)) problems.push(`${file}: not written by synthesis, but terraform would read it`);
  }
  return problems;
}

/**
 * Terraform's environment: automation mode, and where the provider comes from. With TF_PROVIDER_MIRROR
 * (as in the test suite) a CLI configuration is written that installs hashicorp/aws from that mirror and
 * everything else from the registry; it keeps the rest of an existing TF_CLI_CONFIG_FILE (credentials,
 * for example) unless that file has its own provider_installation block. Without it, TF_CLI_CONFIG_FILE
 * and terraform's defaults apply unchanged.
 */
export function terraformEnvironment(scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  const mirror = process.env.TF_PROVIDER_MIRROR;
  if (mirror) {
    if (!fs.existsSync(path.join(mirror, "registry.terraform.io", "hashicorp", "aws"))) {
      throw new StepError(`TF_PROVIDER_MIRROR=${mirror} does not hold registry.terraform.io/hashicorp/aws/<version>/<platform>/`);
    }
    const existing = process.env.TF_CLI_CONFIG_FILE;
    const kept = existing && fs.existsSync(existing) ? fs.readFileSync(existing, "utf8") : "";
    if (/^\s*provider_installation\b/m.test(kept)) return env;
    const file = path.join(scratch, "terraform.rc");
    fs.writeFileSync(
      file,
      [
        ...(kept ? [kept.trimEnd(), ""] : []),
        "provider_installation {",
        `  filesystem_mirror {\n    path    = ${JSON.stringify(path.resolve(mirror))}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }`,
        '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }',
        "}",
        "",
      ].join("\n"),
    );
    env.TF_CLI_CONFIG_FILE = file;
  }
  return env;
}

interface Terraform {
  /** Runs terraform with its output on this process's output; returns the exit code. */
  run(args: readonly string[]): number;
  /** Runs terraform and returns its standard output; throws StepError on a non-zero exit. */
  capture(args: readonly string[]): string;
}

function terraformIn(cwd: string, env: NodeJS.ProcessEnv): Terraform {
  const binary = process.env.TERRAFORM_BINARY || "terraform";
  const color = process.env.NO_COLOR ? ["-no-color"] : [];
  const spawn = (args: readonly string[], options: SpawnSyncOptions) => {
    const result = spawnSync(binary, [...args, ...color], { cwd, env, maxBuffer: 1024 * 1024 * 1024, ...options });
    if (result.error) {
      throw new StepError(`could not run "${binary}" (${result.error.message}); install Terraform >= 1.6 or set TERRAFORM_BINARY`);
    }
    return result;
  };
  return {
    run: (args) => spawn(args, { stdio: "inherit" }).status ?? 1,
    capture: (args) => {
      const result = spawn(args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
      if (result.status !== 0) {
        throw new StepError(`terraform ${args[0]} failed (exit ${result.status}):\n${String(result.stderr || result.stdout).trim()}`);
      }
      return String(result.stdout);
    },
  };
}

const onCi = () => ["CI", "GITHUB_ACTIONS", "GITLAB_CI"].some((v) => /^(1|true)$/i.test(process.env[v] ?? ""));

function usesLocalState(stackDir: string): boolean {
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as { terraform?: { backend?: Record<string, unknown> } };
  return Boolean(json.terraform?.backend?.local);
}

/** The flows' Mermaid diagrams (`*.mmd` next to cdk.tf.json) as a Markdown section, or "" when there are none. */
export function flowDiagramsMarkdown(stackDir: string): string {
  if (!fs.existsSync(stackDir)) return "";
  const files = fs
    .readdirSync(stackDir)
    .filter((f) => f.endsWith(".mmd"))
    .sort();
  if (!files.length) return "";
  const sections = files.map((file) => {
    const diagram = fs.readFileSync(path.join(stackDir, file), "utf8").trimEnd();
    return `<details><summary>${file.replace(/\.mmd$/, "")}</summary>\n\n\`\`\`mermaid\n${diagram}\n\`\`\`\n\n</details>\n`;
  });
  return [`#### Contact flows`, "", ...sections].join("\n");
}

function writeSummary(file: string | undefined, markdown: string): void {
  if (!file) return;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(path.resolve(file), markdown.endsWith("\n") ? markdown : `${markdown}\n`);
  console.log(`summary written to ${file}`);
}

function init(terraform: Terraform): void {
  const code = terraform.run(["init", "-input=false"]);
  if (code !== 0) throw new StepError(`terraform init failed (exit ${code})`);
}

function warnLocalStateOnCi(stackDir: string): void {
  if (onCi() && usesLocalState(stackDir)) {
    console.warn("warning: this stack keeps its state in a local file, which a CI runner does not keep: the plan starts from that file's state, not the deployed one");
  }
}

function plan(options: Options, stackDir: string, terraform: Terraform, title: string): number {
  warnLocalStateOnCi(stackDir);
  init(terraform);
  const code = terraform.run(["plan", "-input=false", `-out=${PLAN_FILE}`, ...options.extra]);
  if (code !== 0) throw new StepError(`terraform plan failed (exit ${code})`);
  const summary = summarizePlan(JSON.parse(terraform.capture(["show", "-json", PLAN_FILE])) as PlanJson);
  console.log(`\n${renderPlanText(summary, title)}\n\nsaved plan: ${path.join(stackDir, PLAN_FILE)} (apply it with: npm run apply -- ${options.env})`);
  const diagrams = flowDiagramsMarkdown(stackDir);
  writeSummary(options.summaryFile, renderPlanMarkdown(summary, `Terraform plan: ${title}`) + (diagrams ? `\n${diagrams}` : ""));
  return 0;
}

function diff(options: Options, stackDir: string, terraform: Terraform, title: string, scratch: string): number {
  warnLocalStateOnCi(stackDir);
  init(terraform);
  const planFile = path.join(scratch, "diff.tfplan");
  terraform.capture(["plan", "-input=false", `-out=${planFile}`, ...options.extra]);
  const summary = summarizePlan(JSON.parse(terraform.capture(["show", "-json", planFile])) as PlanJson);
  console.log(renderPlanText(summary, title));
  writeSummary(options.summaryFile, renderPlanMarkdown(summary, `Terraform diff: ${title}`));
  return 0;
}

function drift(options: Options, stackDir: string, terraform: Terraform, title: string, scratch: string): number {
  warnLocalStateOnCi(stackDir);
  init(terraform);
  const planFile = path.join(scratch, "drift.tfplan");
  const code = terraform.run(["plan", "-refresh-only", "-detailed-exitcode", "-input=false", `-out=${planFile}`, ...options.extra]);
  if (code !== 0 && code !== 2) throw new StepError(`terraform plan -refresh-only failed (exit ${code})`);
  const summary = summarizeDrift(JSON.parse(terraform.capture(["show", "-json", planFile])) as PlanJson);
  console.log(`\n${renderDriftText(summary, title)}`);
  writeSummary(options.summaryFile, renderDriftMarkdown(summary, `Terraform drift: ${title}`));
  return code === 2 ? 2 : 0;
}

/** The saved plan `apply` uses: --plan (from the current folder if it exists there, else from the stack directory) or tfplan. */
export function resolvePlanFile(options: Options, stackDir: string): string {
  if (!options.planFile) return path.join(stackDir, PLAN_FILE);
  const fromCwd = path.resolve(options.planFile);
  return fs.existsSync(fromCwd) ? fromCwd : path.resolve(stackDir, options.planFile);
}

function apply(options: Options, stackDir: string, scratch: string): number {
  const planFile = resolvePlanFile(options, stackDir);
  const hasPlan = fs.existsSync(planFile);
  if (!hasPlan && !options.autoApproveWithoutPlan) {
    throw new StepError(
      `refusing to apply ${options.env} without a saved plan: ${planFile} does not exist.\n` +
        `Run "npm run plan -- ${options.env}", review the plan, then apply it; or pass --plan <file>. ` +
        "--auto-approve-without-plan plans and applies in one step, without review.",
    );
  }
  if (hasPlan) {
    // The saved plan refers to files in the stack directory (function packages): apply only when the
    // directory is exactly what this commit synthesizes.
    if (!fs.existsSync(path.join(stackDir, "cdk.tf.json"))) throw new StepError(`${stackDir} holds no cdk.tf.json to apply the plan with`);
    const fresh = path.join(scratch, "synth");
    synthesize(options.env, fresh, true);
    const problems = compareStackDirs(stackDirOf(options.env, fresh), stackDir);
    if (problems.length) {
      throw new StepError(
        `refusing to apply: ${stackDir} is not what this commit synthesizes for ${options.env}, so the saved plan may not be the reviewed one:\n` +
          problems.map((p) => `  - ${p}`).join("\n") +
          `\nPlan again ("npm run plan -- ${options.env}") from this commit.`,
      );
    }
    console.log(`${stackDir} matches this commit's synthesis byte for byte`);
  } else {
    synthesize(options.env, outdir());
  }
  if (onCi() && usesLocalState(stackDir) && !options.allowLocalState) {
    throw new StepError(
      `refusing to apply ${options.env} on a CI runner: its state backend is local, and the state file would be lost with the runner ` +
        "(the next run would create everything again). Configure an s3 or cloud backend for this environment, or pass --allow-local-state.",
    );
  }
  const terraform = terraformIn(stackDir, terraformEnvironment(scratch));
  init(terraform);
  const args = hasPlan ? ["apply", "-input=false", ...options.extra, planFile] : ["apply", "-input=false", "-auto-approve", ...options.extra];
  const code = terraform.run(args);
  if (code !== 0) throw new StepError(`terraform apply failed (exit ${code})`);
  return 0;
}

/** Runs one command; returns the process exit code. */
export function run(argv: readonly string[]): number {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 1;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `cc-terraform-${options.env}-`));
  try {
    const stackDir = stackDirOf(options.env);
    const title = `contact-center-${options.env}`;
    if (options.command === "apply") return apply(options, stackDir, scratch);
    synthesize(options.env, outdir());
    const terraform = terraformIn(stackDir, terraformEnvironment(scratch));
    if (options.command === "plan") return plan(options, stackDir, terraform, title);
    if (options.command === "diff") return diff(options, stackDir, terraform, title, scratch);
    return drift(options, stackDir, terraform, title, scratch);
  } catch (error) {
    if (!(error instanceof StepError)) throw error;
    console.error(`error: ${error.message}`);
    return 1;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
