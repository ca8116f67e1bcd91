/**
 * Checks and wire encoding of builder inputs. Each check throws a FlowInputError naming the action,
 * the field, the value given and what is allowed; tokens and placeholders always pass untouched.
 */
import { Token } from "cdktf";
import { isSingleJsonPath } from "../json-path";
import { hasPlaceholder } from "../placeholders";
import type { JsonValue } from "../wire";
import { FlowInputError } from "./errors";

/**
 * A number parameter: a number, a decimal string, or a token/placeholder standing for one. Fields that
 * accept a dynamic value also take exactly one JSONPath reference (e.g. `$.Attributes.retries`).
 */
export type FlowNumber = number | string;

/** The action a value belongs to, for error messages. */
export interface ActionContext {
  readonly type: string;
  readonly id: string;
}

export function fail(context: ActionContext, message: string): never {
  throw new FlowInputError(`${context.type} "${context.id}": ${message}`);
}

function isOpaque(value: string): boolean {
  return hasPlaceholder(value) || Token.isUnresolved(value);
}

export interface NumberRange {
  readonly min: number;
  readonly max: number;
}

/**
 * A whole number within the range, written as the decimal string consoles export. A numeric cdktf
 * token is written as its string token so Terraform fills it in.
 */
export function wholeNumber(
  context: ActionContext,
  field: string,
  value: FlowNumber,
  range: NumberRange,
  options: { readonly dynamic?: boolean; readonly unit?: string } = {},
): string {
  const unit = options.unit ? ` ${options.unit}` : "";
  const allowed = `a whole number from ${range.min} to ${range.max}${unit}${options.dynamic ? ", or exactly one JSONPath reference such as $.Attributes.count" : ""}`;
  if (typeof value === "number") {
    if (Token.isUnresolved(value)) return Token.asString(value);
    if (!Number.isInteger(value) || value < range.min || value > range.max) fail(context, `${field} is ${value}; allowed: ${allowed}`);
    return String(value);
  }
  if (typeof value !== "string") fail(context, `${field} is ${JSON.stringify(value)}; allowed: ${allowed}`);
  if (isOpaque(value)) return value;
  if (/^\d+$/.test(value)) return wholeNumber(context, field, Number(value), range, options);
  if (options.dynamic && isSingleJsonPath(value)) return value;
  return fail(context, `${field} is "${value}"; allowed: ${allowed}`);
}

/** A non-empty string (static text may embed references such as `Hello $.Attributes.name`). */
export function text(context: ActionContext, field: string, value: string): string {
  if (typeof value !== "string") fail(context, `${field} is ${JSON.stringify(value)}; allowed: a non-empty string`);
  if (value.length === 0) fail(context, `${field} is an empty string; the service refuses empty values: give the text, or leave the parameter out`);
  return value;
}

/** A map of non-empty strings (contact attributes, Lambda parameters, Lex session attributes). */
export function stringMap(
  context: ActionContext,
  field: string,
  value: Readonly<Record<string, string>>,
  options: { readonly nonEmpty?: boolean } = {},
): Record<string, string> {
  const entries = Object.entries(value ?? {});
  if (options.nonEmpty && entries.length === 0) fail(context, `${field} is empty; give at least one entry`);
  for (const [key, entry] of entries) {
    if (key.length === 0) fail(context, `${field} has an empty key; give every entry a name`);
    text(context, `${field}["${key}"]`, entry);
  }
  return Object.fromEntries(entries);
}

/** One of the allowed literal values. */
export function oneOf<const T extends string>(context: ActionContext, field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    fail(context, `${field} is ${JSON.stringify(value)}; allowed: ${allowed.join(", ")}`);
  }
  return value as T;
}

/** The first empty string inside a JSON value, as a path such as `ViewData.Sections[0].Heading`. */
export function emptyStringPath(value: JsonValue | undefined, path: string): string | undefined {
  if (value === "") return path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = emptyStringPath(item, `${path}[${index}]`);
      if (found) return found;
    }
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = emptyStringPath(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}
