/**
 * Size and cold module-load time of each function's bundle as deployed (minified, ESM builds of
 * dependencies first, source map of the kit's code), against the same handler bundled unminified and
 * CommonJS-first (the baseline), measured in the same run. Also shown: the previous deployed form
 * (minified, CommonJS-first, no map) and what the source map costs.
 *
 *   npx tsx bench/functions.ts [--runs=9] [--no-write]
 *
 * Writes the tables to bench/results/functions.md unless --no-write is given.
 *
 * Load time: a fresh `node` process per sample requires the bundle and reports how long `require` took
 * (Node's own start-up excluded); the median of `runs` samples, variants interleaved so that machine
 * load affects them alike. "+maps" loads with --enable-source-maps, as the deployed functions run.
 * "map parse" is what Node does when it formats the first stack trace of a container: decode the map.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type BuildBundlesOptions, type BundleFiles, buildBundles, functionSources } from "../stacks/lambda/bundle";
import { zipFiles } from "../stacks/lambda/zip";

const runs = Number(process.argv.find((a) => a.startsWith("--runs="))?.split("=")[1] ?? 9);
const write = !process.argv.includes("--no-write");
const RESULTS = path.join(__dirname, "results", "functions.md");
/** Every table line, printed and kept for the results file. */
const report: string[] = [];
const print = (line: string) => {
  console.log(line);
  report.push(line);
};
const cacheRoot = path.join(os.tmpdir(), "contact-center-kit-bench-cache");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "cc-bench-functions-"));

const VARIANTS = {
  /** The baseline: unminified, dependencies' CommonJS builds first, no source map. */
  baseline: { overrides: { minify: false, mainFields: ["main", "module"], sourcemap: false } },
  /** The previous deployed form: minified, CommonJS first, no source map. */
  cjsFirst: { overrides: { mainFields: ["main", "module"], sourcemap: false } },
  /** As deployed (BUNDLE_OPTIONS): minified, ESM first, map of the kit's code. */
  deployed: {},
  /** As deployed, with esbuild's map of the whole bundle (no source text). */
  fullMap: { sourceMapSources: "all" },
  /** As deployed, with esbuild's map of the whole bundle and the sources' text. */
  fullMapWithSources: { sourceMapSources: "all", overrides: { sourcesContent: true } },
} satisfies Record<string, BuildBundlesOptions>;
type Variant = keyof typeof VARIANTS;

