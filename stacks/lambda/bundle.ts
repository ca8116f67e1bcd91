import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type BuildOptions, type Metafile, buildSync, version as esbuildVersion } from "esbuild";
import { zipFiles } from "./zip";

const ROOT = path.join(__dirname, "..", "..");

/** Root of the Lambda sources: one folder per function with an `index.ts` exporting `handler`. */
export const FUNCTIONS_DIR = path.join(ROOT, "functions");

/**
 * Where built bundles are cached between synths: `CONTACT_CENTER_BUNDLE_CACHE` if set (the synth benchmark
 * gives each measured run its own, so it never deletes the cache other processes are reading), else
 * node_modules/.cache/contact-center-kit.
 */
export const DEFAULT_CACHE_ROOT = process.env.CONTACT_CENTER_BUNDLE_CACHE || path.join(ROOT, "node_modules", ".cache", "contact-center-kit");

/** The handler file and its source map inside a package (the function's handler is `index.handler`). */
export const HANDLER_FILE = "index.js";
export const SOURCE_MAP_FILE = "index.js.map";

/**
 * The esbuild options of every deployed bundle. Part of the cache key, so changing one rebuilds.
 *
 * - Node.js 22 (the Lambda runtime), CommonJS output (`index.handler`), minified.
 * - `mainFields: module first`: dependencies' ESM builds, which esbuild can tree-shake (the AWS SDK's
 *   CommonJS builds are one file per package): about 45% less code and half the module load time.
 * - AWS SDK v3 bundled, not taken from the runtime, so the code runs with the client versions it was
 *   tested with.
 * - A source map beside the bundle (`index.js.map`, without the sources' text, covering the kit's code:
 *   see BuildBundlesOptions.sourceMapSources); the function runs with `--enable-source-maps`, so stack
 *   traces name the TypeScript files and lines.
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  mainFields: ["module", "main"],
  minify: true,
  legalComments: "none",
  sourcemap: "external",
  sourcesContent: false,
} as const satisfies BuildOptions;

/** A function's bundle: file name in the package -> content (`index.js`, and `index.js.map` when built with a map). */
export type BundleFiles = Readonly<Record<string, Buffer>>;

export interface BuildBundlesOptions {
  /** Folder of the bundle cache. @default node_modules/.cache/contact-center-kit */
  readonly cacheRoot?: string;
  /** Functions to bundle. @default every function folder */
  readonly names?: readonly string[];
  /**
   * Changes to BUNDLE_OPTIONS, for tests and benchmarks only: deployed packages always use BUNDLE_OPTIONS.
   * Output location, entry points and `write` are the bundler's own and cannot be overridden.
   */
  readonly overrides?: BuildOptions;
  /**
   * Sources the source map covers. Deployed maps cover the kit's code (`functions`, 7-40 KB): Node decodes
   * the map when a process formats its first stack trace, 85-210 ms for a map of the whole bundle
   * (0.5-1 MB) against 15-40 ms (bench/functions.ts); frames inside the AWS SDK keep their index.js
   * positions. `all` for tests and benchmarks.
   * @default "functions"
   */
  readonly sourceMapSources?: "functions" | "all";
}

export interface BundleSet {
  /** The cache key: a hash of everything that shapes the bundles. */
  readonly key: string;
  /** True when the bundles came from the cache instead of esbuild. */
  readonly fromCache: boolean;
  readonly bundles: ReadonlyMap<string, BundleFiles>;
  /** esbuild's metafile (inputs and their share of each bundle); absent only in caches of older kits. */
  readonly metafile?: Metafile;
}

/** Every function folder (a folder of functions/ with an index.ts). */
export function functionSources(): string[] {
  return fs
    .readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(FUNCTIONS_DIR, d.name, "index.ts")))
    .map((d) => d.name)
    .sort();
}

/** JSON with object keys sorted at every level, so equal options always serialize to equal text. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v === undefined ? null : v)).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  if (typeof value === "function" || typeof value === "symbol") throw new Error(`bundle options must be plain data, got a ${typeof value}`);
  return JSON.stringify(value);
}

/** Files of the bundler itself: a change to how bundles are built or packaged must not serve old bytes. */
function bundlerSources(): string[] {
  const own = ["bundle.ts", "zip.ts"].map((f) => path.join(__dirname, f));
  // Run from compiled JavaScript, the .ts files may be absent: hash the running files instead.
  return own.every((f) => fs.existsSync(f)) ? own : [__filename, path.join(__dirname, `zip${path.extname(__filename)}`)];
}

