/**
 * Dynamic references (`$.External.status`, `$.Lex.SessionAttributes['x-amz-lex:...']`). Some parameters
 * must be "fully static or exactly one JSONPath" (Compare's `ComparisonValue`, Loop's `LoopCount`,
 * Wait's `TimeLimitSeconds`); these helpers tell which form a value has.
 */
import { hasPlaceholder } from "./placeholders";

/** Roots that hold named children: a reference must name a child (`$.External` alone is refused). */
export const CONTAINER_ROOTS = [
  "External",
  "Attributes",
  "Lex",
  "FlowAttributes",
  "Wisdom",
  "Views",
  "Modules",
  "LambdaInvocation",
  "Loop",
  "CustomerEndpoint",
  "SystemEndpoint",
  "Queue",
  "Customer",
  "Case",
  "Metrics",
  "MetricData",
  "Tags",
  "SegmentAttributes",
  "References",
  "Media",
  "AdditionalEmailRecipients",
  "ContactDetails",
  "VoiceId",
  "DataTable",
  "Campaign",
] as const;

/** Roots that are values themselves (`$.Channel`). */
export const VALUE_ROOTS = [
  "Channel",
  "ContactId",
  "InitialContactId",
  "PreviousContactId",
  "RelatedContactId",
  "CustomerId",
  "AwsRegion",
  "InstanceARN",
  "InitiationMethod",
  "Name",
  "Description",
  "LanguageCode",
  "TextToSpeechVoiceId",
  "StoredCustomerInput",
] as const;

export type JsonPathForm =
  /** Exactly one reference, e.g. `$.External.status`; `segments` excludes the root. */
  | { readonly kind: "path"; readonly root: string; readonly segments: readonly string[] }
  /** Contains a template placeholder: opaque. */
  | { readonly kind: "placeholder" }
  /** A string with no `$.` reference at all. */
  | { readonly kind: "literal" }
  /** Contains `$.` but is not exactly one well-formed reference (text around it, two references...). */
  | { readonly kind: "malformed" };

// One segment: `.name`, `['any name']` (optionally after a dot) or `[0]`.
const SEGMENT = String.raw`(?:\.[^.\[\]\s'"$]+|\.?\[\s*'[^']*'\s*\]|\.?\[\s*"[^"]*"\s*\]|\[\d+\])`;
const SINGLE_PATH = new RegExp(String.raw`^\$(${SEGMENT})+$`);
const SEGMENTS = new RegExp(SEGMENT, "g");

function segmentName(raw: string): string {
  const quoted = /\[\s*['"](.*)['"]\s*\]$/.exec(raw);
  if (quoted) return quoted[1];
  const index = /^\[(\d+)\]$/.exec(raw);
  if (index) return index[1];
  return raw.replace(/^\./, "");
}

/** Classifies a parameter value that must be fully static or exactly one JSONPath. */
export function jsonPathForm(value: string): JsonPathForm {
  if (hasPlaceholder(value)) return { kind: "placeholder" };
  const trimmed = value.trim();
  if (SINGLE_PATH.test(trimmed)) {
    const names = (trimmed.slice(1).match(SEGMENTS) ?? []).map(segmentName);
    return { kind: "path", root: names[0], segments: names.slice(1) };
  }
  return trimmed.includes("$.") || trimmed.includes("$[") ? { kind: "malformed" } : { kind: "literal" };
}

/** True when the value is exactly one JSONPath reference (not a placeholder). */
export function isSingleJsonPath(value: string): boolean {
  return jsonPathForm(value).kind === "path";
}

export type RootCheck = { readonly ok: true } | { readonly ok: false; readonly reason: "unknown-root" | "no-leaf" };

/** Whether a reference names a leaf under a root the kit knows (Compare needs both). */
export function checkReferenceRoot(form: { readonly root: string; readonly segments: readonly string[] }): RootCheck {
  if ((CONTAINER_ROOTS as readonly string[]).includes(form.root)) {
    return form.segments.length > 0 ? { ok: true } : { ok: false, reason: "no-leaf" };
  }
  if ((VALUE_ROOTS as readonly string[]).includes(form.root)) return { ok: true };
  return { ok: false, reason: "unknown-root" };
}
