import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { type FunctionPackage, buildPackage } from "../../stacks/lambda/bundle";
import { type InvocationContext } from "../../functions/shared/invocation";
import { setLogSink } from "../../functions/shared/log";
import { setMetricsSink } from "../../functions/shared/metrics";

/**
 * Runs a handler from its built bundle: the zip that `buildPackage` makes for the stack, unpacked, its
 * index.js loaded by a fresh `node --enable-source-maps` process per invocation (a Lambda cold start),
 * so a bundling mistake (a dependency that does not survive esbuild, a missing file, settings.json not
 * found beside index.js) fails the same tests the sources pass.
 *
 * The child inherits the test's environment (endpoints, table, credentials). Bridge settings travel as
 * they do in production: the file BRIDGE_SETTINGS_PATH points at becomes settings.json in the package
 * and the child runs without the variable. The bundle's log and metric lines (stdout) are handed to the
 * sinks the test installed with setLogSink/setMetricsSink, so assertions on them work unchanged.
 */

/** Where a handler under test comes from. */
export type Target = "source" | "bundle";
export const TARGETS: readonly Target[] = ["source", "bundle"];

/** One entry of a zip, read through the central directory (as Lambda's unzip does). */
export interface ZipEntry {
  readonly data: Buffer;
  /** Unix mode from the external attributes, e.g. 0o100644. */
  readonly mode: number;
}

/** Reads a zip written by zipFiles (stored or deflated entries), checking every CRC. */
export function unzip(zip: Buffer): Record<string, ZipEntry> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip: no end of central directory");
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const files: Record<string, ZipEntry> = {};
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const method = zip.readUInt16LE(offset + 10);
    const size = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const mode = zip.readUInt32LE(offset + 38) >>> 16;
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + size);
    const data = method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
    if (zlib.crc32(data) !== zip.readUInt32LE(offset + 16)) throw new Error(`CRC mismatch in ${name}`);
    files[name] = { data, mode };
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return files;
}

