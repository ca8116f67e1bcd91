/**
 * Generates docs/configuration.md, the reference of every environment-file field, from the zod schema
 * in config/schema/:
 *
 *   npx tsx tools/config-reference.ts           write docs/configuration.md
 *   npx tsx tools/config-reference.ts --check   exit 1 when docs/configuration.md is not what the schema gives
 *
 * Types, defaults, allowed values, patterns and bounds come from the schema through zod's JSON Schema
 * conversion (`z.toJSONSchema`, input side, so defaults show and defaulted fields are optional).
 * Descriptions come from the schema's `.describe()` where a field has one, else from the field's TSDoc
 * comment in config/schema/*.ts, read with the TypeScript compiler API: the TSDoc stays the one place a
 * field is documented, for editors and for this reference alike. Checks the JSON Schema cannot express
 * (cross-field rules, model ids per region, CloudWatch retention values) are in the descriptions.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { z } from "zod";
import { EnvironmentConfig } from "../config/schema/environment";

const ROOT = path.join(__dirname, "..");
export const SCHEMA_DIR = path.join(ROOT, "config", "schema");
export const OUTPUT = path.join(ROOT, "docs", "configuration.md");

/** The JSON Schema keywords this generator reads. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

// ---------------------------------------------------------------------------------------------
// TSDoc from the schema sources

/** Field docs per object literal in the schema sources, keyed by the literal's sorted key set. */
export interface SourceDocs {
  /** "a,b,c" (sorted keys of a z.object/z.strictObject literal) -> key -> doc. */
  readonly objects: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

function cleanDoc(text: string): string {
  return text
    .replace(/\{@link\s+([^}\s|]+)(?:\s*\|\s*([^}]+))?\}/g, (_m, target: string, label?: string) => `\`${label ?? target}\``)
    .split("\n")
    .map((line) => line.trim())
    .join("\n")
    .replace(/\n(?=- )/g, "<br>")
    .replace(/\s*\n\s*/g, " ")
    .trim();
}

function jsDocOf(node: ts.Node): string | undefined {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  const last = docs?.[docs.length - 1];
  if (!last?.comment) return undefined;
  const comment = typeof last.comment === "string" ? last.comment : last.comment.map((part) => part.text).join("");
  return cleanDoc(comment) || undefined;
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** The identifier an expression chain starts from: `LogRetentionDays` for `LogRetentionDays.default(30)`. */
function rootIdentifier(expression: ts.Expression): string | undefined {
  let current: ts.Expression = expression;
  for (;;) {
    if (ts.isCallExpression(current)) current = current.expression;
    else if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else if (ts.isParenthesizedExpression(current)) current = current.expression;
    else break;
  }
  return ts.isIdentifier(current) ? current.text : undefined;
}

/** Reads every z.object/z.strictObject literal's field docs in the schema sources. */
export function readSourceDocs(dir = SCHEMA_DIR): SourceDocs {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => ts.createSourceFile(f, fs.readFileSync(path.join(dir, f), "utf8"), ts.ScriptTarget.ES2022, true));
  // Docs of exported schema constants (e.g. `/** ... */ export const Locale = ...`), a fallback for fields
  // that are just that constant.
  const constantDocs = new Map<string, string>();
  for (const file of files) {
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const doc = jsDocOf(statement);
      for (const declaration of statement.declarationList.declarations) {
        if (doc && ts.isIdentifier(declaration.name)) constantDocs.set(declaration.name.text, doc);
      }
    }
  }
  const objects = new Map<string, Map<string, string>>();
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ["object", "strictObject", "looseObject"].includes(node.expression.name.text)) {
      const literal = node.arguments[0];
      if (literal && ts.isObjectLiteralExpression(literal)) {
        const docs = new Map<string, string>();
        const keys: string[] = [];
        for (const property of literal.properties) {
          if (!ts.isPropertyAssignment(property)) continue;
          const key = propertyName(property.name);
          if (!key) continue;
          keys.push(key);
          const root = rootIdentifier(property.initializer);
          const doc = jsDocOf(property) ?? (root ? constantDocs.get(root) : undefined);
          if (doc) docs.set(key, doc);
        }
        const id = [...keys].sort().join(",");
        const known = objects.get(id);
        // Two literals with the same keys: keep every doc either gives.
        objects.set(id, known ? new Map([...docs, ...known]) : docs);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const file of files) visit(file);
  return { objects };
}

// ---------------------------------------------------------------------------------------------
// JSON Schema walk

export interface Row {
  /** Dotted field path: `[]` for array items, `<name>` for map keys. */
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly default?: unknown;
  readonly allowed: string;
  readonly description: string;
  /** For variants of a union: which variant (`type: "s3"`). */
  readonly when?: string;
}

const json = (value: unknown) => JSON.stringify(value);

function variantsOf(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.oneOf ?? schema.anyOf;
}

/** The property every object variant of a union fixes to a constant (the discriminator), if there is one. */
function discriminatorOf(variants: JsonSchema[]): string | undefined {
  const first = variants[0]?.properties;
  if (!first) return undefined;
  return Object.keys(first).find((key) => variants.every((v) => v.properties?.[key]?.const !== undefined));
}

