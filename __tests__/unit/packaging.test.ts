import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import { SourceMap } from "node:module";
import * as path from "node:path";
import {
  BUNDLE_OPTIONS,
  buildBundles,
  buildPackage,
  bundleFunction,
  bundleKey,
  FUNCTIONS_DIR,
  functionSources,
  keepSources,
  type RawSourceMap,
  stableStringify,
} from "../../stacks/lambda/bundle";
import { zipFiles } from "../../stacks/lambda/zip";
import { setLogSink } from "../../functions/shared/log";
import { setMetricsSink } from "../../functions/shared/metrics";
import { invokeBundle, unpack, unzip } from "../support/built-bundle";
import { defaultEnvironment, resourcesOfType, synthEnvironment } from "../support/synth";

const ROOT = path.join(FUNCTIONS_DIR, "..");

const tempCaches: string[] = [];
afterAll(() => {
  for (const dir of tempCaches) fs.rmSync(dir, { recursive: true, force: true });
});

function tempCache(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cck-bundle-cache-"));
  tempCaches.push(dir);
  return dir;
}

/** What Node's source-map support finds for a position of the bundle (`name` is there, untyped in @types/node 20). */
interface Entry {
  originalSource?: string;
  originalLine?: number;
  originalColumn?: number;
  name?: string;
}

/** Looks up positions the way `node --enable-source-maps` does. */
function lookup(map: RawSourceMap): (line: number, column: number) => Entry {
  const sourceMap = new SourceMap({ file: "index.js", sourceRoot: "", ...map, sourcesContent: [] });
  return (line, column) => sourceMap.findEntry(line, column) as Entry;
}

/** 1-based line of the first line of `file` (under the project root) that contains `text`. */
function lineOf(file: string, text: string): number {
  const index = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n").findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${text} not found in ${file}`);
  return index + 1;
}

describe("function packages", () => {
  test("zips are deterministic and readable: same files, same bytes; entries sorted, mode 0644", () => {
    const files = { "settings.json": Buffer.from('{"a":1}'), "index.js": Buffer.from("exports.handler = async () => 1;\n".repeat(50)) };
    const first = zipFiles(files);
    expect(zipFiles({ "index.js": files["index.js"], "settings.json": files["settings.json"] }).equals(first)).toBe(true);
    const read = unzip(first);
    expect(Object.keys(read)).toEqual(["index.js", "settings.json"]);
    expect(read["index.js"].data.equals(files["index.js"])).toBe(true);
    expect(read["settings.json"].mode).toBe(0o100644);
    expect(first.length).toBeLessThan(files["index.js"].length);
  });

  test("a package holds the bundled handler, its source map and the extra files; its hash is the zip's base64 SHA-256", () => {
    const pkg = buildPackage("answer-poller", { "settings.json": '{"version":1}' });
    const zip = fs.readFileSync(pkg.zipPath);
    expect(crypto.createHash("sha256").update(zip).digest("base64")).toBe(pkg.sha256);
    const files = unzip(zip);
    expect(Object.keys(files)).toEqual(["index.js", "index.js.map", "settings.json"]);
    expect(files["index.js"].data.toString("utf8")).toMatch(/exports|module\.exports/);
    expect(buildPackage("answer-poller", { "settings.json": '{"version":1}' }).zipPath).toBe(pkg.zipPath);
    expect(buildPackage("answer-poller", { "settings.json": '{"version":2}' }).sha256).not.toBe(pkg.sha256);
    expect(() => buildPackage("answer-poller", { "index.js.map": "{}" })).toThrow(/would replace the bundle's own file/);
  });

  test("a bundled handler loads and exports handler (the AWS SDK is bundled, nothing resolved at run time)", () => {
    const dir = unpack(buildPackage("qconnect-session"), "qconnect-session");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the built artifact is the point
    expect(typeof require(path.join(dir, "index.js")).handler).toBe("function");
  });

  test("every function folder is bundled, and no function imports kit code outside functions/ at run time", () => {
    expect(functionSources()).toEqual([
      "answer-poller",
      "assistant-default-agent",
      "bedrock-worker",
      "chat-message-streaming",
      "connect-integration",
      "lex-fulfillment",
      "phone-number-flow",
      "qconnect-session",
    ]);
    // The bundle cache is keyed by the files under functions/: a value import from elsewhere would go stale.
    // (Each build also checks esbuild's list of inputs; this names the offending import early.)
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith(".ts")) {
          for (const match of fs.readFileSync(full, "utf8").matchAll(/^import (?!type )[^;]*from "(\.\.\/[^"]+)"/gm)) {
            if (!path.resolve(path.dirname(full), match[1]).startsWith(FUNCTIONS_DIR)) offenders.push(`${full}: ${match[1]}`);
          }
        }
      }
    };
    walk(FUNCTIONS_DIR);
    expect(offenders).toEqual([]);
  });
});

