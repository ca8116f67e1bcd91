import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";

/**
 * package.json's engines.node states the oldest Node.js the kit works on. Each release line it admits
 * must have the Node features the kit uses and satisfy the engines of every direct dependency (npm only
 * warns about those). .ci/run checks the running Node against the same range before anything else.
 */

const ROOT = path.join(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Node features the kit uses, with the releases that have them. */
const FEATURES: Record<string, string> = {
  // stacks/lambda/zip.ts: CRC-32 of zip entries (added in 22.2.0, backported to 20.15.0).
  "zlib.crc32": "^20.15.0 || >=22.2.0",
};

type Version = [number, number, number];

function parseVersion(text: string): Version {
  const parts = (text.match(/\d+/g) ?? []).map(Number);
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function comparators(alternative: string): { op: string; bound: Version }[] {
  return alternative
    .replace(/([<>=^~]+)\s+/g, "$1")
    .trim()
    .split(/\s+/)
    .map((comparator) => {
      const match = /^(\^|~|>=|>|<=|<|=)?v?(\d+(?:\.\d+){0,2})$/.exec(comparator);
      if (!match) throw new Error(`unsupported comparator in an engines range: ${comparator}`);
      return { op: match[1] ?? "=", bound: parseVersion(match[2]) };
    });
}

/** Whether `version` is in an npm engines range (||-separated sets of ^, ~, >=, >, <=, <, = comparators). */
function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  return range.split("||").some((alternative) =>
    comparators(alternative).every(({ op, bound }) => {
      const d = compare(v, bound);
      if (op === "^") return d >= 0 && v[0] === bound[0];
      if (op === "~") return d >= 0 && v[0] === bound[0] && v[1] === bound[1];
      if (op === ">=") return d >= 0;
      if (op === ">") return d > 0;
      if (op === "<=") return d <= 0;
      if (op === "<") return d < 0;
      return d === 0;
    }),
  );
}

/** The oldest release of each alternative of a range (its lower bound). */
function floors(range: string): string[] {
  return range.split("||").map((alternative) => {
    const lower = comparators(alternative).find(({ op }) => op === "^" || op === "~" || op === ">=" || op === "=");
    if (!lower) throw new Error(`no lower bound in "${alternative.trim()}"`);
    return lower.bound.join(".");
  });
}

describe("engines.node", () => {
  const range = pkg.engines.node;

  test("the range parser reads npm's forms", () => {
    expect(satisfies("20.19.0", "^20.19.0 || ^22.13.0 || >=24")).toBe(true);
    expect(satisfies("20.18.3", "^20.19.0 || ^22.13.0 || >=24")).toBe(false);
    expect(satisfies("21.7.0", "^20.19.0 || ^22.13.0 || >=24")).toBe(false);
    expect(satisfies("22.12.0", "^20.19.0 || ^22.13.0 || >=24")).toBe(false);
    expect(satisfies("25.1.0", "^20.19.0 || ^22.13.0 || >=24")).toBe(true);
    expect(satisfies("20.9.0", ">= 20.9.0")).toBe(true);
    expect(satisfies("18.0.0", ">=18")).toBe(true);
    expect(satisfies("20.15.1", "~20.15.0")).toBe(true);
    expect(floors("^20.19.0 || ^22.13.0 || >=24")).toEqual(["20.19.0", "22.13.0", "24.0.0"]);
  });

  test("the Node running the tests is in the range", () => {
    expect(satisfies(process.versions.node, range)).toBe(true);
  });

  test.each(Object.entries(FEATURES))("the oldest release of each line in the range has %s", (_feature, featureRange) => {
    for (const floor of floors(range)) expect({ floor, ok: satisfies(floor, featureRange) }).toEqual({ floor, ok: true });
    expect(typeof zlib.crc32).toBe("function");
  });

  test("the oldest release of each line in the range satisfies every direct dependency's engines", () => {
    const unmet: string[] = [];
    for (const dependency of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
      const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", dependency, "package.json"), "utf8")) as { engines?: { node?: string } };
      const needs = manifest.engines?.node;
      if (!needs) continue;
      for (const floor of floors(range)) if (!satisfies(floor, needs)) unmet.push(`${dependency} needs ${needs}, the range admits ${floor}`);
    }
    expect(unmet).toEqual([]);
  });

  test(".ci/run checks the running Node against engines.node before installing", () => {
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    const check = ci.indexOf('require("./package.json").engines.node');
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(ci.indexOf("npm ci"));
  });
});