const names = functionSources();
const built = {} as Record<Variant, ReadonlyMap<string, BundleFiles>>;
const dirs = {} as Record<Variant, Map<string, string>>;
for (const [variant, options] of Object.entries(VARIANTS) as [Variant, BuildBundlesOptions][]) {
  built[variant] = buildBundles({ ...options, cacheRoot, names }).bundles;
  dirs[variant] = new Map();
  for (const name of names) {
    const dir = path.join(work, variant, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(built[variant].get(name)!)) fs.writeFileSync(path.join(dir, file), content);
    dirs[variant].set(name, dir);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function sample(args: string[], script: string): number {
  const result = spawnSync(process.execPath, [...args, "-e", script], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  const ms = Number(result.stdout.trim());
  if (result.status !== 0 || !Number.isFinite(ms)) throw new Error(`sample failed: ${result.stderr}`);
  return ms;
}

const requireScript = (dir: string) =>
  `const t=process.hrtime.bigint();require(${JSON.stringify(path.join(dir, "index.js"))});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
const mapParseScript = (dir: string) =>
  `const {SourceMap}=require("node:module");const fs=require("node:fs");const t=process.hrtime.bigint();const m=JSON.parse(fs.readFileSync(${JSON.stringify(path.join(dir, "index.js.map"))},"utf8"));new SourceMap({file:"index.js",sourceRoot:"",...m}).findEntry(0,0);process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;

const LOADS = {
  baseline: { variant: "baseline", args: [] },
  cjsFirst: { variant: "cjsFirst", args: [] },
  deployed: { variant: "deployed", args: [] },
  deployedMaps: { variant: "deployed", args: ["--enable-source-maps"] },
  fullMapMaps: { variant: "fullMap", args: ["--enable-source-maps"] },
} as const satisfies Record<string, { variant: Variant; args: string[] }>;
type Load = keyof typeof LOADS;

const loads = new Map<string, Record<Load | "parseKit" | "parseFull", number[]>>(
  names.map((n) => [n, { baseline: [], cjsFirst: [], deployed: [], deployedMaps: [], fullMapMaps: [], parseKit: [], parseFull: [] }]),
);
process.stderr.write(`measuring ${names.length} functions x ${Object.keys(LOADS).length + 2} cases x ${runs} runs `);
for (let run = 0; run < runs; run++) {
  for (const name of names) {
    const samples = loads.get(name)!;
    for (const [load, { variant, args }] of Object.entries(LOADS) as [Load, (typeof LOADS)[Load]][]) {
      samples[load].push(sample([...args], requireScript(dirs[variant].get(name)!)));
    }
    samples.parseKit.push(sample([], mapParseScript(dirs.deployed.get(name)!)));
    samples.parseFull.push(sample([], mapParseScript(dirs.fullMap.get(name)!)));
  }
  process.stderr.write(".");
}
process.stderr.write("\n");

const kb = (bytes: number) => (bytes / 1024).toFixed(0);
const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}x`;
const zipped = (files: BundleFiles) => zipFiles(files).length;
const js = (variant: Variant, name: string) => built[variant].get(name)!["index.js"].length;
const map = (variant: Variant, name: string) => built[variant].get(name)!["index.js.map"]?.length ?? 0;
const row = (cells: (string | number)[], widths: number[]) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" ");
const total = (f: (name: string) => number) => names.reduce((sum, n) => sum + f(n), 0);

print(`\nnode ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}; ${runs} runs per load time (median)`);

print("\nBundle size (KB): index.js, and the zipped package (index.js + index.js.map)");
let widths = [24, 9, 10, 9, 8, 9, 10, 9, 8];
print(row(["function", "baseline", "cjs-first", "deployed", "ratio", "zip base", "zip cjs-1", "zip dep.", "ratio"], widths));
for (const name of [...names, "total"]) {
  const f = (v: Variant) => (name === "total" ? total((n) => js(v, n)) : js(v, name));
  const z = (v: Variant) => (name === "total" ? total((n) => zipped(built[v].get(n)!)) : zipped(built[v].get(name)!));
  print(row([name, kb(f("baseline")), kb(f("cjsFirst")), kb(f("deployed")), ratio(f("deployed"), f("baseline")), kb(z("baseline")), kb(z("cjsFirst")), kb(z("deployed")), ratio(z("deployed"), z("baseline"))], widths));
}

print("\nCold module load (ms, require of the bundle in a fresh node process)");
widths = [24, 9, 10, 9, 8, 10, 14];
print(row(["function", "baseline", "cjs-first", "deployed", "ratio", "+maps", "+full map"], widths));
for (const name of names) {
  const s = loads.get(name)!;
  const m = (load: Load) => median(s[load]);
  print(row([name, m("baseline").toFixed(1), m("cjsFirst").toFixed(1), m("deployed").toFixed(1), ratio(m("deployed"), m("baseline")), m("deployedMaps").toFixed(1), m("fullMapMaps").toFixed(1)], widths));
}

print("\nSource map cost: map size (KB), zip growth over the same package without a map (KB), first-stack map parse (ms)");
widths = [24, 8, 9, 12, 8, 9, 12, 10, 11];
print(row(["function", "kit map", "full map", "+text map", "zip +kit", "zip +full", "zip +text", "parse kit", "parse full"], widths));
for (const name of names) {
  const withoutMap = zipped({ "index.js": built.deployed.get(name)!["index.js"] });
  const grow = (v: Variant) => kb(zipped(built[v].get(name)!) - withoutMap);
  const s = loads.get(name)!;
  print(
    row(
      [name, kb(map("deployed", name)), kb(map("fullMap", name)), kb(map("fullMapWithSources", name)), grow("deployed"), grow("fullMap"), grow("fullMapWithSources"), median(s.parseKit).toFixed(1), median(s.parseFull).toFixed(1)],
      widths,
    ),
  );
}
fs.rmSync(work, { recursive: true, force: true });

const sizeRatio = total((n) => js("deployed", n)) / total((n) => js("baseline", n));
const loadRatios = names.map((n) => median(loads.get(n)!.deployed) / median(loads.get(n)!.baseline));
console.log(
  `summary: functions: index.js ${kb(total((n) => js("deployed", n)))} KB in all vs ${kb(total((n) => js("baseline", n)))} KB baseline (${sizeRatio.toFixed(2)}x); ` +
    `cold load ${Math.min(...loadRatios).toFixed(2)}x-${Math.max(...loadRatios).toFixed(2)}x of the baseline`,
);
if (write) {
  const header = `# Function bundles (npm run bench:functions)\n\nGenerated on ${new Date().toISOString().slice(0, 10)}. Baseline: the same handler bundled unminified and CommonJS-first, measured in the same run.\n`;
  fs.writeFileSync(RESULTS, `${header}\n\`\`\`${report.join("\n")}\n\`\`\`\n`);
  console.log(`wrote ${path.relative(process.cwd(), RESULTS)}`);
}
