import * as http from "node:http";
import { type AddressInfo } from "node:net";
import { type InvocationContext } from "../../functions/shared/invocation";

/**
 * A Lambda Invoke endpoint on loopback (POST /2015-03-31/functions/{name}/invocations, what the SDK's
 * LambdaClient sends). For InvocationType "Event" it answers 202 at once and then runs the registered
 * handler in-process, like Lambda's async queue would; a per-test policy can deliver an event twice,
 * drop it, or simulate a worker that crashed mid-way.
 */

export type Delivery =
  /** Run the handler once. */
  | "once"
  /** Run the handler twice at the same time (at-least-once delivery). */
  | "twice-concurrent"
  /** Run the handler, then once more after the first run finished. */
  | "twice-sequential"
  /** Accept the event (202) and never run anything. */
  | "drop"
  /** Accept the event and run `crash` instead of the handler (a worker that died after some steps). */
  | "crash"
  /** Refuse the invoke with a 500 ServiceException. */
  | "reject";

export type Handler = (event: unknown, context: InvocationContext) => Promise<unknown>;

export interface InvokeRecord {
  readonly functionName: string;
  readonly invocationType: string;
  readonly payload: unknown;
  readonly delivery: Delivery;
}

export class FakeLambda {
  readonly invocations: InvokeRecord[] = [];
  readonly handlerErrors: unknown[] = [];
  /** Decides how each event invocation is delivered. */
  delivery: (payload: unknown, index: number) => Delivery = () => "once";
  /** Run for "crash" deliveries. */
  crash: (payload: unknown) => Promise<void> = async () => undefined;
  /** Remaining time the fake context reports, per run. */
  timeoutMs = 30_000;
  /**
   * Answers an accepted event's 202 this long after starting its runs (an Invoke whose answer is slow
   * while Lambda already runs the function). The caller may give up first; the runs go on.
   */
  ackDelayMs = 0;

  private readonly running = new Set<Promise<unknown>>();

  private constructor(
    private readonly server: http.Server,
    readonly endpoint: string,
    private readonly handlers: Record<string, Handler>,
  ) {}

  static async start(handlers: Record<string, Handler>): Promise<FakeLambda> {
    // The server exists before the instance that handles its requests.
    const ref: { fake?: FakeLambda } = {};
    const server = http.createServer((req, res) => void ref.fake?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    ref.fake = new FakeLambda(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, handlers);
    return ref.fake;
  }

  /** Resolves when every handler run started so far (and any it caused) has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  reset(): void {
    this.invocations.length = 0;
    this.handlerErrors.length = 0;
    this.delivery = () => "once";
    this.crash = async () => undefined;
    this.ackDelayMs = 0;
  }

  async close(): Promise<void> {
    await this.idle();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(run: Promise<unknown>): void {
    const tracked = run.catch((error: unknown) => {
      this.handlerErrors.push(error);
    });
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  private run(functionName: string, payload: unknown): Promise<unknown> {
    const started = Date.now();
    const context: InvocationContext = {
      awsRequestId: `fake-${Math.random().toString(36).slice(2)}`,
      getRemainingTimeInMillis: () => Math.max(0, this.timeoutMs - (Date.now() - started)),
    };
    return this.handlers[functionName](payload, context);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? "");
    const functionName = match ? decodeURIComponent(match[1]) : "";
    if (req.method !== "POST" || !match || !this.handlers[functionName]) {
      res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" });
      res.end(JSON.stringify({ Type: "User", message: `Function not found: ${functionName}` }));
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      payload = undefined;
    }
    const invocationType = String(req.headers["x-amz-invocation-type"] ?? "RequestResponse");
    if (invocationType !== "Event") {
      const result = await this.run(functionName, payload).catch((error: unknown) => ({ errorMessage: String(error) }));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(result ?? null));
      return;
    }
    const delivery = this.delivery(payload, this.invocations.length);
    this.invocations.push({ functionName, invocationType, payload, delivery });
    if (delivery === "reject") {
      res.writeHead(500, { "content-type": "application/json", "x-amzn-errortype": "ServiceException" });
      res.end(JSON.stringify({ Type: "Service", message: "simulated Lambda service failure" }));
      return;
    }
    const ackDelayMs = this.ackDelayMs;
    const acknowledge = () => {
      if (res.destroyed || res.writableEnded) return; // the caller gave up waiting
      res.writeHead(202, { "content-type": "application/json" });
      res.end();
    };
    if (ackDelayMs > 0) {
      const timer = setTimeout(acknowledge, ackDelayMs);
      res.on("close", () => clearTimeout(timer));
    } else acknowledge();
    // Runs start after the 202 is out (or, with ackDelayMs, while it is held), as with Lambda's async
    // queue, but are tracked from now on so that idle() right after the caller got its 202 waits for them.
    const later = <T>(work: () => Promise<T>) => new Promise<void>((resolve) => setImmediate(resolve)).then(work);
    if (delivery === "once") this.track(later(() => this.run(functionName, payload)));
    else if (delivery === "twice-concurrent") {
      this.track(later(() => this.run(functionName, payload)));
      this.track(later(() => this.run(functionName, payload)));
    } else if (delivery === "twice-sequential") {
      this.track(later(() => this.run(functionName, payload)).then(() => this.run(functionName, payload)));
    } else if (delivery === "crash") this.track(later(() => this.crash(payload)));
  }
}
