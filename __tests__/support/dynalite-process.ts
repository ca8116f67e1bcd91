import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { createTurnsTable } from "./dynalite";

/**
 * dynalite in a Node process of its own, for load tests: in the test's own process it shares one thread
 * with everything else (about 600 requests/s with an SDK client beside it); here it gets a core of its
 * own. Each table is created like the bridge's turn table (pk/sk strings).
 */

const CHILD = `
const dynalite = require(process.argv[1]);
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
process.on("disconnect", () => process.exit(0));
`;

export interface DynaliteProcess {
  readonly endpoint: string;
  readonly pid: number | undefined;
  close(): Promise<void>;
}

export async function startDynaliteProcess(tableNames: readonly string[]): Promise<DynaliteProcess> {
  const entry = path.dirname(require.resolve("dynalite/package.json"));
  const child: ChildProcess = spawn(process.execPath, ["-e", CHILD, entry], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`dynalite exited (${code}) before it listened`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  try {
    for (const name of tableNames) await createTurnsTable(endpoint, name);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, pid: child.pid, close };
}
