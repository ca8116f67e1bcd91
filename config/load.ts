import * as fs from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { EnvironmentConfig } from "./schema/environment";

/** Default folder of environment files, one `<name>.ts` or `<name>.json` per environment. */
export const DEFAULT_CONFIG_DIR = path.join(__dirname, "environments");

/** A configuration error; its message lists every problem with the field path, the value given and what is allowed. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function valueAt(root: unknown, keyPath: readonly PropertyKey[]): unknown {
  let value: unknown = root;
  for (const key of keyPath) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.map(String).join(".") : "(top level)";
  if (issue.code === "unrecognized_keys") {
    return `${field}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}; check the spelling against config/schema`;
  }
  return `${field}: ${issue.message} (given: ${describe(valueAt(raw, issue.path))})`;
}

/** Validates one environment object; `source` names it in errors (a file path or a label). */
export function parseEnvironment(raw: unknown, source: string): EnvironmentConfig {
  const result = EnvironmentConfig.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(source, result.error.issues.map((issue) => formatIssue(raw, issue)));
  }
  return result.data;
}

function readEnvironmentFile(file: string): unknown {
  if (file.endsWith(".json")) return JSON.parse(fs.readFileSync(file, "utf8"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- environment files are loaded by path at run time
  const mod = require(file) as { default?: unknown };
  return mod.default ?? mod;
}

export interface LoadOptions {
  /** Folder holding the environment files. */
  readonly dir?: string;
  /** Load only this environment (by name). */
  readonly only?: string;
}

/** Loads and validates every environment file in `dir` (or only the one named), sorted by name. */
export function loadEnvironments(options: LoadOptions = {}): EnvironmentConfig[] {
  const dir = path.resolve(options.dir ?? DEFAULT_CONFIG_DIR);
  if (!fs.existsSync(dir)) throw new ConfigError(dir, ["the configuration folder does not exist"]);
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^[a-z][a-z0-9]*\.(ts|json)$/.test(f))
    .sort();
  const wanted = options.only ? files.filter((f) => f.replace(/\.(ts|json)$/, "") === options.only) : files;
  if (wanted.length === 0) {
    const available = files.map((f) => f.replace(/\.(ts|json)$/, "")).join(", ") || "none";
    throw new ConfigError(dir, [
      options.only ? `no environment file named "${options.only}"; available: ${available}` : "no environment files (<name>.ts or <name>.json) found",
    ]);
  }
  return wanted.map((file) => {
    const fullPath = path.join(dir, file);
    const env = parseEnvironment(readEnvironmentFile(fullPath), path.relative(process.cwd(), fullPath) || fullPath);
    const expected = file.replace(/\.(ts|json)$/, "");
    if (env.name !== expected) {
      throw new ConfigError(fullPath, [`name: "${env.name}" does not match the file name; expected "${expected}"`]);
    }
    return env;
  });
}
