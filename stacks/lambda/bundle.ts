import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";

/** Root of the Lambda sources: one folder per function with an `index.ts` exporting `handler`. */
export const FUNCTIONS_DIR = path.join(__dirname, "..", "..", "functions");

const bundled = new Map<string, Buffer>();

/**
 * Bundles `functions/<name>/index.ts` with esbuild (Node 22, CommonJS, minified, AWS SDK v3 included so
 * the code runs with the client versions it was tested with). Cached per process: synthesizing several
 * environments bundles each function once.
 */
export function bundleFunction(name: string): Buffer {
  const cached = bundled.get(name);
  if (cached) return cached;
  const entry = path.join(FUNCTIONS_DIR, name, "index.ts");
  if (!fs.existsSync(entry)) throw new Error(`no Lambda source at ${entry}; expected functions/${name}/index.ts`);
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
    outfile: "index.js",
  });
  const code = Buffer.from(result.outputFiles[0].contents);
  bundled.set(name, code);
  return code;
}

/**
 * Writes a function package (the bundle as `index.js` plus extra files such as `settings.json`) into a
 * content-addressed folder, so identical packages share one folder and the asset hash only changes when
 * the code or its settings change.
 */
export function writePackage(name: string, extraFiles: Readonly<Record<string, string>> = {}): string {
  const code = bundleFunction(name);
  const files: [string, Buffer][] = [["index.js", code], ...Object.entries(extraFiles).map(([f, c]) => [f, Buffer.from(c)] as [string, Buffer])];
  files.sort(([a], [b]) => a.localeCompare(b));
  const hash = crypto.createHash("sha256");
  for (const [file, content] of files) hash.update(file).update("\0").update(content).update("\0");
  const dir = path.join(os.tmpdir(), "contact-center-kit-packages", `${name}-${hash.digest("hex").slice(0, 16)}`);
  if (!fs.existsSync(dir)) {
    // Write to a private folder first, then rename: parallel test workers may build the same package.
    const staging = `${dir}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
    fs.mkdirSync(staging, { recursive: true });
    for (const [file, content] of files) fs.writeFileSync(path.join(staging, file), content);
    try {
      fs.renameSync(staging, dir);
    } catch {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  return dir;
}
