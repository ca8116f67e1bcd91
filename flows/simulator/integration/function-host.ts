/**
 * One Lambda function of the stack, run for real in a Node process of its own (a warm execution
 * environment): the package the stack deploys (the synthesized zip, unpacked, index.js loaded by
 * `node --enable-source-maps`, settings.json beside it), or the function's TypeScript source through tsx
 * with the packaged settings.json pointed at by BRIDGE_SETTINGS_PATH. The process's clocks are warped by
 * the simulation's time scale (time-scale.ts), and each invocation returns the log and metric lines the
 * handler wrote while it ran.
 *
 * Unlike Lambda, one host serves overlapping invocations concurrently (a worker still answering an
 * earlier turn while the next one starts), and the function's own timeout is reported to the handler
 * (getRemainingTimeInMillis) but not enforced: Connect's block limits are enforced by the caller.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { unzip } from "./loopback";
import type { StackFunction } from "./synthesized-stack";
import { STALL_SENTINEL_SOURCE } from "./stall-sentinel";
import { TIME_WARP_SOURCE, type Warp } from "./time-scale";

/** What runs: the deployed package, or the handler's source. */
export type HostTarget = "bundle" | "source";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** The host program: the stall sentinel (on real timers), the time warp, then the handler, then invocations over IPC. */
const HOST_SOURCE = `
${STALL_SENTINEL_SOURCE}
${TIME_WARP_SOURCE}
const { AsyncLocalStorage } = require("node:async_hooks");
const output = new AsyncLocalStorage();
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, encoding, callback) => {
  const lines = output.getStore();
  if (!lines) return write(chunk, encoding, callback);
  lines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
  const done = typeof encoding === "function" ? encoding : callback;
  if (typeof done === "function") done();
  return true;
};
const [entry, exportName, timeoutSeconds, functionName] = process.argv.slice(1);
let handler;
try {
  handler = require(entry)[exportName];
  if (typeof handler !== "function") throw new Error(entry + " exports no function " + exportName);
} catch (error) {
  handler = undefined;
  process.send({ type: "failed", message: String(error && error.stack || error) }, () => process.exit(1));
}
if (handler) process.on("message", (message) => {
  if (message.type === "warp") {
    globalThis.__simulatorWarp(message.warp);
    process.send({ type: "warped", id: message.id });
    return;
  }
  if (message.type === "stall") {
    process.send({ type: "stall", id: message.id, stallMs: globalThis.__stallSentinel() });
    return;
  }
  const { id, event, requestId } = message;
  const deadline = Date.now() + Number(timeoutSeconds) * 1000;
  const context = { awsRequestId: requestId, functionName, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
  const lines = [];
  output.run(lines, async () => {
    let reply;
    try {
      const result = await handler(event, context);
      reply = { type: "result", id, ok: true, result: result === undefined ? null : result };
    } catch (error) {
      reply = { type: "result", id, ok: false, error: { name: String(error && error.name || "Error"), message: String(error && error.message !== undefined ? error.message : error) } };
    }
    reply.output = lines.join("");
    process.send(reply);
  });
});
process.on("disconnect", () => process.exit(0));
if (handler) process.send({ type: "ready" });
`;

export interface HostInvocation {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string };
  /** Log and metric lines (JSON) the handler wrote during this invocation. */
  readonly lines: readonly string[];
  /** Real milliseconds the invocation took, as seen by the caller. */
  readonly realMs: number;
}

export interface HostOptions {
  readonly target: HostTarget;
  /** Environment variables besides the function's own (endpoints, credentials, the time warp). */
  readonly environment: Readonly<Record<string, string>>;
}

/** The folder under functions/ a package was built from (its zip is `<name>-<hash>.zip`). */
export function sourceFolderOf(fn: StackFunction): string {
  const base = path.basename(fn.zipPath).replace(/-[0-9a-f]{16,}\.zip$/, "");
  const entry = path.join(ROOT, "functions", base, "index.ts");
  if (!fs.existsSync(entry)) throw new Error(`no source for ${fn.functionName}: ${entry} does not exist`);
  return path.dirname(entry);
}

