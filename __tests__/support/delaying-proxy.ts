import type * as http from "node:http";
import { LoopbackProxy, operationOf } from "./loopback-proxy";

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

export class DelayingProxy extends LoopbackProxy {
  /** Decides per operation; undefined passes the call through at once. */
  hold: (operation: string) => Hold | undefined = () => undefined;
  /** Operations seen, in order (X-Amz-Target without the service prefix). */
  readonly operations: string[] = [];

  constructor(target: string) {
    super(target);
  }

  protected async handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
    const operation = operationOf(req);
    this.operations.push(operation);
    const hold = this.hold(operation) ?? {};
    if (hold.holdRequestMs) await new Promise((resolve) => setTimeout(resolve, hold.holdRequestMs));
    const answer = await this.forwardUpstream(req, body);
    if (hold.holdResponseMs) await new Promise((resolve) => setTimeout(resolve, hold.holdResponseMs));
    LoopbackProxy.reply(res, answer);
  }
}
