import * as http2 from "node:http2";
import { type AddressInfo } from "node:net";

/**
 * A scriptable Bedrock endpoint on loopback that speaks what the SDK sends: HTTP/2 cleartext (the Bedrock
 * clients use a NodeHttp2Handler), REST-JSON, SigV4 headers ignored.
 *   POST /model/{modelId}/converse            (bedrock-runtime Converse)
 *   POST /knowledgebases/{id}/retrieve         (bedrock-agent-runtime Retrieve)
 * Every request is recorded; a per-test script decides each reply.
 */

export type FakeReply =
  | { readonly kind: "json"; readonly body: unknown; readonly status?: number; readonly delayMs?: number }
  | { readonly kind: "error"; readonly status: number; readonly errorType: string; readonly message?: string; readonly delayMs?: number }
  | { readonly kind: "raw"; readonly status: number; readonly body: string; readonly delayMs?: number }
  /** Never answers; the client must give up on its own. */
  | { readonly kind: "hang" }
  /** Resets the HTTP/2 stream (a dropped connection). */
  | { readonly kind: "reset"; readonly delayMs?: number };

export interface RecordedCall {
  readonly path: string;
  /** modelId for Converse, knowledge base id for Retrieve. */
  readonly target: string;
  // Parsed request JSON; tests read it loosely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly receivedAt: number;
  readonly index: number;
}

export type Script = (call: RecordedCall) => FakeReply | Promise<FakeReply>;

// ---- reply builders -------------------------------------------------------------------------------

function converseBody(content: unknown[], stopReason: string): unknown {
  return {
    output: { message: { role: "assistant", content } },
    stopReason,
    usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
    metrics: { latencyMs: 5 },
  };
}

export function toolReply(name: string, input: unknown, options: { delayMs?: number; text?: string } = {}): FakeReply {
  const content: unknown[] = [];
  if (options.text) content.push({ text: options.text });
  content.push({ toolUse: { toolUseId: `tooluse_${Math.random().toString(36).slice(2, 10)}`, name, input } });
  return { kind: "json", body: converseBody(content, "tool_use"), delayMs: options.delayMs };
}

export function answerReply(message: string, delayMs?: number): FakeReply {
  return toolReply("ANSWER", { message }, { delayMs });
}

export function textReply(text: string, delayMs?: number): FakeReply {
  return { kind: "json", body: converseBody([{ text }], "end_turn"), delayMs };
}

export function guardrailReply(text: string): FakeReply {
  return { kind: "json", body: converseBody(text ? [{ text }] : [], "guardrail_intervened") };
}

export function throttleReply(delayMs?: number): FakeReply {
  return { kind: "error", status: 429, errorType: "ThrottlingException", message: "Too many requests, please wait before trying again.", delayMs };
}

export function serverErrorReply(status = 500, errorType = "InternalServerException"): FakeReply {
  return { kind: "error", status, errorType, message: "internal error" };
}

export function retrieveReply(passages: readonly { text: string; uri?: string }[]): FakeReply {
  return {
    kind: "json",
    body: {
      retrievalResults: passages.map((passage, index) => ({
        content: { type: "TEXT", text: passage.text },
        location: { type: "S3", s3Location: { uri: passage.uri ?? `s3://kb/doc-${index + 1}.md` } },
        score: 0.9 - index * 0.1,
      })),
    },
  };
}

// ---- server ------------------------------------------------------------------------------------

export class FakeBedrock {
  readonly converseCalls: RecordedCall[] = [];
  readonly retrieveCalls: RecordedCall[] = [];
  /** Replies to Converse; default: an ANSWER echoing nothing in particular. */
  onConverse: Script = () => answerReply("default answer");
  onRetrieve: Script = () => retrieveReply([]);

  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private constructor(
    private readonly server: http2.Http2Server,
    readonly endpoint: string,
  ) {
    server.on("session", (session) => {
      this.sessions.add(session);
      session.on("close", () => this.sessions.delete(session));
    });
  }

  static async start(): Promise<FakeBedrock> {
    const server = http2.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const fake = new FakeBedrock(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on("stream", (stream, headers) => void fake.handle(stream, headers));
    return fake;
  }

  reset(): void {
    this.converseCalls.length = 0;
    this.retrieveCalls.length = 0;
    this.onConverse = () => answerReply("default answer");
    this.onRetrieve = () => retrieveReply([]);
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): Promise<void> {
    // Resets (ours or the client's abort) surface as stream errors; they are expected here.
    stream.on("error", () => undefined);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const path = String(headers[":path"] ?? "");
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    } catch {
      body = undefined;
    }
    const converse = /^\/model\/([^/]+)\/converse$/.exec(path);
    const retrieve = /^\/knowledgebases\/([^/]+)\/retrieve$/.exec(path);
    if (headers[":method"] !== "POST" || (!converse && !retrieve)) {
      return this.reply(stream, { kind: "error", status: 404, errorType: "UnknownOperationException", message: `no route ${path}` });
    }
    const list = converse ? this.converseCalls : this.retrieveCalls;
    const call: RecordedCall = { path, target: decodeURIComponent((converse ?? retrieve)![1]), body, receivedAt: Date.now(), index: list.length };
    list.push(call);
    let reply: FakeReply;
    try {
      reply = await (converse ? this.onConverse : this.onRetrieve)(call);
    } catch (error) {
      reply = { kind: "error", status: 500, errorType: "InternalServerException", message: `script failed: ${(error as Error).message}` };
    }
    await this.reply(stream, reply);
  }

  private async reply(stream: http2.ServerHttp2Stream, reply: FakeReply): Promise<void> {
    if (reply.kind === "hang") return;
    if ("delayMs" in reply && reply.delayMs) {
      const delayMs = reply.delayMs;
      // Stop waiting when the client gives up, so no timer outlives the test.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        stream.once("close", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    // The client may have given up (abort at its deadline) while we were waiting.
    if (stream.destroyed || stream.closed) return;
    if (reply.kind === "reset") {
      stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      return;
    }
    const respond = (status: number, headers: Record<string, string>, text: string) => {
      try {
        stream.respond({ ":status": status, "content-type": "application/json", "x-amzn-requestid": `req-${Date.now()}`, ...headers });
        stream.end(text);
      } catch {
        // Stream closed by the client between the check and the write.
      }
    };
    if (reply.kind === "json") respond(reply.status ?? 200, {}, JSON.stringify(reply.body));
    else if (reply.kind === "raw") respond(reply.status, {}, reply.body);
    else respond(reply.status, { "x-amzn-errortype": `${reply.errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/` }, JSON.stringify({ message: reply.message ?? reply.errorType }));
  }
}