/** Unpacks the function's deployed zip once per content and returns the folder. */
function unpackDeployed(fn: StackFunction): string {
  const zip = fs.readFileSync(fn.zipPath);
  const hash = crypto.createHash("sha256").update(zip).digest("hex").slice(0, 24);
  const dir = path.join(os.tmpdir(), "contact-center-kit-simulator", `${path.basename(fn.zipPath, ".zip")}-${hash}`);
  if (fs.existsSync(dir)) return dir;
  const staging = `${dir}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
  fs.mkdirSync(staging, { recursive: true });
  for (const [file, { data }] of Object.entries(unzip(zip))) fs.writeFileSync(path.join(staging, file), data);
  try {
    fs.renameSync(staging, dir);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true }); // unpacked by another process first
  }
  return dir;
}

export class FunctionHost {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (reply: Record<string, unknown>) => void; started: number }>();
  private stderrText = "";
  private exited = false;
  /** Lines written outside any invocation (module load, stray timers). */
  readonly strayLines: string[] = [];

  private constructor(
    readonly fn: StackFunction,
    readonly target: HostTarget,
    private readonly child: ChildProcess,
  ) {
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      this.stderrText = (this.stderrText + chunk).slice(-20_000);
    });
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => this.strayLines.push(...chunk.split("\n").filter((line) => line.trim())));
    child.on("message", (message: Record<string, unknown>) => {
      if (message.type !== "result" && message.type !== "warped" && message.type !== "stall") return;
      const waiter = this.pending.get(Number(message.id));
      if (!waiter) return;
      this.pending.delete(Number(message.id));
      waiter.resolve(message);
    });
    child.on("exit", (code, signal) => {
      this.exited = true;
      for (const [id, waiter] of this.pending) {
        this.pending.delete(id);
        waiter.resolve({ ok: false, error: { name: "HostExited", message: `the ${fn.functionName} host exited (${signal ?? code})\n${this.stderrText}` }, output: "" });
      }
    });
  }

  /** Starts a host and waits until the handler is loaded. */
  static async start(fn: StackFunction, options: HostOptions): Promise<FunctionHost> {
    const [file, exportName] = splitHandler(fn.handler);
    const environment: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? os.tmpdir(),
      TMPDIR: os.tmpdir(),
      AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
      AWS_LAMBDA_FUNCTION_TIMEOUT: String(fn.timeoutSeconds),
      ...fn.environment,
      ...options.environment,
    };
    let entry: string;
    const flags: string[] = [];
    if (options.target === "bundle") {
      entry = path.join(unpackDeployed(fn), `${file}.js`);
    } else {
      entry = path.join(sourceFolderOf(fn), `${file}.ts`);
      flags.push("--import", "tsx");
      const settings = unzip(fs.readFileSync(fn.zipPath))["settings.json"];
      if (settings) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "simulator-settings-"));
        fs.writeFileSync(path.join(dir, "settings.json"), settings.data);
        environment.BRIDGE_SETTINGS_PATH = path.join(dir, "settings.json");
      }
    }
    // NODE_OPTIONS of the function (--enable-source-maps) apply as in Lambda; tsx is only a flag here.
    const child = spawn(process.execPath, [...flags, "-e", HOST_SOURCE, entry, exportName, String(fn.timeoutSeconds), fn.functionName], {
      cwd: options.target === "bundle" ? path.dirname(entry) : ROOT,
      env: environment,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const host = new FunctionHost(fn, options.target, child);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (message.type === "ready") {
          child.off("message", onMessage);
          resolve();
        } else if (message.type === "failed") {
          reject(new Error(`${fn.functionName} (${options.target}) did not load: ${String(message.message)}`));
        }
      };
      child.on("message", onMessage);
      child.once("exit", (code) => reject(new Error(`${fn.functionName} host exited (${code}) before it was ready\n${host.stderrText}`)));
    });
    return host;
  }

  /** Invokes the handler once; never rejects (a thrown handler error comes back as `ok: false`). */
  invoke(event: unknown): Promise<HostInvocation> {
    const id = (this.nextId += 1);
    const started = performance.now();
    if (this.exited) {
      return Promise.resolve({ ok: false, error: { name: "HostExited", message: `the ${this.fn.functionName} host is not running` }, lines: [], realMs: 0 });
    }
    return new Promise<HostInvocation>((resolve) => {
      this.pending.set(id, {
        started,
        resolve: (reply) => {
          const lines = String(reply.output ?? "")
            .split("\n")
            .filter((line) => line.trim());
          const realMs = performance.now() - started;
          resolve(
            reply.ok
              ? { ok: true, result: reply.result === null ? undefined : reply.result, lines, realMs }
              : { ok: false, error: reply.error as HostInvocation["error"], lines, realMs },
          );
        },
      });
      this.child.send({ id, event, requestId: `sim-${crypto.randomUUID()}` }, (error) => {
        const waiter = error ? this.pending.get(id) : undefined;
        if (!waiter) return;
        this.pending.delete(id);
        waiter.resolve({ ok: false, error: { name: "HostExited", message: `the ${this.fn.functionName} host is not running: ${error?.message}` }, output: "" });
      });
    });
  }

  /** Changes the host's clock warp (between contacts); resolves once the host has it. */
  setWarp(warp: Warp): Promise<void> {
    return this.request({ type: "warp", warp }).then(() => undefined);
  }

  /** The host's longest pause since its previous report (real ms), and a fresh start for the next one. */
  takeStall(): Promise<number> {
    return this.request({ type: "stall" }).then((reply) => Number(reply.stallMs) || 0);
  }

  /**
   * A control message answered by the host; a stopped host (a test that timed out while its contact's
   * clock still jumps) answers with an empty reply instead of a "Channel closed" error.
   */
  private request(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.exited || !this.child.connected) return Promise.resolve({});
    const id = (this.nextId += 1);
    return new Promise((resolve) => {
      this.pending.set(id, { started: performance.now(), resolve });
      this.child.send({ ...message, id }, (error) => {
        if (!error) return;
        this.pending.delete(id);
        resolve({});
      });
    });
  }

  /** Invocations still running. */
  get running(): number {
    return this.pending.size;
  }

  /** Resolves once no invocation is running (or after `timeoutMs` of real time). */
  async drain(timeoutMs = 10_000): Promise<void> {
    const end = performance.now() + timeoutMs;
    while (this.pending.size && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }

  get stderr(): string {
    return this.stderrText;
  }
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf(".");
  if (dot <= 0) throw new Error(`unexpected handler setting "${handler}"`);
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}
