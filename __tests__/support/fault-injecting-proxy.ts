import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A loopback HTTP proxy in front of an AWS JSON endpoint (dynalite), for faults dynalite cannot produce:
 * per request, `decide` lets it through, answers it itself with DynamoDB's throttling error (the request
 * never reaches the table), or forwards it and holds the answer until a callback has run (a caller that
 * died after its write landed). Requests are identified by operation (X-Amz-Target without the service
 * prefix) and the item key in the body, with a count of how often the same operation on the same key has
 * been seen, so a seeded decision can depend on the request rather than on arrival order.
 */

export interface ProxiedRequest {
  /** e.g. "GetItem". */
  readonly operation: string;
  readonly table?: string;
  /** The key's attribute values joined ("<pk>|<sk>"), for Key or Item bodies; undefined for others (Query: the pk). */
  readonly key?: string;
  /** 1 for the first time this operation on this key is seen, 2 for the second, ... */
  readonly occurrence: number;
  /** The parsed request body. */
  readonly body: Record<string, unknown> | undefined;
}

export type FaultAction =
  | { readonly kind: "pass" }
  /** HTTP 400 ProvisionedThroughputExceededException, as DynamoDB throttles a table or partition. */
  | { readonly kind: "throttle" }
  /** Forward, then hold the answer until `after` resolves; the answer is dropped when `drop` is set. */
  | { readonly kind: "forward-then"; readonly after: () => Promise<void>; readonly drop?: boolean };

const THROTTLE_BODY = JSON.stringify({
  __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
  message: "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
});

type AttributeMap = Record<string, Record<string, unknown>>;

function keyOf(body: Record<string, unknown> | undefined): string | undefined {
  const source = (body?.Key ?? body?.Item) as AttributeMap | undefined;
  if (source && typeof source === "object") {
    const parts = ["pk", "sk"].map((name) => {
      const value = source[name];
      return value && typeof value === "object" ? String(Object.values(value)[0]) : "";
    });
    return parts.join("|");
  }
  const values = body?.ExpressionAttributeValues as AttributeMap | undefined;
  const pk = values?.[":pk"];
  return pk && typeof pk === "object" ? String(Object.values(pk)[0]) : undefined;
}

export class FaultInjectingProxy {
  /** Decides per request; the default lets everything through. */
  decide: (request: ProxiedRequest) => FaultAction = () => ({ kind: "pass" });
  /** Requests seen per operation. */
  readonly requests: Record<string, number> = {};
  /** Throttling errors returned per operation. */
  readonly throttled: Record<string, number> = {};
  private readonly seen = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly sockets = new Set<Socket>();
  private readonly server: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private url = "";

  constructor(private readonly target: string) {
    this.server = http.createServer((req, res) => {
      const run = this.forward(req, res).catch(() => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { "content-type": "application/x-amz-json-1.0" });
          res.end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "proxy could not reach the table" }));
        }
      });
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    });
    this.server.keepAliveTimeout = 60_000;
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

  /** Resolves when every request received so far has been answered (or dropped). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    await this.idle();
    for (const socket of this.sockets) socket.destroy();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const payload = Buffer.concat(chunks);
    const operation = String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(payload.toString("utf8")) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    const key = keyOf(body);
    const seenKey = `${operation} ${key ?? ""}`;
    const occurrence = (this.seen.get(seenKey) ?? 0) + 1;
    this.seen.set(seenKey, occurrence);
    this.requests[operation] = (this.requests[operation] ?? 0) + 1;
    const table = typeof body?.TableName === "string" ? body.TableName : undefined;
    const action = this.decide({ operation, ...(table ? { table } : {}), ...(key !== undefined ? { key } : {}), occurrence, body });
    if (action.kind === "throttle") {
      this.throttled[operation] = (this.throttled[operation] ?? 0) + 1;
      res.writeHead(400, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": `proxy-${Date.now()}` });
      res.end(THROTTLE_BODY);
      return;
    }
    const target = new URL(this.target);
    const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent: this.agent },
        (response) => {
          const parts: Buffer[] = [];
          response.on("data", (part: Buffer) => parts.push(part));
          response.on("end", () => resolve({ status: response.statusCode ?? 500, headers: response.headers, body: Buffer.concat(parts) }));
          response.on("error", reject);
        },
      );
      upstream.on("error", reject);
      upstream.end(payload);
    });
    if (action.kind === "forward-then") {
      await action.after();
      if (action.drop) {
        res.destroy();
        return;
      }
    }
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }
}
