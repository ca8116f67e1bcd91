/**
 * Prints the environments the pipelines deploy, from config/environments (those with a `pipeline`
 * section), for CI jobs to fan out over:
 *
 *   npx tsx tools/pipeline-matrix.ts                      JSON array: [{name, region, oidcRoleArn, protected, smokeMode, backend}]
 *   npx tsx tools/pipeline-matrix.ts --github-output      lines for $GITHUB_OUTPUT: matrix=<array>, environments=<object keyed by name>
 *   npx tsx tools/pipeline-matrix.ts --env stg --field oidcRoleArn    one value, raw (for shell scripts)
 *
 * CONTACT_CENTER_CONFIG_DIR reads another folder, as for synthesis.
 */
import { ConfigError, loadEnvironments } from "../config/load";
import type { EnvironmentConfig } from "../config/schema/environment";

export interface PipelineEnvironment {
  readonly name: string;
  readonly region: string;
  readonly oidcRoleArn: string;
  readonly protected: boolean;
  readonly smokeMode: "full" | "read-only";
  /** The state backend type: a pipeline must not apply a stack whose state is a local file. */
  readonly backend: EnvironmentConfig["backend"]["type"];
}

export const FIELDS = ["name", "region", "oidcRoleArn", "protected", "smokeMode", "backend"] as const;

/** The environments with a pipeline section, sorted by name. */
export function pipelineEnvironments(environments: readonly EnvironmentConfig[]): PipelineEnvironment[] {
  return environments.flatMap((env) =>
    env.pipeline
      ? [
          {
            name: env.name,
            region: env.region,
            oidcRoleArn: env.pipeline.oidcRoleArn,
            protected: env.pipeline.protected,
            smokeMode: env.pipeline.smokeMode,
            backend: env.backend.type,
          },
        ]
      : [],
  );
}

/** Renders the output for the command line; throws an Error with a message for bad arguments. */
export function render(argv: readonly string[], environments: readonly EnvironmentConfig[]): string {
  const entries = pipelineEnvironments(environments);
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const value = argv[i + 1];
    if (!value || value.startsWith("--")) throw new Error(`${name} needs a value`);
    return value;
  };
  const unknown = argv.filter((a, i) => a.startsWith("--") && !["--github-output", "--env", "--field"].includes(a) && argv[i - 1] !== "--env" && argv[i - 1] !== "--field");
  if (unknown.length) throw new Error(`unknown option(s): ${unknown.join(" ")}`);
  const envName = flag("--env");
  const field = flag("--field");
  if (envName || field) {
    if (!envName || !field) throw new Error("--env and --field go together");
    if (!(FIELDS as readonly string[]).includes(field)) throw new Error(`unknown field "${field}"; fields: ${FIELDS.join(", ")}`);
    const entry = entries.find((e) => e.name === envName);
    if (!entry) {
      throw new Error(`environment "${envName}" has no pipeline section (pipeline environments: ${entries.map((e) => e.name).join(", ") || "none"})`);
    }
    return String(entry[field as (typeof FIELDS)[number]]);
  }
  if (argv.includes("--github-output")) {
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]));
    return `matrix=${JSON.stringify(entries)}\nenvironments=${JSON.stringify(byName)}`;
  }
  return JSON.stringify(entries);
}

if (require.main === module) {
  try {
    const environments = loadEnvironments({ dir: process.env.CONTACT_CENTER_CONFIG_DIR || undefined });
    for (const env of environments) if (!env.pipeline) console.error(`note: ${env.name} has no pipeline section; the pipelines skip it`);
    console.log(render(process.argv.slice(2), environments));
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
