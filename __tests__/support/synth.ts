import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import { loadEnvironments } from "../../config/load";
import type { EnvironmentConfig } from "../../config/schema/environment";
import type { AddressMove } from "../../stacks/address-moves";
import { isCloudControlResource } from "../../stacks/cloud-control/cloud-control-resource";
import { ContactCenterStack, type ContactCenterStackProps, stackName } from "../../stacks/contact-center-stack";
import { resolveInStack } from "../../stacks/resolve";

/** The embedded default environments, validated. */
export function defaultEnvironments(): EnvironmentConfig[] {
  return loadEnvironments();
}

export function defaultEnvironment(name: string): EnvironmentConfig {
  const env = defaultEnvironments().find((e) => e.name === name);
  if (!env) throw new Error(`no default environment named ${name}`);
  return env;
}

export interface SynthesizedStack {
  readonly stack: ContactCenterStack;
  /** The stack's Terraform working directory (holds cdk.tf.json and assets). */
  readonly stackDir: string;
  /** The parsed cdk.tf.json. */
  readonly json: TerraformJson;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped by nature
export type TerraformJson = Record<string, any>;

export interface SynthOptions {
  /** Output folder. @default - a new scratch folder */
  readonly outdir?: string;
  /** Changes the stack before synthesis (negative tests). */
  readonly mutate?: (stack: ContactCenterStack) => void;
  /** Address moves instead of stacks/moves.ts. */
  readonly moves?: readonly AddressMove[];
  /** See ContactCenterStackProps.latencyBudget. @default "enforce" */
  readonly latencyBudget?: ContactCenterStackProps["latencyBudget"];
}

/** Synthesizes one environment's stack into a scratch folder, like `npm run synth` does. */
export function synthEnvironment(env: EnvironmentConfig, options: SynthOptions = {}): SynthesizedStack {
  const dir = options.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), "cc-synth-"));
  const app = Testing.stubVersion(new App({ outdir: dir, stackTraces: false }));
  const stack = new ContactCenterStack(app, stackName(env), { env, moves: options.moves, latencyBudget: options.latencyBudget });
  options.mutate?.(stack);
  app.synth();
  const stackDir = path.join(dir, "stacks", stackName(env));
  return { stack, stackDir, json: JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) };
}

/** Every resource of one Terraform type in a synthesized stack, keyed by address name. */
export function resourcesOfType(json: TerraformJson, type: string): Record<string, TerraformJson> {
  return json.resource?.[type] ?? {};
}

/** The single resource of a type whose construct path ends with `pathSuffix`. */
export function resourceAt(json: TerraformJson, type: string, pathSuffix: string): TerraformJson {
  const matches = Object.values(resourcesOfType(json, type)).filter((r) => String(r["//"]?.metadata?.path ?? "").endsWith(pathSuffix));
  if (matches.length !== 1) throw new Error(`expected one ${type} at */${pathSuffix}, found ${matches.length}`);
  return matches[0];
}

/** The desired state of the Cloud Control resource whose construct path ends with `pathSuffix`, tokens rendered. */
export function desiredStateAt(stack: ContactCenterStack, pathSuffix: string): TerraformJson {
  const matches = stack.node.findAll().filter(isCloudControlResource).filter((r) => r.node.path.endsWith(pathSuffix));
  if (matches.length !== 1) throw new Error(`expected one Cloud Control resource at */${pathSuffix}, found ${matches.length}`);
  return resolveInStack(stack, matches[0].desiredState) as TerraformJson;
}

/** The Terraform reference `${type.name.attribute}` of the resource whose construct path ends with `pathSuffix`. */
export function referenceTo(json: TerraformJson, type: string, pathSuffix: string, attribute: string): string {
  const match = Object.entries(resourcesOfType(json, type)).filter(([, r]) => String(r["//"]?.metadata?.path ?? "").endsWith(pathSuffix));
  if (match.length !== 1) throw new Error(`expected one ${type} at */${pathSuffix}, found ${match.length}`);
  return `\${${type}.${match[0][0]}.${attribute}}`;
}

/** How a Cloud Control attribute is referenced in the JSON: `${jsondecode(<address>.properties).<Attribute>}`. */
export function attributeOf(json: TerraformJson, pathSuffix: string, attribute: string): string {
  const address = referenceTo(json, "aws_cloudcontrolapi_resource", `${pathSuffix}/resource`, "properties").slice(2, -1);
  return `\${jsondecode(${address}).${attribute}}`;
}