function isRecord(schema: JsonSchema): boolean {
  return !schema.properties && typeof schema.additionalProperties === "object";
}

export function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return json(schema.const);
  if (schema.enum) return schema.enum.map(json).join(" \\| ");
  const variants = variantsOf(schema);
  if (variants) {
    const discriminator = discriminatorOf(variants);
    if (discriminator) return `object, one of by \`${discriminator}\``;
    return variants.map(typeOf).join(" \\| ");
  }
  if (schema.allOf?.length === 1) return typeOf(schema.allOf[0]);
  const type = Array.isArray(schema.type) ? schema.type.join(" \\| ") : schema.type;
  if (type === "array") {
    const item = schema.items ? typeOf(schema.items) : "any";
    return item.includes(" \\| ") ? `(${item})[]` : `${item}[]`;
  }
  if (type === "object" && isRecord(schema)) return `map of ${typeOf(schema.propertyNames ?? { type: "string" })} to ${typeOf(schema.additionalProperties as JsonSchema)}`;
  if (type === "string" && schema.format) return `string (${schema.format})`;
  return type ?? "any";
}

function range(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  if (min === undefined && max === undefined) return undefined;
  const units = (n: number | undefined) => (n === 1 && unit ? unit.replace(/s$/, "") : unit);
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${min}${units(min)}` : `${min}-${max}${unit}`;
  return min !== undefined ? `at least ${min}${units(min)}` : `at most ${max}${units(max)}`;
}

const code = (text: string) => `\`${text.replace(/\|/g, "\\|")}\``;

export function allowedOf(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.pattern) parts.push(`pattern ${code(schema.pattern)}`);
  const length = range(schema.minLength, schema.maxLength, " characters");
  if (length) parts.push(length);
  const items = range(schema.minItems, schema.maxItems, " items");
  if (items) parts.push(items);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.exclusiveMaximum !== undefined) parts.push(`< ${schema.exclusiveMaximum}`);
  const bounds = range(schema.minimum, schema.maximum, "");
  if (bounds) parts.push(bounds);
  if (schema.type === "array" && schema.items) {
    const inner = allowedOf(schema.items);
    if (inner && !schema.items.properties) parts.push(`each: ${inner}`);
  }
  return parts.join("; ");
}

/** Key sets that name one entry per locale or engine; identical entries are shown once. */
const PLACEHOLDERS: Readonly<Record<string, readonly string[]>> = {
  locale: ["en_US", "ja_JP"],
  engine: ["bedrock-bridge", "q-in-connect"],
};

/** The placeholder (`locale`, `engine`) when every property of `schema` is one such key with the same schema. */
function collapsedKeys(schema: JsonSchema): string | undefined {
  const keys = Object.keys(schema.properties ?? {}).sort();
  const placeholder = Object.entries(PLACEHOLDERS).find(([, names]) => names.join(",") === keys.join(","))?.[0];
  if (!placeholder) return undefined;
  const shapes = new Set(Object.values(schema.properties ?? {}).map((child) => JSON.stringify(child)));
  return shapes.size === 1 ? placeholder : undefined;
}

export class ReferenceBuilder {
  readonly rows: Row[] = [];

  constructor(private readonly docs: SourceDocs) {}

  private docFor(parent: JsonSchema, key: string): string | undefined {
    const id = Object.keys(parent.properties ?? {})
      .sort()
      .join(",");
    return this.docs.objects.get(id)?.get(key);
  }