/**
 * Hash of everything that shapes the bundles: the bundle format, esbuild's version, the options (serialized
 * deterministically) and the functions built, the bundler's own source, every file under functions/ (any
 * extension: esbuild can load JSON, text and JavaScript too) and the lock file (which fixes node_modules).
 * A build also checks that esbuild read nothing else (see assertInputsCovered).
 */
function cacheKey(names: readonly string[], options: BuildOptions, sourceMapSources: string): string {
  const hash = crypto.createHash("sha256");
  const field = (label: string, content: string | Buffer) => hash.update(`${label}\0${content.length}\0`).update(content).update("\0");
  field("format", "contact-center-kit bundles v2");
  field("esbuild", esbuildVersion);
  field("options", stableStringify(options));
  field("source map sources", sourceMapSources);
  field("names", names.join(","));
  for (const file of bundlerSources()) field(`bundler:${path.basename(file)}`, fs.readFileSync(file));
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) field(`source:${path.relative(FUNCTIONS_DIR, full).split(path.sep).join("/")}`, fs.readFileSync(full));
    }
  };
  walk(FUNCTIONS_DIR);
  const lock = path.join(ROOT, "package-lock.json");
  field("lock", fs.existsSync(lock) ? fs.readFileSync(lock) : "");
  return hash.digest("hex").slice(0, 32);
}

/** The cache key buildBundles(options) uses, without building. */
export function bundleKey(options: Omit<BuildBundlesOptions, "cacheRoot"> = {}): string {
  return cacheKey(options.names ?? functionSources(), { ...BUNDLE_OPTIONS, ...options.overrides }, options.sourceMapSources ?? "functions");
}

/** Fails a build that read a file the cache key does not cover (anything outside functions/ and node_modules/). */
function assertInputsCovered(metafile: Metafile): void {
  const uncovered = Object.keys(metafile.inputs).filter((input) => {
    const relative = path.relative(ROOT, path.resolve(ROOT, input)).split(path.sep).join("/");
    return !relative.startsWith("functions/") && !/(^|\/)node_modules\//.test(relative);
  });
  if (uncovered.length) {
    throw new Error(`Lambda code may only import files under functions/ and packages; the bundle cache would not see changes to: ${uncovered.join(", ")}`);
  }
}

