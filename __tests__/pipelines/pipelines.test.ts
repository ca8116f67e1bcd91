import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { loadEnvironments } from "../../config/load";

/**
 * The CI definitions, parsed: GitHub Actions workflows and the GitLab pipeline. They must run only
 * commands that exist (npm scripts in package.json, files for npx tsx), keep permissions least-privilege,
 * pin every action to a commit, deploy dev before stg before prod, and apply exactly the reviewed plan.
 */

const ROOT = path.join(__dirname, "..", "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
const ENVIRONMENTS = loadEnvironments().filter((e) => e.pipeline);
const ORDER = ["dev", "stg", "prod"] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CI YAML is untyped by nature
type Yaml = any;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}

const readWorkflow = (file: string): Yaml => parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));
const workflowFiles = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();
const stepsOf = (job: Yaml): Step[] => job.steps ?? [];
const runsOf = (job: Yaml): string[] => stepsOf(job).flatMap((s) => (s.run ? [s.run] : []));
const usesOf = (job: Yaml, action: string) => stepsOf(job).filter((s) => s.uses?.startsWith(`${action}@`));
const needsOf = (job: Yaml): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);

/** Every job a job waits for, directly or not. */
function ancestors(jobs: Record<string, Yaml>, name: string, seen = new Set<string>()): Set<string> {
  for (const parent of needsOf(jobs[name])) {
    if (!seen.has(parent)) {
      seen.add(parent);
      ancestors(jobs, parent, seen);
    }
  }
  return seen;
}

/** The commands a shell snippet runs that must exist in this repository. */
function commandProblems(script: string): string[] {
  const problems: string[] = [];
  for (const [, name] of script.matchAll(/\bnpm run(?: -s| --silent)? ([\w:.-]+)/g)) {
    if (!PACKAGE.scripts[name]) problems.push(`npm run ${name}: no such script in package.json`);
  }
  for (const [, file] of script.matchAll(/\bnpx tsx ([\w./-]+)/g)) {
    if (!fs.existsSync(path.join(ROOT, file))) problems.push(`npx tsx ${file}: no such file`);
  }
  for (const [, command] of script.matchAll(/\bnpm (?!run\b)([a-z-]+)/g)) {
    if (!["ci", "test"].includes(command)) problems.push(`npm ${command}: pipelines install with npm ci and test with npm test`);
  }
  return problems;
}