/** Unpacks a package's zip into a folder of its own (once per content) and returns the folder. */
export function unpack(pkg: FunctionPackage, name: string): string {
  const hex = Buffer.from(pkg.sha256, "base64").toString("hex").slice(0, 24);
  const dir = path.join(os.tmpdir(), "contact-center-kit-bundle-runs", `${name}-${hex}`);
  if (fs.existsSync(dir)) return dir;
  const staging = `${dir}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
  fs.mkdirSync(staging, { recursive: true });
  for (const [file, { data }] of Object.entries(unzip(fs.readFileSync(pkg.zipPath)))) fs.writeFileSync(path.join(staging, file), data);
  try {
    fs.renameSync(staging, dir);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true }); // another worker unpacked the same package first
  }
  return dir;
}

/** The package the stack would deploy for `name` with the test's current bridge settings, unpacked. */
function currentPackage(name: string): { dir: string; packagedSettings: boolean } {
  const settingsPath = process.env.BRIDGE_SETTINGS_PATH;
  let settings: string | undefined;
  try {
    settings = settingsPath ? fs.readFileSync(settingsPath, "utf8") : undefined;
  } catch {
    settings = undefined; // unreadable on purpose: the child gets the same path and fails the same way
  }
  const pkg = buildPackage(name, settings === undefined ? {} : { "settings.json": settings });
  return { dir: unpack(pkg, name), packagedSettings: settings !== undefined };
}

/** Runs in the child: reads {event, deadline, requestId} from stdin, invokes the handler, writes the outcome to fd 3. */
const CHILD = `
const fs = require("node:fs");
const path = require("node:path");
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", async () => {
  const { event, deadline, requestId } = JSON.parse(input);
  let outcome;
  try {
    const { handler } = require(path.join(process.argv[1], "index.js"));
    const context = deadline === undefined ? undefined : { awsRequestId: requestId, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
    const result = await handler(event, context);
    outcome = result === undefined ? { ok: true, undefined: true } : { ok: true, result };
  } catch (error) {
    outcome = { ok: false, error: { name: error && error.name, message: error && error.message !== undefined ? error.message : String(error), stack: error && error.stack } };
  }
  fs.writeSync(3, JSON.stringify(outcome));
  // The invocation is over (Lambda would freeze the process now): exit once stdout is flushed.
  process.stdout.write("", () => process.exit(0));
});
`;

interface Outcome {
  ok: boolean;
  result?: unknown;
  undefined?: boolean;
  error?: { name?: string; message: string; stack?: string };
}

/** The sinks the test has installed right now (set and put back at once). */
function currentSinks(): { log: (line: string) => void; metrics: (line: string) => void } {
  const log = setLogSink(() => undefined);
  setLogSink(log);
  const metrics = setMetricsSink(() => undefined);
  setMetricsSink(metrics);
  return { log, metrics };
}

/** An error from the child, with the child's name, message and (source-mapped) stack. */
export class BundledHandlerError extends Error {
  constructor(name: string | undefined, message: string, stack: string | undefined) {
    super(message);
    this.name = name ?? "Error";
    if (stack) this.stack = stack;
  }
}

/**
 * Invokes the built bundle of `name` once in a fresh Node process. Resolves with the handler's result,
 * rejects with its error (same name and message).
 */
export async function invokeBundle(name: string, event: unknown, context?: InvocationContext): Promise<unknown> {
  const { dir, packagedSettings } = currentPackage(name);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (packagedSettings) delete env.BRIDGE_SETTINGS_PATH;
  const remaining = context?.getRemainingTimeInMillis?.();
  const input = JSON.stringify({ event, deadline: remaining === undefined ? undefined : Date.now() + remaining, requestId: context?.awsRequestId });
  const sinks = currentSinks();
  const child = spawn(process.execPath, ["--enable-source-maps", "-e", CHILD, dir], { env, stdio: ["pipe", "pipe", "pipe", "pipe"] });
  const killer = setTimeout(() => child.kill("SIGKILL"), Math.max(remaining ?? 0, 30_000) + 10_000);
  killer.unref();
  const stray: string[] = [];
  let stderr = "";
  let pending = "";
  const forward = (line: string) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      stray.push(line);
      return;
    }
    if (parsed && typeof parsed === "object" && "_aws" in parsed) sinks.metrics(line);
    else sinks.log(line);
  };
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    lines.forEach(forward);
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });
  let outcomeText = "";
  const resultPipe = child.stdio[3] as NodeJS.ReadableStream;
  resultPipe.setEncoding("utf8");
  resultPipe.on("data", (chunk: string) => {
    outcomeText += chunk;
  });
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  }).finally(() => clearTimeout(killer));
  forward(pending);
  if (!outcomeText) {
    throw new Error(`the bundle of ${name} ended (exit ${code}) without a result\nstderr:\n${stderr}\nstdout:\n${stray.join("\n")}`);
  }
  const outcome = JSON.parse(outcomeText) as Outcome;
  if (!outcome.ok) throw new BundledHandlerError(outcome.error?.name, outcome.error?.message ?? "", outcome.error?.stack);
  return outcome.undefined ? undefined : outcome.result;
}

/**
 * Time a test should add to deadlines that start before the handler runs (a turn's deadline, say): the
 * bundle target starts a Node process and loads the bundle first, which takes ~0.2 s, seconds on a busy
 * machine. Zero for the source target.
 */
export function coldStartAllowanceMs(target: Target): number {
  return target === "bundle" ? 10_000 : 0;
}

/** A function with the handler's signature that invokes the built bundle. */
export function bundledHandler<H extends (...args: never[]) => Promise<unknown>>(name: string): H {
  const invoke = (event: unknown, context?: InvocationContext) => invokeBundle(name, event, context);
  return invoke as unknown as H;
}

/** The handler under test: the imported source, or the same function's built bundle. */
export function handlerFor<H extends (...args: never[]) => Promise<unknown>>(target: Target, name: string, source: H): H {
  return target === "source" ? source : bundledHandler<H>(name);
}
