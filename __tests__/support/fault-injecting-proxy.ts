import * as http from "node:http";
import { LoopbackProxy, operationOf } from "./loopback-proxy";

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

export class FaultInjectingProxy extends LoopbackProxy {
  /** Decides per request; the default lets everything through. */
  decide: (request: ProxiedRequest) => FaultAction = () => ({ kind: "pass" });
  /** Requests seen per operation. */
  readonly requests: Record<string, number> = {};
  /** Throttling errors returned per operation. */
  readonly throttled: Record<string, number> = {};
  private readonly seen = new Map<string, number>();

  constructor(target: string) {
    super(target, new http.Agent({ keepAlive: true, maxSockets: 64 }));
  }

  protected override onForwardError(res: http.ServerResponse): void {
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(500, { "content-type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "proxy could not reach the table" }));
    }
  }

  protected async handle(req: http.IncomingMessage, payload: Buffer, res: http.ServerResponse): Promise<void> {
    const operation = operationOf(req);
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
    const answer = await this.forwardUpstream(req, payload);
    if (action.kind === "forward-then") {
      await action.after();
      if (action.drop) {
        res.destroy();
        return;
      }
    }
    LoopbackProxy.reply(res, answer);
  }
}