describe("GitHub Actions workflows", () => {
  test("the three workflows exist", () => {
    expect(workflowFiles).toEqual(["deploy.yml", "drift.yml", "pull-request.yml"]);
  });

  describe.each(workflowFiles)("%s", (file) => {
    const workflow = readWorkflow(file);
    const jobs = workflow.jobs as Record<string, Yaml>;

    test("top-level permissions are read-only", () => {
      expect(workflow.permissions).toEqual({ contents: "read" });
    });

    test("only jobs that assume a role get id-token: write, and nothing else is writable", () => {
      for (const [name, job] of Object.entries(jobs)) {
        const assumes = usesOf(job, "aws-actions/configure-aws-credentials").length > 0;
        expect([name, job.permissions?.["id-token"] === "write"]).toEqual([name, assumes]);
        for (const [scope, level] of Object.entries(job.permissions ?? {})) {
          if (scope !== "id-token") expect([name, scope, level]).toEqual([name, scope, "read"]);
        }
      }
    });

    test("every action is pinned to a full commit SHA with a version comment", () => {
      const raw = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
      const uses = Object.values(jobs).flatMap((job) => stepsOf(job).flatMap((s) => (s.uses ? [s.uses] : [])));
      expect(uses.length).toBeGreaterThan(0);
      for (const use of uses) expect(use).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
      for (const line of raw.split("\n").filter((l) => /^\s*(- )?uses: /.test(l))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    });

    test("the commands exist: npm scripts in package.json, files for npx tsx; installs use npm ci", () => {
      const problems = Object.values(jobs).flatMap((job) => runsOf(job).flatMap(commandProblems));
      expect(problems).toEqual([]);
    });

    test("Node.js comes from package.json engines, terraform without its output wrapper", () => {
      for (const job of Object.values(jobs)) {
        for (const step of usesOf(job, "actions/setup-node")) expect(step.with).toMatchObject({ "node-version-file": "package.json" });
        for (const step of usesOf(job, "hashicorp/setup-terraform")) expect(step.with).toMatchObject({ terraform_wrapper: false });
      }
    });
  });

  describe("pull-request.yml", () => {
    const jobs = readWorkflow("pull-request.yml").jobs as Record<string, Yaml>;

    test("verify installs, type-checks, lints, tests and synthesizes, then emits the environment matrix", () => {
      expect(runsOf(jobs.verify).slice(0, 5)).toEqual(["npm ci", "npm run typecheck", "npm run lint", "npm test", "npm run synth"]);
      expect(runsOf(jobs.verify)[5]).toBe('npx tsx tools/pipeline-matrix.ts --github-output >> "$GITHUB_OUTPUT"');
      expect(jobs.verify.outputs.matrix).toBe("${{ steps.matrix.outputs.matrix }}");
    });

    test("plan fans out over the matrix, assumes the environment's role, plans, summarizes and uploads", () => {
      const plan = jobs.plan;
      expect(needsOf(plan)).toEqual(["verify"]);
      expect(plan.strategy.matrix.include).toBe("${{ fromJSON(needs.verify.outputs.matrix) }}");
      expect(usesOf(plan, "aws-actions/configure-aws-credentials")[0].with).toMatchObject({
        "role-to-assume": "${{ matrix.oidcRoleArn }}",
        "aws-region": "${{ matrix.region }}",
      });
      expect(runsOf(plan)).toContain("npm run plan -- ${{ matrix.name }} --summary plan-summary.md -- -lock=false");
      expect(runsOf(plan).some((r) => r.includes('cat plan-summary.md >> "$GITHUB_STEP_SUMMARY"'))).toBe(true);
      const upload = usesOf(plan, "actions/upload-artifact")[0];
      expect(upload.with).toMatchObject({ name: "plan-${{ matrix.name }}", "include-hidden-files": true });
      expect(String(upload.with?.path)).toContain("cdktf.out/stacks/contact-center-${{ matrix.name }}\n");
      expect(String(upload.with?.path)).toContain("!cdktf.out/stacks/contact-center-${{ matrix.name }}/.terraform");
    });
  });

  describe("deploy.yml", () => {
    const workflow = readWorkflow("deploy.yml");
    const jobs = workflow.jobs as Record<string, Yaml>;

    test("runs on pushes to main", () => {
      expect(workflow.on.push).toEqual({ branches: ["main"] });
    });

    test("plan then apply, dev before stg before prod", () => {
      expect(Object.keys(jobs)).toEqual(["setup", "plan-dev", "apply-dev", "plan-stg", "apply-stg", "plan-prod", "apply-prod"]);
      expect(ancestors(jobs, "apply-dev")).toEqual(new Set(["setup", "plan-dev"]));
      expect(ancestors(jobs, "plan-stg")).toContain("apply-dev");
      expect(ancestors(jobs, "apply-stg")).toEqual(new Set(["setup", "plan-dev", "apply-dev", "plan-stg"]));
      expect(ancestors(jobs, "apply-prod")).toEqual(new Set(["setup", "plan-dev", "apply-dev", "plan-stg", "apply-stg", "plan-prod"]));
    });

    test.each(ORDER)("%s: the apply job runs in its GitHub environment, one deploy at a time", (env) => {
      expect(jobs[`apply-${env}`].environment).toBe(env);
      for (const kind of ["plan", "apply"]) expect(jobs[`${kind}-${env}`].concurrency).toEqual({ group: `deploy-${env}`, "cancel-in-progress": false });
    });

    test.each(ORDER)("%s: the plan job uploads the saved plan with its stack directory", (env) => {
      const plan = jobs[`plan-${env}`];
      expect(runsOf(plan)).toContain(`npm run plan -- ${env} --summary plan-summary.md`);
      const upload = usesOf(plan, "actions/upload-artifact")[0];
      expect(upload.with?.name).toBe(`plan-${env}`);
      expect(String(upload.with?.path).split("\n")).toEqual([`cdktf.out/stacks/contact-center-${env}`, `!cdktf.out/stacks/contact-center-${env}/.terraform`, ""]);
    });

    test.each(ORDER)("%s: the apply job downloads exactly that artifact, applies the saved plan, never plans or synthesizes again", (env) => {
      const apply = jobs[`apply-${env}`];
      expect(needsOf(apply)).toContain(`plan-${env}`);
      const download = usesOf(apply, "actions/download-artifact");
      expect(download).toHaveLength(1);
      expect(download[0].with).toEqual({ name: `plan-${env}`, path: `cdktf.out/stacks/contact-center-${env}` });
      const runs = runsOf(apply);
      expect(runs).toContain(`npm run apply -- ${env} --plan tfplan`);
      expect(runs.filter((r) => /npm run (plan|diff|synth)\b|terraform (plan|apply)\b/.test(r))).toEqual([]);
      const steps = stepsOf(apply);
      const at = (predicate: (s: Step) => boolean) => steps.findIndex(predicate);
      expect(at((s) => Boolean(s.uses?.startsWith("actions/download-artifact@")))).toBeLessThan(at((s) => s.run === `npm run apply -- ${env} --plan tfplan`));
    });

    test.each(ORDER)("%s: the smoke test runs after the apply, read-only where the config says so", (env) => {
      const config = ENVIRONMENTS.find((e) => e.name === env);
      const runs = runsOf(jobs[`apply-${env}`]);
      const smoke = runs.find((r) => r.startsWith("npm run smoke"));
      expect(smoke).toBe(`npm run smoke -- ${env}${config?.pipeline?.smokeMode === "read-only" ? " --read-only" : ""}`);
      expect(runs.indexOf(smoke!)).toBeGreaterThan(runs.indexOf(`npm run apply -- ${env} --plan tfplan`));
    });

    test.each(ORDER)("%s: the role and region come from the environment's pipeline settings", (env) => {
      for (const kind of ["plan", "apply"]) {
        expect(usesOf(jobs[`${kind}-${env}`], "aws-actions/configure-aws-credentials")[0].with).toMatchObject({
          "role-to-assume": `\${{ fromJSON(needs.setup.outputs.environments).${env}.oidcRoleArn }}`,
          "aws-region": `\${{ fromJSON(needs.setup.outputs.environments).${env}.region }}`,
        });
        expect(needsOf(jobs[`${kind}-${env}`])).toContain("setup");
      }
      expect(runsOf(jobs.setup)).toContain('npx tsx tools/pipeline-matrix.ts --github-output >> "$GITHUB_OUTPUT"');
    });

    test("every environment with pipeline settings is deployed, and protected ones have an environment gate", () => {
      expect(ENVIRONMENTS.map((e) => e.name).sort()).toEqual([...ORDER].sort());
      for (const env of ENVIRONMENTS.filter((e) => e.pipeline?.protected)) expect(jobs[`apply-${env.name}`].environment).toBe(env.name);
    });
  });

  describe("drift.yml", () => {
    const workflow = readWorkflow("drift.yml");
    const jobs = workflow.jobs as Record<string, Yaml>;

    test("scheduled, one drift job per environment in the matrix", () => {
      expect(workflow.on.schedule[0].cron).toMatch(/^[\d*/,-]+( [\d*/,-]+){4}$/);
      expect(jobs.drift.strategy.matrix.include).toBe("${{ fromJSON(needs.environments.outputs.matrix) }}");
      expect(runsOf(jobs.drift)).toContain("npm run drift -- ${{ matrix.name }} --summary drift-summary.md -- -lock=false");
      expect(runsOf(jobs.drift).filter((r) => /npm run apply|terraform apply/.test(r))).toEqual([]);
    });
  });
});

describe("GitLab CI (.gitlab-ci.yml)", () => {
  const reference = { tag: "!reference", collection: "seq" as const, resolve: (value: unknown) => ({ reference: (value as { toJSON(): unknown }).toJSON() }) };
  const pipeline = parse(fs.readFileSync(path.join(ROOT, ".gitlab-ci.yml"), "utf8"), { customTags: [reference] }) as Record<string, Yaml>;
  const jobNames = Object.keys(pipeline).filter((k) => !k.startsWith(".") && !["workflow", "stages", "variables", "default", "include"].includes(k));

  /** A job with its `extends` chain merged (one level deep per key, as GitLab merges hashes). */
  function resolved(name: string): Yaml {
    const job = pipeline[name];
    const parents = job.extends ? (Array.isArray(job.extends) ? job.extends : [job.extends]) : [];
    return Object.assign({}, ...parents.map((p: string) => resolved(p)), job);
  }

  /** Every shell line a job runs, with !reference before_script parts expanded. */
  function lines(job: Yaml): string[] {
    const expand = (items: unknown[] = []): string[] =>
      items.flatMap((item) => {
        if (typeof item === "string") return [item];
        const ref = (item as { reference?: string[] }).reference;
        if (ref) return expand(pipeline[ref[0]][ref[1]]);
        return [];
      });
    return [...expand(job.before_script ?? pipeline.default.before_script), ...expand(job.script)];
  }

  test("stages verify, plan, apply", () => {
    expect(pipeline.stages).toEqual(["verify", "plan", "apply"]);
  });

  test("the commands exist: npm scripts in package.json, files for npx tsx; installs use npm ci", () => {
    const problems = jobNames.flatMap((name) => lines(resolved(name)).flatMap(commandProblems));
    expect(problems).toEqual([]);
  });

  test("verify runs typecheck, lint, test and synth", () => {
    expect(resolved("verify").script).toEqual(["npm run typecheck", "npm run lint", "npm test", "npm run synth"]);
  });

  test("only jobs that assume a role request an OIDC token, and those get the role from the pipeline settings", () => {
    for (const name of jobNames) {
      const job = resolved(name);
      const assumes = lines(job).some((l) => l.includes("AWS_ROLE_ARN="));
      expect([name, Boolean(job.id_tokens)]).toEqual([name, assumes]);
      if (assumes) {
        expect(job.id_tokens.AWS_OIDC_TOKEN.aud).toBe("sts.amazonaws.com");
        expect(lines(job)).toContain('export AWS_ROLE_ARN="$(npx tsx tools/pipeline-matrix.ts --env "$ENV" --field oidcRoleArn)"');
        expect(ORDER).toContain(job.variables.ENV);
      }
    }
  });

  test.each(ORDER)("%s: the plan job keeps the saved plan and stack directory as artifacts", (env) => {
    const plan = resolved(`plan:${env}`);
    expect(plan.stage).toBe("plan");
    expect(plan.variables.ENV).toBe(env);
    expect(plan.artifacts.paths).toEqual([`plan-summary-${env}.md`, `cdktf.out/stacks/contact-center-${env}/`]);
    expect(plan.artifacts.exclude).toEqual([`cdktf.out/stacks/contact-center-${env}/.terraform/**/*`]);
    expect(lines(plan).join("\n")).toContain('npm run plan -- "$ENV" --summary "plan-summary-$ENV.md"');
  });

  test.each(ORDER)("%s: the apply job takes its plan job's artifact, applies the saved plan and never plans again", (env) => {
    const apply = resolved(`apply:${env}`);
    expect(apply.stage).toBe("apply");
    expect(apply.variables.ENV).toBe(env);
    expect(apply.environment.name).toBe(env);
    expect(apply.resource_group).toBe(`deploy-${env}`);
    expect(apply.needs).toContainEqual({ job: `plan:${env}`, artifacts: true });
    expect(apply.needs.filter((n: { artifacts: boolean }) => n.artifacts)).toEqual([{ job: `plan:${env}`, artifacts: true }]);
    expect(apply.script).toEqual(['npm run apply -- "$ENV" --plan tfplan', 'npm run smoke -- "$ENV" $SMOKE_FLAGS']);
    const config = ENVIRONMENTS.find((e) => e.name === env);
    expect(apply.variables.SMOKE_FLAGS).toBe(config?.pipeline?.smokeMode === "read-only" ? "--read-only" : "");
    expect(apply.rules.every((r: { if: string }) => r.if.includes("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"))).toBe(true);
  });

  test("dev applies automatically, then stg, then prod, each manual and blocking", () => {
    expect(resolved("apply:dev").rules[0].when).toBeUndefined();
    for (const [env, previous] of [["stg", "dev"], ["prod", "stg"]] as const) {
      const apply = resolved(`apply:${env}`);
      expect(apply.needs).toContainEqual({ job: `apply:${previous}`, artifacts: false });
      expect(apply.rules[0]).toMatchObject({ when: "manual", allow_failure: false });
    }
  });

  test("scheduled drift jobs per environment, nothing else on a schedule", () => {
    for (const env of ORDER) {
      const drift = resolved(`drift:${env}`);
      expect(drift.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule"' }]);
      expect(drift.script).toEqual(['npm run drift -- "$ENV" --summary drift-summary.md -- -lock=false']);
    }
    for (const name of jobNames.filter((n) => !n.startsWith("drift:"))) {
      expect(resolved(name).rules.some((r: { if: string }) => r.if.includes('$CI_PIPELINE_SOURCE == "schedule"') && !r.if.includes("!="))).toBe(false);
    }
  });
});
