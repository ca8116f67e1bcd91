/**
 * Dynamic references (reference §3): `$.Attributes.name`, `$.Attributes.['any name']`,
 * `$.Lex.SessionAttributes['x-amz-lex:...']`, `$.External.a.b`, `$.Views.ViewResultData.Rows.0.id`...
 *
 * Two rules (reference §3, "Two different parameter rules"):
 * - a value that is exactly one reference resolves to the referenced value (which may be a number, an
 *   object or an array, e.g. a JSON Lambda result);
 * - free text (`Text`, attribute values, view data strings) gets every embedded reference replaced by its
 *   text; a missing value becomes the empty string.
 * Every reference that resolves to nothing is remembered, so each step can report what it could not
 * resolve. Lookups are case-sensitive (reference §3: "Case must match").
 */

// A whole value that is one reference: dotted names may hold any character but `.`, `[`, `]`, quotes,
// `$` and white space (so `$.Lex.SessionAttributes.x-amz-lex:foo` is one reference).
const WHOLE_SEGMENT = String.raw`(?:\.[^.\[\]\s'"$]+|\.?\[\s*'[^']*'\s*\]|\.?\[\s*"[^"]*"\s*\]|\.?\[\d+\])`;
const WHOLE_REFERENCE = new RegExp(String.raw`^\$(${WHOLE_SEGMENT})+$`);
const WHOLE_SEGMENTS = new RegExp(WHOLE_SEGMENT, "g");

// Inside free text a dotted name is letters, digits, `_` and `-` only, so "Hello $.Attributes.name."
// ends the reference before the full stop; the first name must start with a letter (a root such as
// `Attributes`), so "costs $.50" is left alone.
const TEXT_SEGMENT = String.raw`(?:\.[A-Za-z0-9_-]+|\.?\[\s*'[^']*'\s*\]|\.?\[\s*"[^"]*"\s*\]|\.?\[\d+\])`;
const TEXT_REFERENCE = new RegExp(String.raw`\$\.[A-Za-z][A-Za-z0-9_]*${TEXT_SEGMENT}*`, "g");
const TEXT_SEGMENTS = new RegExp(TEXT_SEGMENT, "g");

function segmentName(raw: string): string {
  const quoted = /\[\s*(['"])(.*)\1\s*\]$/.exec(raw);
  if (quoted) return quoted[2];
  const index = /\[(\d+)\]$/.exec(raw);
  if (index) return index[1];
  return raw.replace(/^\./, "");
}

/** The path of a value that is exactly one reference (`["Attributes", "name"]`), else undefined. */
export function parseReference(value: string): readonly string[] | undefined {
  const trimmed = value.trim();
  if (!WHOLE_REFERENCE.test(trimmed)) return undefined;
  return (trimmed.slice(1).match(WHOLE_SEGMENTS) ?? []).map(segmentName);
}

export function isReference(value: unknown): value is string {
  return typeof value === "string" && parseReference(value) !== undefined;
}

export type Lookup = { readonly found: true; readonly value: unknown } | { readonly found: false };

/** Walks a path through nested objects and arrays (numeric segments index arrays). */
export function lookupPath(root: unknown, path: readonly string[]): Lookup {
  let current: unknown = root;
  for (const name of path) {
    if (Array.isArray(current) && /^\d+$/.test(name)) {
      const index = Number(name);
      if (index >= current.length) return { found: false };
      current = current[index];
    } else if (current !== null && typeof current === "object" && Object.prototype.hasOwnProperty.call(current, name)) {
      current = (current as Record<string, unknown>)[name];
    } else {
      return { found: false };
    }
    if (current === undefined) return { found: false };
  }
  return { found: true, value: current };
}

/** How a value appears inside text: strings as they are, objects as JSON, null/undefined as "". */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/**
 * Resolves references against one snapshot of the contact (`root` is the object `$` stands for).
 * Collects the references that did not resolve in `unresolved` (each once, in order of appearance).
 */
export class ReferenceResolver {
  readonly unresolved: string[] = [];

  constructor(private readonly root: Readonly<Record<string, unknown>>) {}

  private miss(reference: string): void {
    if (!this.unresolved.includes(reference)) this.unresolved.push(reference);
  }

  /** The value of one reference, or undefined (recorded as unresolved). */
  reference(reference: string): unknown {
    const path = parseReference(reference);
    if (!path) return undefined;
    const found = lookupPath(this.root, path);
    if (!found.found) {
      this.miss(reference.trim());
      return undefined;
    }
    return found.value;
  }

  /** Free text with every embedded reference replaced by its text ("" when missing). */
  text(value: string): string {
    return value.replace(TEXT_REFERENCE, (match) => {
      const path = (match.slice(1).match(TEXT_SEGMENTS) ?? []).map(segmentName);
      const found = lookupPath(this.root, path);
      if (!found.found) {
        this.miss(match);
        return "";
      }
      return toText(found.value);
    });
  }

  /**
   * A parameter value: a string that is exactly one reference becomes the referenced value (undefined
   * when missing); other strings are free text; objects and arrays are resolved recursively (keys that
   * are exactly one reference are resolved too: map keys may be dynamic, reference §4.3/§4.8).
   */
  value(value: unknown): unknown {
    if (typeof value === "string") {
      if (parseReference(value)) return this.reference(value);
      return value.includes("$") ? this.text(value) : value;
    }
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const resolvedKey = parseReference(key) ? toText(this.reference(key)) : key;
        out[resolvedKey] = this.value(item);
      }
      return out;
    }
    return value;
  }

  /** A parameter value as text: a single reference or free text, "" when missing. */
  textValue(value: unknown): string {
    return toText(this.value(value));
  }

  /** A map parameter (attributes, Lambda parameters, Lex session attributes) as strings. */
  stringMap(value: unknown): Record<string, string> {
    const resolved = this.value(value);
    const out: Record<string, string> = {};
    if (resolved === null || typeof resolved !== "object" || Array.isArray(resolved)) return out;
    for (const [key, item] of Object.entries(resolved)) out[key] = toText(item);
    return out;
  }
}