/** A version 3 source map as esbuild writes it. */
export interface RawSourceMap {
  version: number;
  sources: string[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) BASE64_VALUE[BASE64.charCodeAt(i)] = i;

function encodeValue(value: number): string {
  let rest = value < 0 ? -value * 2 + 1 : value * 2;
  let out = "";
  do {
    let digit = rest % 32;
    rest = Math.floor(rest / 32);
    if (rest > 0) digit |= 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

/**
 * A source map reduced to the sources `keep` accepts. Positions from other sources become unmapped (a
 * one-field segment, so the previous mapping does not stretch over them): a stack frame there shows the
 * bundle's own position. The names of the dropped mappings go too. One pass over the mappings.
 */
export function keepSources(map: RawSourceMap, keep: (source: string) => boolean): RawSourceMap {
  const newIndex = new Int32Array(map.sources.length).fill(-1);
  const sources: string[] = [];
  map.sources.forEach((source, i) => {
    if (keep(source)) {
      newIndex[i] = sources.length;
      sources.push(source);
    }
  });
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const text = map.mappings;
  const lines: string[] = [];
  let line: string[] = [];
  const fields = [0, 0, 0, 0, 0];
  let count = 0;
  let value = 0;
  let shift = 0;
  // The generated column restarts on each line; the other fields are deltas across the whole mapping.
  // Decoded (read) and written state are kept apart.
  let column = 0;
  let writtenColumn = 0;
  let unmapped = false;
  const read = { source: 0, line: 0, column: 0, name: 0 };
  const written = { source: 0, line: 0, column: 0, name: 0 };
  const endSegment = () => {
    if (count === 0) return;
    if (count !== 1 && count !== 4 && count !== 5) throw new Error(`invalid source map segment with ${count} fields`);
    column += fields[0];
    if (count >= 4) {
      read.source += fields[1];
      read.line += fields[2];
      read.column += fields[3];
    }
    if (count === 5) read.name += fields[4];
    const target = count >= 4 ? newIndex[read.source] : -1;
    if (target >= 0) {
      let segment = encodeValue(column - writtenColumn) + encodeValue(target - written.source) + encodeValue(read.line - written.line) + encodeValue(read.column - written.column);
      written.source = target;
      written.line = read.line;
      written.column = read.column;
      if (count === 5) {
        const name = map.names[read.name];
        let index = nameIndex.get(name);
        if (index === undefined) {
          index = names.length;
          names.push(name);
          nameIndex.set(name, index);
        }
        segment += encodeValue(index - written.name);
        written.name = index;
      }
      line.push(segment);
      unmapped = false;
      writtenColumn = column;
    } else if (!unmapped) {
      // Unmapped from here on; later dropped segments of the line need no marker of their own.
      line.push(encodeValue(column - writtenColumn));
      unmapped = true;
      writtenColumn = column;
    }
    count = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 44 /* , */) {
      endSegment();
    } else if (code === 59 /* ; */) {
      endSegment();
      lines.push(line.join(","));
      line = [];
      column = 0;
      writtenColumn = 0;
      unmapped = false;
    } else {
      const digit = code < 128 ? BASE64_VALUE[code] : -1;
      if (digit < 0 || count === 5) throw new Error(`invalid source map mappings at ${i}`);
      value += (digit & 31) * 2 ** shift;
      if (digit & 32) shift += 5;
      else {
        fields[count++] = value % 2 ? -(value - 1) / 2 : value / 2;
        value = 0;
        shift = 0;
      }
    }
  }
  endSegment();
  lines.push(line.join(","));
  return { version: map.version, sources, names, mappings: lines.join(";") };
}

/** Which sources a deployed source map covers: the kit's code (see BuildBundlesOptions.sourceMapSources). */
const KIT_SOURCES = (source: string) => source.startsWith("functions/");

/**
 * The map esbuild writes lists sources relative to the output folder, here the project root, so the paths
 * are the same on every machine ("functions/shared/log.ts") and read well in a Lambda stack trace
 * (/var/task/functions/shared/log.ts:42:11).
 */
function finishSourceMap(name: string, content: Uint8Array, scope: "functions" | "all"): Buffer {
  const map = JSON.parse(Buffer.from(content).toString("utf8")) as RawSourceMap;
  const outside = map.sources.filter((s) => path.isAbsolute(s) || s.startsWith("../"));
  if (outside.length) throw new Error(`source map of ${name} has paths outside the project: ${outside.slice(0, 3).join(", ")}`);
  return Buffer.from(JSON.stringify(scope === "all" ? map : keepSources(map, KIT_SOURCES)));
}

/** esbuild's metafile of a cached build, beside the functions' folders. */
const METAFILE = "metafile.json";

function readCache(dir: string, names: readonly string[]): { bundles: Map<string, BundleFiles>; metafile?: Metafile } | undefined {
  const bundles = new Map<string, BundleFiles>();
  for (const name of names) {
    const folder = path.join(dir, name);
    if (!fs.existsSync(path.join(folder, HANDLER_FILE))) return undefined;
    bundles.set(name, Object.fromEntries(fs.readdirSync(folder).sort().map((file) => [file, fs.readFileSync(path.join(folder, file))])));
  }
  const metafile = path.join(dir, METAFILE);
  return { bundles, ...(fs.existsSync(metafile) ? { metafile: JSON.parse(fs.readFileSync(metafile, "utf8")) as Metafile } : {}) };
}

function writeCache(dir: string, built: ReadonlyMap<string, BundleFiles>, metafile: Metafile): void {
  try {
    const staging = `${dir}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
    for (const [name, files] of built) {
      fs.mkdirSync(path.join(staging, name), { recursive: true });
      for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(staging, name, file), content);
    }
    fs.writeFileSync(path.join(staging, METAFILE), JSON.stringify(metafile));
    fs.renameSync(staging, dir);
  } catch {
    // Another process cached the same bundles first, or the cache is not writable: both are fine.
  }
}

/**
 * Bundles `functions/<name>/index.ts` for each function in one esbuild run (entry points build in
 * parallel), or reads the bundles from the cache when nothing that shapes them changed.
 */
export function buildBundles(options: BuildBundlesOptions = {}): BundleSet {
  const names = options.names ?? functionSources();
  const buildOptions: BuildOptions = { ...BUNDLE_OPTIONS, ...options.overrides };
  const sourceMapSources = options.sourceMapSources ?? "functions";
  const key = bundleKey(options);
  const cacheDir = path.join(options.cacheRoot ?? DEFAULT_CACHE_ROOT, `bundles-${key}`);
  const cached = readCache(cacheDir, names);
  if (cached) return { key, fromCache: true, ...cached };
  const result = buildSync({
    ...buildOptions,
    entryPoints: Object.fromEntries(names.map((n) => [n, path.join(FUNCTIONS_DIR, n, "index.ts")])),
    // Never written (write: false): the output folder makes the map's source paths project-relative, the
    // working folder the metafile's paths (and an unminified bundle's path comments).
    outdir: ROOT,
    absWorkingDir: ROOT,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  assertInputsCovered(result.metafile);
  const bundles = new Map<string, BundleFiles>();
  for (const name of names) {
    const code = result.outputFiles.find((f) => f.path === path.join(ROOT, `${name}.js`));
    if (!code) throw new Error(`esbuild wrote no bundle for ${name}`);
    const map = result.outputFiles.find((f) => f.path === path.join(ROOT, `${name}.js.map`));
    if (!map) {
      bundles.set(name, { [HANDLER_FILE]: Buffer.from(code.contents) });
      continue;
    }
    // The comment names the map as it is called in the package (esbuild's, if any, names it after the entry).
    const text = Buffer.from(code.contents).toString("utf8").replace(/\/\/# sourceMappingURL=\S+\s*$/, "");
    const js = Buffer.from(`${text.endsWith("\n") ? text : `${text}\n`}//# sourceMappingURL=${SOURCE_MAP_FILE}\n`);
    bundles.set(name, { [HANDLER_FILE]: js, [SOURCE_MAP_FILE]: finishSourceMap(name, map.contents, sourceMapSources) });
  }
  writeCache(cacheDir, bundles, result.metafile);
  return { key, fromCache: false, bundles, metafile: result.metafile };
}

let deployed: ReadonlyMap<string, BundleFiles> | undefined;

/**
 * The bundle of `name` as deployed (BUNDLE_OPTIONS). The first call bundles every function (or reads
 * them from node_modules/.cache/contact-center-kit) and keeps them for the rest of the process.
 */
export function bundleFunction(name: string): BundleFiles {
  deployed ??= buildBundles().bundles;
  const files = deployed.get(name);
  if (!files) throw new Error(`no Lambda source for "${name}"; expected functions/${name}/index.ts`);
  return files;
}

/** A function's deployment package: a deterministic zip of the bundle (`index.js`, `index.js.map`) and extra files. */
export interface FunctionPackage {
  /** Path of the zip file (content-addressed, shared by every stack that deploys the same package). */
  readonly zipPath: string;
  /** base64 SHA-256 of the zip, as Terraform's `filebase64sha256` computes it. */
  readonly sha256: string;
  /** The files in the package, by name. */
  readonly files: Readonly<Record<string, Buffer>>;
}

const packages = new Map<string, FunctionPackage>();

/**
 * Builds (once per content) the deployment package of `name` with `extraFiles` such as `settings.json`.
 * `bundleOptions` is for tests and benchmarks: a package built from other bundle options (into another
 * cache) to compare with the deployed one.
 */
export function buildPackage(name: string, extraFiles: Readonly<Record<string, string>> = {}, bundleOptions?: BuildBundlesOptions): FunctionPackage {
  let bundle: BundleFiles | undefined;
  if (bundleOptions) bundle = buildBundles({ ...bundleOptions, names: [name] }).bundles.get(name);
  else bundle = bundleFunction(name);
  if (!bundle) throw new Error(`no Lambda source for "${name}"; expected functions/${name}/index.ts`);
  const files: Record<string, Buffer> = { ...bundle };
  for (const [file, content] of Object.entries(extraFiles)) {
    if (file in bundle) throw new Error(`extra file ${file} of ${name} would replace the bundle's own file`);
    files[file] = Buffer.from(content);
  }
  const contentKey = crypto.createHash("sha256");
  for (const file of Object.keys(files).sort()) contentKey.update(file).update("\0").update(files[file]).update("\0");
  const key = `${name}:${contentKey.digest("hex")}`;
  const cached = packages.get(key);
  if (cached) return cached;
  const zip = zipFiles(files);
  const sha256 = crypto.createHash("sha256").update(zip).digest("base64");
  const hex = Buffer.from(sha256, "base64").toString("hex").slice(0, 24);
  const zipPath = path.join(os.tmpdir(), "contact-center-kit-packages", `${name}-${hex}.zip`);
  if (!fs.existsSync(zipPath)) {
    fs.mkdirSync(path.dirname(zipPath), { recursive: true });
    // Write then rename: parallel test workers may build the same package.
    const staging = `${zipPath}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
    fs.writeFileSync(staging, zip);
    fs.renameSync(staging, zipPath);
  }
  const built = { zipPath, sha256, files };
  packages.set(key, built);
  return built;
}
