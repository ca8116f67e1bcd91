import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { resetAwsClients } from "../../functions/shared/aws-clients";
import type { LogCapture } from "./qconnect-log-capture";

/**
 * A loopback HTTP server that answers AWS REST-JSON calls (Q in Connect, Connect, Lex model building)
 * so handlers can be tested through the real SDK clients: real serialization, signing, retries,
 * timeouts and error parsing. Point a client at it with AWS_ENDPOINT_URL_<SERVICE>.
 */

export interface RecordedRequest {
  method: string;
  /** Raw request path without the query string, still percent-encoded. */
  rawPath: string;
  /** Path segments, percent-decoded (so an ARN in one segment comes back whole). */
  segments: string[];
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  bodyText: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait before answering. */
  delayMs?: number;
  /** Never answer (the client must time out). */
  hang?: boolean;
}

export type Responder = (request: RecordedRequest) => Reply | Promise<Reply>;

/** An AWS REST-JSON error as the services send it: type in the header and in the body. */
export function awsError(status: number, type: string, message: string): Reply {
  return { status, headers: { "x-amzn-errortype": type }, body: { message, __type: type } };
}

export function ok(body: unknown = {}): Reply {
  return { status: 200, body };
}

export class FakeAwsJsonServer {
  readonly requests: RecordedRequest[] = [];
  private responder: Responder = () => awsError(500, "InternalServerException", "no responder configured");
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private url = "";

  constructor() {
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  /** Starts on 127.0.0.1 with a free port and returns the base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  get baseUrl(): string {
    return this.url;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Sets how the server answers from now on and forgets earlier requests. */
  respond(responder: Responder): void {
    this.responder = responder;
    this.requests.length = 0;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bodyText = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let body: unknown;
    try {
      body = bodyText ? JSON.parse(bodyText) : undefined;
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? "",
      rawPath: url.pathname,
      segments: url.pathname.split("/").filter(Boolean).map((s) => decodeURIComponent(s)),
      query: Object.fromEntries(url.searchParams.entries()),
      headers: req.headers,
      bodyText,
      body,
    };
    this.requests.push(recorded);
    let reply: Reply;
    try {
      reply = await this.responder(recorded);
    } catch (error) {
      reply = awsError(500, "InternalServerException", `responder failed: ${(error as Error).message}`);
    }
    if (reply.hang) return;
    if (reply.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, reply.delayMs);
        this.timers.add(timer);
      });
    }
    if (res.destroyed) return;
    const payload = reply.status === 204 || reply.body === undefined ? "" : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "content-type": "application/json",
      "x-amzn-requestid": `fake-${this.requests.length}`,
      ...reply.headers,
    });
    res.end(payload);
  }
}

/** The SigV4 signing name in a request's Authorization header (for example "wisdom" for Q in Connect). */
export function signingService(request: RecordedRequest): string | undefined {
  const auth = request.headers.authorization;
  const match = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(typeof auth === "string" ? auth : "");
  return match?.[1];
}

/** Static credentials and a region for SDK clients under test; no instance metadata lookups. */
export function useFakeAwsEnvironment(region = "ap-northeast-1"): void {
  process.env.AWS_REGION = region;
  process.env.AWS_ACCESS_KEY_ID = "AKIAFAKEFORTESTS0001";
  process.env.AWS_SECRET_ACCESS_KEY = "fake-secret-for-loopback-tests";
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_ENDPOINT_URL;
}

/**
 * Serves one test file: sets a dummy AWS environment, starts `server`, points the SDK endpoint variables
 * (e.g. AWS_ENDPOINT_URL_QCONNECT) at it and captures logs before all tests; clears the captured logs
 * before each test; stops both after all tests.
 */
export function useFakeAwsJsonServer(server: FakeAwsJsonServer, logs: LogCapture, endpointVariables: readonly string[], region: string): void {
  beforeAll(async () => {
    useFakeAwsEnvironment(region);
    const url = await server.start();
    for (const variable of endpointVariables) process.env[variable] = url;
    logs.start();
  });
  afterAll(async () => {
    logs.stop();
    // The handlers' shared clients hold keep-alive sockets to the server: close them with it.
    resetAwsClients();
    await server.stop();
  });
  beforeEach(() => logs.clear());
}
