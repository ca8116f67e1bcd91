/** Reading parameter values that may be numbers, number strings, placeholders or references. */
import { jsonPathForm } from "../json-path";
import { hasPlaceholder } from "../placeholders";
import type { JsonObject, JsonValue } from "../wire";

export type NumberValue =
  | { readonly kind: "missing" }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "placeholder" }
  | { readonly kind: "path" }
  | { readonly kind: "invalid" };

/** A count or a number of seconds: consoles write "8"; some tools write 8. */
export function numberValue(value: JsonValue | undefined): NumberValue {
  if (value === undefined) return { kind: "missing" };
  if (typeof value === "number") return Number.isFinite(value) ? { kind: "number", value } : { kind: "invalid" };
  if (typeof value !== "string") return { kind: "invalid" };
  if (hasPlaceholder(value)) return { kind: "placeholder" };
  if (/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return { kind: "number", value: Number(value) };
  return jsonPathForm(value).kind === "path" ? { kind: "path" } : { kind: "invalid" };
}

export function isWholeInRange(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

export function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asString(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The value for messages: strings quoted, everything else as JSON. */
export function show(value: JsonValue | undefined): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}

/** Operands of the action's conditions, in order. */
export function conditionOperands(transitions: { readonly Conditions?: readonly { readonly Condition: { readonly Operands: readonly string[] } }[] }): string[] {
  return (transitions.Conditions ?? []).flatMap((c) => c.Condition.Operands);
}