describe("bundle cache and reproducibility", () => {
  test("the same inputs give byte-identical bundles and packages, from a fresh cache or the cache", () => {
    const cacheRoot = tempCache();
    const fresh = buildBundles({ cacheRoot, names: ["answer-poller"] });
    expect(fresh.fromCache).toBe(false);
    const a = fresh.bundles.get("answer-poller")!;
    expect(Object.keys(a)).toEqual(["index.js", "index.js.map"]);
    // Another esbuild run (all functions at once, in this process or an earlier one) gives the same bytes.
    const deployed = bundleFunction("answer-poller");
    for (const file of Object.keys(a)) expect(deployed[file].equals(a[file])).toBe(true);
    // The cache serves exactly what was built.
    const cached = buildBundles({ cacheRoot, names: ["answer-poller"] });
    expect(cached.fromCache).toBe(true);
    expect(cached.key).toBe(fresh.key);
    for (const file of Object.keys(a)) expect(cached.bundles.get("answer-poller")![file].equals(a[file])).toBe(true);
    const fromFresh = buildPackage("answer-poller", { "settings.json": "{}" }, { cacheRoot });
    const fromDeployed = buildPackage("answer-poller", { "settings.json": "{}" });
    expect(fromFresh.sha256).toBe(fromDeployed.sha256);
    expect(fs.readFileSync(fromFresh.zipPath).equals(fs.readFileSync(fromDeployed.zipPath))).toBe(true);
  });

  test("a changed build option is a cache miss with different bytes, never the old bundle", () => {
    const cacheRoot = tempCache();
    const name = "qconnect-session";
    const deployed = buildBundles({ cacheRoot, names: [name] });
    // CommonJS builds first: what this kit bundled before, which an options-blind cache kept serving.
    const mainFirst = buildBundles({ cacheRoot, names: [name], overrides: { mainFields: ["main", "module"] } });
    expect(mainFirst.fromCache).toBe(false);
    expect(mainFirst.key).not.toBe(deployed.key);
    const code = (set: typeof deployed) => set.bundles.get(name)!["index.js"];
    expect(code(mainFirst).equals(code(deployed))).toBe(false);
    expect(code(mainFirst).length).toBeGreaterThan(code(deployed).length);
    // So is the package built from it.
    expect(buildPackage(name, {}, { cacheRoot, overrides: { mainFields: ["main", "module"] } }).sha256).not.toBe(buildPackage(name).sha256);
    // Going back to the deployed options finds the first build in the cache.
    const again = buildBundles({ cacheRoot, names: [name] });
    expect(again.fromCache).toBe(true);
    expect(code(again).equals(code(deployed))).toBe(true);
    // The key covers every option, not only the ones changed above.
    expect(bundleKey({ names: [name] })).toBe(deployed.key);
    const keys = new Set([deployed.key, mainFirst.key, bundleKey({ names: [name], sourceMapSources: "all" })]);
    for (const overrides of [{ minify: false }, { target: "node20" }, { sourcesContent: true }, { define: { DEBUG: "true" } }, { mainFields: ["module", "main"] }]) {
      keys.add(bundleKey({ names: [name], overrides }));
    }
    // Restating a deployed option changes nothing; every other change is a new key.
    expect(keys.size).toBe(7);
  });

  test("options are serialized deterministically: key order does not matter, values do", () => {
    expect(stableStringify({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: "x" } })).toBe('{"a":{"c":"x","d":[1,{"e":3,"f":2}]},"b":1}');
    expect(stableStringify({ a: 1, b: undefined })).toBe(stableStringify({ a: 1 }));
    expect(stableStringify({ mainFields: ["module", "main"] })).not.toBe(stableStringify({ mainFields: ["main", "module"] }));
    expect(() => stableStringify({ plugins: [{ setup: () => undefined }] })).toThrow(/plain data/);
  });

  test("bundles resolve ESM builds first and keep CommonJS output with index.handler", () => {
    expect(BUNDLE_OPTIONS).toMatchObject({ platform: "node", format: "cjs", mainFields: ["module", "main"], minify: true, target: "node22" });
    expect(bundleFunction("answer-poller")["index.js"].toString("utf8")).toMatch(/module\.exports=/);
    const inputs = Object.keys(buildBundles().metafile!.outputs["answer-poller.js"].inputs);
    // The SDK's ESM builds (dist-es), not its CommonJS builds (dist-cjs).
    expect(inputs.filter((input) => input.includes("/dist-es/")).length).toBeGreaterThan(50);
    expect(inputs.filter((input) => input.includes("/dist-cjs/"))).toEqual([]);
  });

  test("each bundle holds one copy of each package, except the copies client-qconnect 3.828.0 pins", () => {
    const { metafile } = buildBundles(); // the deployed bundles (from the cache: its metafile is kept)
    const duplicates: Record<string, string[]> = {};
    for (const [output, meta] of Object.entries(metafile!.outputs)) {
      if (!output.endsWith(".js")) continue;
      const locations = new Map<string, Set<string>>();
      for (const input of Object.keys(meta.inputs)) {
        const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
        if (match) locations.set(match[2], (locations.get(match[2]) ?? new Set()).add(match[1]));
      }
      const twice = [...locations].filter(([, where]) => where.size > 1).map(([name]) => name).sort();
      if (twice.length) duplicates[path.basename(output, ".js")] = twice;
    }
    // client-qconnect (3.828.0 is the newest the registry has) pins @aws-sdk/core 3.826.0 exactly; npm
    // installs that same version three times (beside the client and beside two of its pinned helpers).
    expect(duplicates).toEqual({
      "assistant-default-agent": ["@aws-sdk/core", "@aws-sdk/xml-builder"],
      "qconnect-session": ["@aws-sdk/core", "@aws-sdk/xml-builder"],
    });
  });
});

