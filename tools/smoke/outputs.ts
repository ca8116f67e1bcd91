import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import type { Engine } from "../../config/schema/common";

/** Stack outputs the smoke test reads. */
export const OUTPUT_NAMES = {
  instanceId: "connect-instance-id",
  chatFlowId: "chat-flow-id",
  voiceFlowId: "voice-flow-id",
  handoffQueueId: "handoff-queue-id",
} as const;

/** The output holding the `live` alias ARN of an engine's bot. */
export const botAliasOutput = (engine: Engine) => `${engine}-bot-alias-arn`;

/** `terraform output -json`: every output with its value. */
export type TerraformOutputs = Readonly<Record<string, { readonly value: unknown; readonly sensitive?: boolean; readonly type?: unknown }>>;

/** Stack outputs as strings (non-string values are left out). */
export type StackOutputs = Readonly<Record<string, string>>;

export class OutputsError extends Error {}

export function parseOutputs(json: string, source: string): StackOutputs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new OutputsError(`${source} is not the JSON of "terraform output -json": ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new OutputsError(`${source} is not the JSON of "terraform output -json"`);
  const outputs: Record<string, string> = {};
  for (const [name, entry] of Object.entries(parsed as TerraformOutputs)) {
    if (entry && typeof entry === "object" && typeof entry.value === "string") outputs[name] = entry.value;
  }
  return outputs;
}

/** Reads the outputs from a saved `terraform output -json` file. */
export function readOutputsFile(file: string): StackOutputs {
  if (!fs.existsSync(file)) throw new OutputsError(`no outputs file ${file}`);
  return parseOutputs(fs.readFileSync(file, "utf8"), file);
}

/** Runs `terraform output -json` in an initialized stack directory. */
export function readTerraformOutputs(stackDir: string): StackOutputs {
  if (!fs.existsSync(stackDir)) throw new OutputsError(`${stackDir} does not exist; apply the stack first (npm run plan/apply)`);
  const binary = process.env.TERRAFORM_BINARY || "terraform";
  const result = spawnSync(binary, ["output", "-json", "-no-color"], { cwd: stackDir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new OutputsError(`could not run "${binary}": ${result.error.message}`);
  if (result.status !== 0) throw new OutputsError(`terraform output failed in ${stackDir} (exit ${result.status}):\n${result.stderr.trim()}`);
  return parseOutputs(result.stdout, "terraform output -json");
}

/** The value of a required output; the error lists the outputs there are. */
export function requireOutput(outputs: StackOutputs, name: string): string {
  const value = outputs[name];
  if (value) return value;
  const available = Object.keys(outputs).sort().join(", ") || "none";
  throw new OutputsError(`the stack has no output "${name}" (outputs: ${available}); is the stack applied with the flows?`);
}

/**
 * The resource id in an output that may hold a Terraform composite id (`<instance id>:<id>`, as
 * aws_connect_queue.id and aws_connect_contact_flow.id are) or an ARN (`.../queue/<id>`).
 */
export function resourceId(value: string): string {
  if (value.startsWith("arn:")) return value.slice(value.lastIndexOf("/") + 1);
  return value.includes(":") ? value.slice(value.lastIndexOf(":") + 1) : value;
}
