import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import type { RegExpEngine } from "ajv/dist/types";
import addFormats from "ajv-formats";
import type { CloudControlTypeName } from "../../stacks/cloud-control/types";

export const SCHEMA_DIR = path.join(__dirname, "..", "..", "schemas", "cloudformation");

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation schemas are data
export type CfnSchema = Record<string, any>;

export function loadSchema(typeName: string): CfnSchema {
  return JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, `${typeName.replace(/::/g, "_")}.json`), "utf8"));
}

/**
 * CloudFormation patterns are written for the registry's (Java) regex engine: some escape characters
 * that JavaScript's unicode mode rejects (`\!`, `\'`), others need it (`\p{L}`). Try unicode mode
 * first, then plain mode, as the Terraform provider's own sanitizer keeps what its engine accepts.
 */
const lenientRegExp: RegExpEngine = (pattern: string, flags: string) => {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern, flags.replace("u", ""));
  }
};
lenientRegExp.code = "lenientRegExp";

// CloudFormation schemas use extra keywords (insertionOrder, relationshipRef, ...): not strict.
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, code: { regExp: lenientRegExp } });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** Validates a desired state against its type's schema; returns readable errors (empty when valid). */
export function schemaErrors(typeName: CloudControlTypeName, state: unknown): string[] {
  let validate = compiled.get(typeName);
  if (!validate) {
    validate = ajv.compile(loadSchema(typeName));
    compiled.set(typeName, validate);
  }
  if (validate(state)) return [];
  return (validate.errors ?? []).map((e) => `${typeName}${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}

/** Validates one value against the schema of one property of a type (used to check sample values). */
export function propertyErrors(typeName: CloudControlTypeName, property: string, value: unknown): string[] {
  const schema = loadSchema(typeName);
  const validate = ajv.compile({ definitions: schema.definitions, ...schema.properties[property] });
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${typeName}.${property} ${e.message}`);
}