describe("source maps", () => {
  test("each bundle ships index.js.map: the kit's sources by project-relative path, no source text, named by index.js", () => {
    for (const name of functionSources()) {
      const files = bundleFunction(name);
      expect(files["index.js"].toString("utf8").endsWith("\n//# sourceMappingURL=index.js.map\n")).toBe(true);
      const map = JSON.parse(files["index.js.map"].toString("utf8")) as { version: number; sources: string[]; sourcesContent?: unknown; mappings: string };
      expect(map.version).toBe(3);
      expect(map.sourcesContent).toBeUndefined();
      expect(map.sources).toContain(`functions/${name}/index.ts`);
      for (const source of map.sources) {
        expect(source).toMatch(/^functions\//);
        expect(fs.existsSync(path.join(ROOT, source))).toBe(true);
      }
    }
  });

  test("the deployed map maps every position of the kit's code as the full map does, and nothing else", () => {
    const name = "qconnect-session";
    const full = buildBundles({ cacheRoot: tempCache(), names: [name], sourceMapSources: "all" }).bundles.get(name)!;
    const deployed = bundleFunction(name);
    expect(full["index.js"].equals(deployed["index.js"])).toBe(true);
    const fullMap = JSON.parse(full["index.js.map"].toString("utf8")) as RawSourceMap;
    expect(fullMap.sources.some((s) => s.startsWith("node_modules/"))).toBe(true);
    const fullLookup = lookup(fullMap);
    const deployedLookup = lookup(JSON.parse(deployed["index.js.map"].toString("utf8")) as RawSourceMap);
    let own = 0;
    let other = 0;
    deployed["index.js"]
      .toString("utf8")
      .split("\n")
      .forEach((text, line) => {
        for (let column = 0; column < text.length; column++) {
          const expected = fullLookup(line, column);
          const actual = deployedLookup(line, column);
          if (expected.originalSource?.startsWith("functions/")) {
            own += 1;
            if (actual.originalSource !== expected.originalSource || actual.originalLine !== expected.originalLine || actual.originalColumn !== expected.originalColumn || actual.name !== expected.name) {
              throw new Error(`${line}:${column} maps to ${JSON.stringify(actual)}, the full map says ${JSON.stringify(expected)}`);
            }
          } else {
            other += 1;
            if (actual.originalSource !== undefined) throw new Error(`${line}:${column} maps to ${actual.originalSource}, outside the kit's code`);
          }
        }
      });
    expect(own).toBeGreaterThan(1_000);
    expect(other).toBeGreaterThan(own);
    // A tenth of the full map or less.
    expect(deployed["index.js.map"].length * 10).toBeLessThan(full["index.js.map"].length);
  });

  test("keepSources: dropped positions become unmapped, deltas and names are re-based", () => {
    // Segments: col 0 -> a.ts 0:0 "x"; col 5 -> b.js 3:1; col 9 -> a.ts 1:2 "y"; next line: col 0 -> b.js 1:2; col 4 -> a.ts 2:0.
    const map: RawSourceMap = { version: 3, sources: ["functions/a.ts", "node_modules/b.js"], names: ["x", "z", "y"], mappings: "AAAAA,KCGC,IDFCE;ACAA,IDCF" };
    const kept = keepSources(map, (s) => s.startsWith("functions/"));
    expect(kept.sources).toEqual(["functions/a.ts"]);
    expect(kept.names).toEqual(["x", "y"]);
    const find = lookup(kept);
    expect(find(0, 2)).toMatchObject({ originalSource: "functions/a.ts", originalLine: 0, originalColumn: 0, name: "x" });
    expect(find(0, 6).originalSource).toBeUndefined();
    expect(find(0, 9)).toMatchObject({ originalSource: "functions/a.ts", originalLine: 1, originalColumn: 2, name: "y" });
    expect(find(1, 0).originalSource).toBeUndefined();
    expect(find(1, 4)).toMatchObject({ originalSource: "functions/a.ts", originalLine: 2, originalColumn: 0 });
  });

  test("every synthesized function runs index.handler with source maps enabled", () => {
    const functions = Object.values(resourcesOfType(synthEnvironment(defaultEnvironment("dev")).json, "aws_lambda_function"));
    expect(functions.length).toBeGreaterThan(3);
    for (const fn of functions) {
      expect(fn.handler).toBe("index.handler");
      expect(fn.environment.variables.NODE_OPTIONS).toBe("--enable-source-maps");
    }
  });

  test("a built bundle under node --enable-source-maps reports TypeScript files and lines in stacks and error logs", async () => {
    const lines: Record<string, unknown>[] = [];
    const previous = setLogSink((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    const previousMetrics = setMetricsSink(() => undefined);
    const settingsPath = process.env.BRIDGE_SETTINGS_PATH;
    delete process.env.BRIDGE_SETTINGS_PATH;
    try {
      // A thrown error: the custom-resource handler rejects bad input.
      const thrown = await invokeBundle("assistant-default-agent", { tf: { action: "create" } }).catch((error: Error) => error);
      expect(thrown).toBeInstanceOf(Error);
      expect((thrown as Error).message).toMatch(/^assistant-default-agent: invalid input: /);
      const throwLine = lineOf("functions/shared/terraform-lifecycle.ts", "throw new Error(message)");
      expect((thrown as Error).stack).toContain(`functions/shared/terraform-lifecycle.ts:${throwLine}:`);
      // The caller's frame: the shared custom-resource handler every custom resource's `handler` is.
      expect((thrown as Error).stack).toMatch(/functions\/shared\/custom-resource\.ts:\d+:\d+/);

      // A logged error: the package has no settings.json, so the poller logs the SettingsError with its stack.
      const result = (await invokeBundle("answer-poller", { Details: { ContactData: { ContactId: "c" }, Parameters: {} } })) as { status: string; message: string };
      expect(result.status).toBe("FAILED");
      const logged = lines.find((line) => line.message === "bridge settings unavailable");
      expect(logged).toMatchObject({ level: "error", errorName: "SettingsError" });
      const settingsLine = lineOf("functions/shared/bridge-settings.ts", "throw new SettingsError(`cannot read bridge settings");
      expect(logged!.errorStack).toContain(`functions/shared/bridge-settings.ts:${settingsLine}:`);
      expect(logged!.errorStack).not.toMatch(/index\.js:\d+/);
      // The stack is for the log only, never in what the caller gets back.
      expect(JSON.stringify(result)).not.toMatch(/\.ts:\d+|at /);
    } finally {
      setLogSink(previous);
      setMetricsSink(previousMetrics);
      if (settingsPath !== undefined) process.env.BRIDGE_SETTINGS_PATH = settingsPath;
    }
  });
});