  /** Adds rows for every property of an object schema under `prefix`. */
  walkObject(schema: JsonSchema, prefix: string, when?: string, skip?: string): void {
    const collapsed = collapsedKeys(schema);
    if (collapsed) {
      const [key, child] = Object.entries(schema.properties ?? {})[0];
      const fieldPath = `${prefix ? `${prefix}.` : ""}<${collapsed}>`;
      const doc = child.description ?? this.docFor(schema, key) ?? "";
      const one = `one per ${collapsed}: ${Object.keys(schema.properties ?? {}).map((k) => `\`${k}\``).join(", ")}`;
      this.field(child, fieldPath, false, doc ? `${doc} (${one})` : one, when);
      return;
    }
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      if (key === skip) continue;
      const fieldPath = prefix ? `${prefix}.${key}` : key;
      const description = child.description ?? this.docFor(schema, key) ?? "";
      this.field(child, fieldPath, (schema.required ?? []).includes(key), description, when);
    }
  }

  private field(schema: JsonSchema, fieldPath: string, required: boolean, description: string, when?: string): void {
    this.rows.push({ path: fieldPath, type: typeOf(schema), required, default: schema.default, allowed: allowedOf(schema), description, when });
    this.children(schema, fieldPath, when);
  }

  private children(schema: JsonSchema, fieldPath: string, when?: string): void {
    const variants = variantsOf(schema);
    if (variants) {
      const discriminator = discriminatorOf(variants);
      if (discriminator) {
        this.rows.push({
          path: `${fieldPath}.${discriminator}`,
          type: variants.map((v) => json(v.properties?.[discriminator]?.const)).join(" \\| "),
          required: true,
          allowed: "",
          description: "selects the variant; the fields below say which variant has them",
          when,
        });
        for (const variant of variants) {
          const label = `${discriminator}: ${json(variant.properties?.[discriminator]?.const)}`;
          this.walkObject(variant, fieldPath, label, discriminator);
        }
      } else {
        variants.filter((v) => v.properties).forEach((v) => this.walkObject(v, fieldPath, when));
      }
      return;
    }
    if (schema.properties) this.walkObject(schema, fieldPath, when);
    else if (isRecord(schema)) this.children(schema.additionalProperties as JsonSchema, `${fieldPath}.<name>`, when);
    else if (schema.type === "array" && schema.items) {
      if (schema.items.properties || variantsOf(schema.items)) this.children(schema.items, `${fieldPath}[]`, when);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** The JSON Schema (input side) of the environment schema; custom checks (model ids) show as strings. */
export function environmentJsonSchema(): JsonSchema {
  return z.toJSONSchema(EnvironmentConfig, {
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "custom" && Object.keys(ctx.jsonSchema).every((k) => k === "description")) ctx.jsonSchema.type = "string";
    },
  }) as JsonSchema;
}

function defaultText(row: Row): string {
  if (row.default !== undefined) {
    const text = json(row.default);
    if (text.length <= 40) return code(text);
    return "see the fields below";
  }
  return row.required ? "required" : "";
}

function cell(text: string): string {
  return text.replace(/\n/g, " ").replace(/\|(?![^`]*`)/g, "\\|");
}

function table(rows: readonly Row[]): string[] {
  const lines = ["| Field | Type | Default | Allowed | Description |", "|---|---|---|---|---|"];
  for (const row of rows) {
    const when = row.when ? `*${row.when.replace(/"/g, "")}:* ` : "";
    lines.push(`| ${code(row.path)} | ${row.type} | ${defaultText(row)} | ${row.allowed} | ${cell(when + row.description)} |`);
  }
  return lines;
}

/** The whole reference as Markdown. */
export function renderReference(schema = environmentJsonSchema(), docs = readSourceDocs()): string {
  const builder = new ReferenceBuilder(docs);
  builder.walkObject(schema, "");
  const rows = builder.rows;
  const topLevel = Object.keys(schema.properties ?? {});
  const scalars = rows.filter((r) => topLevel.includes(r.path) && !rows.some((c) => c.path.startsWith(`${r.path}.`) || c.path.startsWith(`${r.path}[]`)));
  const sections = topLevel.filter((key) => !scalars.some((s) => s.path === key));
  const undocumented = rows.filter((r) => !r.description).length;
  const out = [
    "# Configuration reference",
    "",
    "<!-- Generated by tools/config-reference.ts from config/schema/: do not edit by hand. -->",
    "",
    "Every environment file in `config/environments/` (`<name>.ts` calling `defineEnvironment({...})`, or",
    "`<name>.json`) is validated against this schema before anything is synthesized. This page is generated",
    "from the schema (`npx tsx tools/config-reference.ts`; `--check` fails when it is stale), so it lists",
    "exactly what validation accepts: a field path per row (`[]` marks array items, `<name>` a map key),",
    "its type, its default (`required` when it has none and must be given; empty when it is optional),",
    "bounds and patterns, and its description. Rules that span fields (a section required by the engines",
    "in use, model ids callable in the region, CloudWatch Logs retention periods) are checked too; the",
    "descriptions mention them.",
    "",
    "## Top-level fields",
    "",
    ...table(scalars),
    "",
  ];
  for (const key of sections) {
    const own = rows.find((r) => r.path === key)!;
    out.push(`## \`${key}\``, "");
    if (own.description) out.push(cell(own.description), "");
    out.push(...table(rows.filter((r) => r.path === key || r.path.startsWith(`${key}.`) || r.path.startsWith(`${key}[]`))), "");
  }
  out.push(`<!-- ${rows.length} fields, ${undocumented} without a description. -->`, "");
  return out.join("\n");
}

/** Writes the reference, or with `check` compares it; returns the exit code. */
export function run(argv: readonly string[], output = OUTPUT): number {
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length) {
    console.error(`unknown argument(s): ${unknown.join(" ")}\nusage: npx tsx tools/config-reference.ts [--check]`);
    return 1;
  }
  const text = renderReference();
  const relative = path.relative(ROOT, output);
  if (argv.includes("--check")) {
    const current = fs.existsSync(output) ? fs.readFileSync(output, "utf8") : undefined;
    if (current === text) {
      console.log(`${relative} is up to date`);
      return 0;
    }
    console.error(`${relative} is ${current === undefined ? "missing" : "stale"}: run "npx tsx tools/config-reference.ts" (npm run docs:config) and commit the result`);
    return 1;
  }
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, text);
  console.log(`wrote ${relative}`);
  return 0;
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
