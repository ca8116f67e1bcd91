import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A loopback HTTP proxy in front of an AWS JSON endpoint (dynalite) that can hold chosen operations
 * (by X-Amz-Target, e.g. "DynamoDB_20120810.PutItem"): `holdRequestMs` forwards the request only after a
 * pause (a write that reaches the service after the caller gave up), `holdResponseMs` forwards it at once
 * and holds the answer (a write that succeeded while the caller timed out). A held request is forwarded
 * even when the caller has gone, as a request already on the wire would be.
 */

export interface Hold {
  readonly holdRequestMs?: number;
  readonly holdResponseMs?: number;
}

export class DelayingProxy {
  /** Decides per operation; undefined passes the call through at once. */
  hold: (operation: string) => Hold | undefined = () => undefined;
  /** Operations seen, in order (X-Amz-Target without the service prefix). */
  readonly operations: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly sockets = new Set<Socket>();
  private readonly server: http.Server;
  private url = "";

  constructor(private readonly target: string) {
    this.server = http.createServer((req, res) => {
      const run = this.forward(req, res).catch(() => undefined);
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    });
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  get endpoint(): string {
    return this.url;
  }

  /** Resolves when every request received so far has been forwarded and answered (or dropped by its caller). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    await this.idle();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const operation = String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
    this.operations.push(operation);
    const hold = this.hold(operation) ?? {};
    if (hold.holdRequestMs) await new Promise((resolve) => setTimeout(resolve, hold.holdRequestMs));
    const target = new URL(this.target);
    const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (response) => {
          const parts: Buffer[] = [];
          response.on("data", (part: Buffer) => parts.push(part));
          response.on("end", () => resolve({ status: response.statusCode ?? 500, headers: response.headers, body: Buffer.concat(parts) }));
          response.on("error", reject);
        },
      );
      upstream.on("error", reject);
      upstream.end(body);
    });
    if (hold.holdResponseMs) await new Promise((resolve) => setTimeout(resolve, hold.holdResponseMs));
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }
}
