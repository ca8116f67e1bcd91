import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** An upstream answer, read in full before the proxy decides what to do with it. */
export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * The plumbing shared by the loopback proxies in front of dynalite: a server on 127.0.0.1, tracking of
 * requests in flight (so `idle` and `stop` wait for held ones) and of sockets (so `stop` ends kept-alive
 * connections), and forwarding a request body to the target. Subclasses decide what happens to each
 * request in `handle`.
 */
export abstract class LoopbackProxy {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly sockets = new Set<Socket>();
  private readonly server: http.Server;
  private url = "";

  protected constructor(
    private readonly target: string,
    /** Agent for upstream requests; undefined uses Node's global agent. */
    private readonly agent?: http.Agent,
  ) {
    this.server = http.createServer((req, res) => {
      const run = this.readBody(req)
        .then((body) => this.handle(req, body, res))
        .catch(() => this.onForwardError(res));
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    });
    this.server.keepAliveTimeout = 60_000;
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  /** Decides what to do with one request whose body has been read. */
  protected abstract handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void>;

  /** Called when `handle` failed (the target unreachable); the default drops the request silently. */
  protected onForwardError(_res: http.ServerResponse): void {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  get endpoint(): string {
    return this.url;
  }

  /** Resolves when every request received so far has been answered (or dropped by its caller). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    await this.idle();
    for (const socket of this.sockets) socket.destroy();
    this.agent?.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Sends the request with `body` to the target and reads the whole answer. */
  protected forwardUpstream(req: http.IncomingMessage, body: Buffer): Promise<UpstreamAnswer> {
    const target = new URL(this.target);
    return new Promise((resolve, reject) => {
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, ...(this.agent ? { agent: this.agent } : {}) },
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
  }

  /** Writes an upstream answer back to the caller unless the caller has gone. */
  protected static reply(res: http.ServerResponse, answer: UpstreamAnswer): void {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  private async readBody(req: http.IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}

/** The operation of an AWS JSON request: X-Amz-Target without the service prefix, e.g. "PutItem". */
export function operationOf(req: http.IncomingMessage): string {
  return String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
}
