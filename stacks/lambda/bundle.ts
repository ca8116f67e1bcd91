import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildSync, version as esbuildVersion } from "esbuild";
import { zipFiles } from "./zip";

/** Root of the Lambda sources: one folder per function with an `index.ts` exporting `handler`. */
export const FUNCTIONS_DIR = path.join(__dirname, "..", "..", "functions");

let bundles: Map<string, Buffer> | undefined;

/** Every function folder (a folder of functions/ with an index.ts). */
export function functionSources(): string[] {
  return fs
    .readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(FUNCTIONS_DIR, d.name, "index.ts")))
    .map((d) => d.name)
    .sort();
}

/** Hash of everything a bundle is built from: the function sources, the lock file and esbuild's version. */
function sourcesKey(names: readonly string[]): string {
  const hash = crypto.createHash("sha256").update(esbuildVersion).update(names.join(","));
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts")) hash.update(path.relative(FUNCTIONS_DIR, full)).update(fs.readFileSync(full));
    }
  };
  walk(FUNCTIONS_DIR);
  const lock = path.join(FUNCTIONS_DIR, "..", "package-lock.json");
  if (fs.existsSync(lock)) hash.update(fs.readFileSync(lock));
  return hash.digest("hex").slice(0, 32);
}

function readCache(dir: string, names: readonly string[]): Map<string, Buffer> | undefined {
  if (!names.every((n) => fs.existsSync(path.join(dir, `${n}.js`)))) return undefined;
  return new Map(names.map((n) => [n, fs.readFileSync(path.join(dir, `${n}.js`))]));
}

function writeCache(dir: string, built: Map<string, Buffer>): void {
  try {
    const staging = `${dir}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
    fs.mkdirSync(staging, { recursive: true });
    for (const [name, code] of built) fs.writeFileSync(path.join(staging, `${name}.js`), code);
    fs.renameSync(staging, dir);
  } catch {
    // Another process cached the same bundles first, or the cache is not writable: both are fine.
  }
}

/**
 * Bundles `functions/<name>/index.ts` with esbuild (Node 22, CommonJS, minified, AWS SDK v3 included so
 * the code runs with the client versions it was tested with). The first call bundles every function in
 * one esbuild run (entry points build in parallel) and keeps the result in
 * node_modules/.cache/contact-center-kit, keyed by the sources and the lock file, so unchanged code is
 * not rebuilt on the next synth.
 */
export function bundleFunction(name: string): Buffer {
  if (!bundles) {
    const names = functionSources();
    const cacheDir = path.join(FUNCTIONS_DIR, "..", "node_modules", ".cache", "contact-center-kit", `bundles-${sourcesKey(names)}`);
    bundles = readCache(cacheDir, names);
    if (!bundles) {
      const result = buildSync({
        entryPoints: Object.fromEntries(names.map((n) => [n, path.join(FUNCTIONS_DIR, n, "index.ts")])),
        bundle: true,
        platform: "node",
        target: "node22",
        format: "cjs",
        minify: true,
        legalComments: "none",
        write: false,
        logLevel: "silent",
        outdir: "/bundles",
      });
      bundles = new Map(result.outputFiles.map((f) => [path.basename(f.path, ".js"), Buffer.from(f.contents)]));
      writeCache(cacheDir, bundles);
    }
  }
  const code = bundles.get(name);
  if (!code) throw new Error(`no Lambda source for "${name}"; expected functions/${name}/index.ts`);
  return code;
}

/** A function's deployment package: a deterministic zip of the bundle (`index.js`) and extra files. */
export interface FunctionPackage {
  /** Path of the zip file (content-addressed, shared by every stack that deploys the same package). */
  readonly zipPath: string;
  /** base64 SHA-256 of the zip, as Terraform's `filebase64sha256` computes it. */
  readonly sha256: string;
  /** The files in the package, by name. */
  readonly files: Readonly<Record<string, Buffer>>;
}

const packages = new Map<string, FunctionPackage>();

/** Builds (once per content) the deployment package of `name` with `extraFiles` such as `settings.json`. */
export function buildPackage(name: string, extraFiles: Readonly<Record<string, string>> = {}): FunctionPackage {
  const files: Record<string, Buffer> = { "index.js": bundleFunction(name) };
  for (const [file, content] of Object.entries(extraFiles)) files[file] = Buffer.from(content);
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
